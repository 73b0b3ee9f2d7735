package temporalconf

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.temporal.io/sdk/converter"
)

// clean unsets every variable Load reads, for the test's duration, and
// points the SDK at an empty profile file instead of the user's own.
func clean(t *testing.T) {
	t.Helper()
	for _, v := range []string{"TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_API_KEY", "TEMPORAL_PROFILE",
		"TEMPORAL_TLS", "IMAGEPIPE_TASK_QUEUE", UIURLVariable, KeysVariable, KeysFileVariable, KeyIDVariable} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	t.Setenv("TEMPORAL_CONFIG_FILE", write(t, "temporal.toml", ""))
}

func write(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func b64(fill byte) string { return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{fill}, 32)) }

// The namespace of web UI links is the loaded profile's, not
// TEMPORAL_NAMESPACE read on its own, and the UI is the dev server's for
// the profile's address when IMAGEPIPE_UI_URL is unset.
func TestLoad_ProfileFileGivesTheNamespaceAndTheUIOfItsServer(t *testing.T) {
	clean(t)
	t.Setenv("TEMPORAL_CONFIG_FILE", write(t, "temporal.toml", "[profile.default]\naddress = \"127.0.0.1:17233\"\nnamespace = \"imagepipe-prod\"\n"))
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.Namespace != "imagepipe-prod" || c.HostPort != "127.0.0.1:17233" {
		t.Errorf("namespace %q at %q", c.Namespace, c.HostPort)
	}
	if got, want := c.WorkflowURL("pipeline-gold-1"), "http://127.0.0.1:18233/namespaces/imagepipe-prod/workflows/pipeline-gold-1"; got != want {
		t.Errorf("link %s, want %s", got, want)
	}
}

func TestLoad_DefaultsAreTheDevServersOnLocalhost(t *testing.T) {
	clean(t)
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.WorkflowURL("x"), "http://localhost:8233/namespaces/default/workflows/x"; got != want || c.Codec != nil || c.TaskQueue != "imagepipe" {
		t.Errorf("link %s (want %s), codec %v, queue %q", got, want, c.Codec, c.TaskQueue)
	}
}

func TestLoad_UIURLVariableIsTheLinksBase(t *testing.T) {
	clean(t)
	t.Setenv(UIURLVariable, "https://temporal.example.com/ui/")
	t.Setenv("TEMPORAL_NAMESPACE", "eu")
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.WorkflowURL("a b"), "https://temporal.example.com/ui/namespaces/eu/workflows/a%20b"; got != want {
		t.Errorf("link %s, want %s", got, want)
	}
}

// Every bad setting is reported at once, each naming its variable, and no
// message shows a key.
func TestLoad_BadSettingsNameTheirVariables(t *testing.T) {
	short := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef"))
	for name, tc := range map[string]struct {
		env  map[string]string
		want []string
	}{
		"short key":    {map[string]string{KeysVariable: "k1=" + b64(1) + ",k2=" + short}, []string{`IMAGEPIPE_CODEC_KEYS: entry 2: key "k2": 16 bytes; want 32`}},
		"unknown key":  {map[string]string{KeysVariable: "k1=" + b64(1), KeyIDVariable: "k9"}, []string{`IMAGEPIPE_CODEC_KEY_ID="k9": no key has ID "k9"; the keys are k1`}},
		"key ID alone": {map[string]string{KeyIDVariable: "k1"}, []string{`IMAGEPIPE_CODEC_KEY_ID="k1" but no keys`}},
		"both":         {map[string]string{KeysVariable: "k1=" + b64(1), KeysFileVariable: "/x"}, []string{"IMAGEPIPE_CODEC_KEYS and IMAGEPIPE_CODEC_KEYS_FILE are both set"}},
		"missing file": {map[string]string{KeysFileVariable: "/nonexistent/keys"}, []string{`IMAGEPIPE_CODEC_KEYS_FILE="/nonexistent/keys": no such file`}},
		"duplicate ID": {map[string]string{KeysVariable: "k1=" + b64(1) + ",k1=" + b64(2)}, []string{`IMAGEPIPE_CODEC_KEYS: key ID "k1" given twice`}},
		"bad UI URL":   {map[string]string{UIURLVariable: "localhost:8233"}, []string{`IMAGEPIPE_UI_URL="localhost:8233": not an http or https URL`}},
		"several at once": {map[string]string{UIURLVariable: "ftp://x", "IMAGEPIPE_TASK_QUEUE": " q", KeysVariable: "nonsense"},
			[]string{"IMAGEPIPE_UI_URL=", "IMAGEPIPE_TASK_QUEUE=", "IMAGEPIPE_CODEC_KEYS: entry 1"}},
	} {
		t.Run(name, func(t *testing.T) {
			clean(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			_, err := Load()
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), b64(1)) || strings.Contains(err.Error(), short) {
				t.Errorf("error shows a key: %v", err)
			}
		})
	}
}

// Keys from a mounted file, one a line, the second encrypting; both
// clients' encodings are the same, so a worker and a starter read each
// other's payloads.
func TestLoad_KeysFileWithKeyIDEncryptsWithThatKey(t *testing.T) {
	clean(t)
	t.Setenv(KeysFileVariable, write(t, "keys", "# current first\nk2026="+b64(2)+"\nk2025="+b64(1)+"\n"))
	t.Setenv(KeyIDVariable, "k2025")
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.Codec == nil || c.Codec.EncryptKeyID() != "k2025" {
		t.Fatalf("codec %v", c.Codec)
	}
	dc := c.WorkerOptions().DataConverter
	p, err := dc.ToPayload("gold-ubuntu")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(p.GetData(), []byte("gold-ubuntu")) {
		t.Errorf("worker payload in plaintext: %q", p.GetData())
	}
	if _, err := c.InspectorOptions(); err != nil {
		t.Fatal(err)
	}
	var back string
	if err := converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c.Codec).FromPayload(p, &back); err != nil || back != "gold-ubuntu" {
		t.Errorf("decoded %q, %v", back, err)
	}
}
