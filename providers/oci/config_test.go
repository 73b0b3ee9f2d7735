package oci_test

import (
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
fingerprint=aa:bb
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
		Fingerprint:   "aa:bb",
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
	good := oci.Config{TenancyID: "t", UserID: "u", Fingerprint: "f", KeyFile: notPEM, Region: "us-ashburn-1"}
	tests := []struct {
		name   string
		mutate func(*oci.Config)
		field  string
	}{
		{"no tenancy", func(c *oci.Config) { c.TenancyID = "" }, "TenancyID"},
		{"no user", func(c *oci.Config) { c.UserID = "" }, "UserID"},
		{"no fingerprint", func(c *oci.Config) { c.Fingerprint = "" }, "Fingerprint"},
		{"no key file", func(c *oci.Config) { c.KeyFile = "" }, "KeyFile"},
		{"no region nor endpoint", func(c *oci.Config) { c.Region = "" }, "Region"},
		{"endpoint with path", func(c *oci.Config) { c.Endpoint = "http://127.0.0.1:9101/20160918" }, "Endpoint"},
		{"endpoint without scheme", func(c *oci.Config) { c.Endpoint = "127.0.0.1:9101" }, "Endpoint"},
		{"key file absent", func(c *oci.Config) { c.KeyFile = filepath.Join(dir, "absent.pem") }, "KeyFile"},
		{"key file not PEM", func(c *oci.Config) {}, "KeyFile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.mutate(&cfg)
			c, err := oci.New(cfg)
			if err == nil || c != nil {
				t.Fatalf("New accepted %+v", cfg)
			}
			if !strings.Contains(err.Error(), tt.field) {
				t.Fatalf("error %q does not name %s", err, tt.field)
			}
		})
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
