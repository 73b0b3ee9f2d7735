package oci_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/providers/oci"
)

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadConfigFile_ProfileInheritsDefaultKeys(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	path := writeFile(t, t.TempDir(), "config", `
# a comment
[DEFAULT]
user=ocid1.user.oc1..default
fingerprint=20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34
key_file=~/.oci/key.pem
tenancy=ocid1.tenancy.oc1..t
region=us-ashburn-1

[EMULATOR]
user = ocid1.user.oc1..emulator
pass_phrase=s3cr=t
endpoint=http://127.0.0.1:9101
`)
	cfg, err := oci.LoadConfigFile(path, "EMULATOR")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	want := oci.Config{
		TenancyID:     "ocid1.tenancy.oc1..t",
		UserID:        "ocid1.user.oc1..emulator",
		Fingerprint:   "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34",
		KeyFile:       filepath.Join(home, ".oci", "key.pem"),
		KeyPassphrase: "s3cr=t",
		Region:        "us-ashburn-1",
		Endpoint:      "http://127.0.0.1:9101",
	}
	if cfg != want {
		t.Fatalf("config\n got %+v\nwant %+v", cfg, want)
	}

	def, err := oci.LoadConfigFile(path, "")
	if err != nil {
		t.Fatalf("load default: %v", err)
	}
	if def.UserID != "ocid1.user.oc1..default" || def.Endpoint != "" {
		t.Fatalf("DEFAULT profile read as %+v", def)
	}
}

func TestLoadConfigFile_MissingProfileOrFieldIsNamed(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "config", "[DEFAULT]\nuser=u\nfingerprint=f\nkey_file=k\nregion=r\n")
	if _, err := oci.LoadConfigFile(path, "NOPE"); err == nil || !strings.Contains(err.Error(), "NOPE") {
		t.Fatalf("missing profile: error %v, want it named", err)
	}
	if _, err := oci.LoadConfigFile(path, ""); err == nil || !strings.Contains(err.Error(), "tenancy") {
		t.Fatalf("missing tenancy: error %v, want it named", err)
	}
	if _, err := oci.LoadConfigFile(filepath.Join(dir, "absent"), ""); err == nil {
		t.Fatal("absent file loaded without error")
	}
}

func TestNew_RejectsConfigNamingTheField(t *testing.T) {
	dir := t.TempDir()
	notPEM := writeFile(t, dir, "bad.pem", "not a key")
	creds := testCredentials(t)
	keyConfig, err := creds.WriteFiles(t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	withKey, err := oci.ReadConfigFile(keyConfig, "")
	if err != nil {
		t.Fatal(err)
	}
	const otherKeysFingerprint = "20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34"
	good := oci.Config{TenancyID: "t", UserID: "u", Fingerprint: otherKeysFingerprint, KeyFile: notPEM, Region: "us-ashburn-1"}
	tests := []struct {
		name   string
		mutate func(*oci.Config)
		field  string
		want   string
	}{
		{"no tenancy", func(c *oci.Config) { c.TenancyID = "" }, "TenancyID", "tenancy OCID"},
		{"no user", func(c *oci.Config) { c.UserID = "" }, "UserID", "user OCID"},
		{"no fingerprint", func(c *oci.Config) { c.Fingerprint = "" }, "Fingerprint", "required"},
		{"fingerprint too short", func(c *oci.Config) { c.Fingerprint = "aa:bb" }, "Fingerprint", "16 colon-separated hex pairs"},
		{"fingerprint not hex", func(c *oci.Config) { c.Fingerprint = strings.Repeat("zz:", 15) + "zz" }, "Fingerprint", "16 colon-separated hex pairs"},
		{"fingerprint of another key", func(c *oci.Config) { *c = withKey; c.Fingerprint = otherKeysFingerprint }, "Fingerprint", "not the fingerprint of the key in " + withKey.KeyFile + ", which is " + creds.Fingerprint},
		{"no key file", func(c *oci.Config) { c.KeyFile = "" }, "KeyFile", "required"},
		{"no region nor endpoint", func(c *oci.Config) { c.Region = "" }, "Region", "us-ashburn-1"},
		{"endpoint with path", func(c *oci.Config) { c.Endpoint = "http://127.0.0.1:9101/20160918" }, "Endpoint", "scheme and host"},
		{"endpoint without scheme", func(c *oci.Config) { c.Endpoint = "127.0.0.1:9101" }, "Endpoint", "scheme and host"},
		{"key file absent", func(c *oci.Config) { c.KeyFile = filepath.Join(dir, "absent.pem") }, "KeyFile", "no such file"},
		{"key file not PEM", func(c *oci.Config) {}, "KeyFile", "PEM RSA private key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.mutate(&cfg)
			c, err := oci.New(cfg)
			if err == nil || c != nil {
				t.Fatalf("New accepted %+v", cfg)
			}
			var ce *oci.ConfigError
			if !errors.As(err, &ce) || ce.Field != tt.field || !strings.Contains(err.Error(), tt.field) {
				t.Fatalf("error %q does not name %s as a *ConfigError", err, tt.field)
			}
			if !strings.Contains(ce.Problem, tt.want) {
				t.Errorf("problem %q lacks %q", ce.Problem, tt.want)
			}
		})
	}
	if _, err := oci.New(withKey); err != nil {
		t.Fatalf("the key's own fingerprint refused: %v", err)
	}
}

func TestLoadConfigFile_ReportsEveryProblemAtOnce(t *testing.T) {
	path := writeFile(t, t.TempDir(), "config", "[DEFAULT]\nfingerprint=aa:bb\n")
	_, err := oci.LoadConfigFile(path, "")
	if err == nil {
		t.Fatal("loaded a config of one bad key")
	}
	for _, key := range []string{"(tenancy)", "(user)", "(fingerprint)", "(key_file)", "(region)"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error %q does not name %s", err, key)
		}
	}
}

func TestReadConfigFile_MissingProfileIsErrNoProfile(t *testing.T) {
	path := writeFile(t, t.TempDir(), "config", "[DEFAULT]\nuser=u\n")
	if _, err := oci.ReadConfigFile(path, "NOPE"); !errors.Is(err, oci.ErrNoProfile) || !strings.Contains(err.Error(), "[NOPE]") {
		t.Fatalf("err = %v, want ErrNoProfile naming [NOPE]", err)
	}
}

func TestNew_EndpointWithoutRegionIsEnough(t *testing.T) {
	e := newEnv(t)
	cfg := e.cfg
	cfg.Region = ""
	cfg.Endpoint = e.srv.URL + "/"
	c, err := oci.New(cfg)
	if err != nil {
		t.Fatalf("new: %v", err)
	}
	if _, err := c.GetCompartment(t.Context(), e.sim.TenancyID()); err != nil {
		t.Fatalf("call through endpoint-only config: %v", err)
	}
}
