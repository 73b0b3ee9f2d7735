package temporalconf

import (
	"strings"
	"testing"
)

// Messages about the namespace name where it was set, so the operator
// changes the right thing.
func TestLoad_NamespaceSourceNamesTheVariableOrTheProfileAndItsFile(t *testing.T) {
	for name, tc := range map[string]struct {
		profile string
		env     map[string]string
		want    string
	}{
		"variable": {"[profile.default]\nnamespace = \"from-file\"\n", map[string]string{"TEMPORAL_NAMESPACE": "eu"}, `TEMPORAL_NAMESPACE="eu"`},
		"named profile": {"[profile.prod]\nnamespace = \"imagepipe-prod\"\n", map[string]string{"TEMPORAL_PROFILE": "prod"},
			`namespace "imagepipe-prod" of profile "prod" (TEMPORAL_PROFILE) in <file> (TEMPORAL_CONFIG_FILE)`},
		"default profile": {"[profile.default]\nnamespace = \"imagepipe-dev\"\n", nil,
			`namespace "imagepipe-dev" of profile "default" (the default profile) in <file> (TEMPORAL_CONFIG_FILE)`},
		"nothing set": {"", nil, `namespace "default" (the default: neither TEMPORAL_NAMESPACE nor profile "default" in <file> sets one)`},
	} {
		t.Run(name, func(t *testing.T) {
			clean(t)
			file := write(t, "temporal.toml", tc.profile)
			t.Setenv("TEMPORAL_CONFIG_FILE", file)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			c, err := Load()
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.ReplaceAll(tc.want, "<file>", file); c.NamespaceSource != want {
				t.Errorf("source %q, want %q", c.NamespaceSource, want)
			}
		})
	}
}
