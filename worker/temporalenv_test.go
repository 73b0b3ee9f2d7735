package main

import (
	"os"
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/contrib/envconfig"
)

// The README keeps a Temporal API key out of the environment by mounting a
// TOML profile and naming it in TEMPORAL_CONFIG_FILE; the worker loads its
// connection exactly as here.
func TestTemporalAPIKeyFromAMountedProfile(t *testing.T) {
	for _, k := range []string{"TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_API_KEY", "TEMPORAL_PROFILE", "TEMPORAL_TLS"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	path := filepath.Join(t.TempDir(), "temporal.toml")
	toml := "[profile.default]\naddress = \"my-ns.a1b2c.tmprl.cloud:7233\"\nnamespace = \"my-ns.a1b2c\"\napi_key = \"k3y\"\n"
	if err := os.WriteFile(path, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TEMPORAL_CONFIG_FILE", path)
	opts, err := envconfig.LoadDefaultClientOptions()
	if err != nil {
		t.Fatal(err)
	}
	if opts.HostPort != "my-ns.a1b2c.tmprl.cloud:7233" || opts.Namespace != "my-ns.a1b2c" {
		t.Errorf("connection %s / %s, want the profile's", opts.HostPort, opts.Namespace)
	}
	if opts.Credentials == nil || opts.ConnectionOptions.TLS == nil {
		t.Errorf("credentials %v, TLS %v: want the profile's API key, over TLS", opts.Credentials, opts.ConnectionOptions.TLS)
	}
}
