package main

import (
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/workflows"
)

// acmeSettings are the settings of a vendor that exists only in this test.
type acmeSettings struct {
	Endpoint  string `env:"ENDPOINT"`
	Token     string `env:"TOKEN"`
	TokenFile string `env:"TOKEN_FILE,file" fileOf:"Token"`
}

func (s *acmeSettings) EnvPrefix() string { return "IMAGEPIPE_ACME_" }
func (s *acmeSettings) Where() string     { return s.Endpoint }
func (s *acmeSettings) Connect(vars activities.SettingVars) (any, any, error) {
	if s.Endpoint == "" {
		return nil, nil, vars.Unused("Endpoint", "acme's https://host")
	}
	return s, "acme activities", nil
}

var acmeVendor = workflows.Vendor{Name: "acme", Settings: func() activities.Settings { return &acmeSettings{} }}

// A vendor brings its settings with it: the worker reads them under the
// vendor's prefix, gives a secret its _FILE's text, and hands them to the
// vendor's Connect, with no worker code naming the vendor.
func TestReadVendorSettings_AVendorOfATestIsConfiguredFromItsOwnVariables(t *testing.T) {
	cleanEnv(t, map[string]string{"IMAGEPIPE_ACME_ENDPOINT": "https://acme.example", "IMAGEPIPE_ACME_TOKEN_FILE": secretFile(t, "t0ken\n")})
	problems := &settingsError{}
	vendors := readVendorSettings(&config{}, []workflows.Vendor{acmeVendor}, problems)
	if err := problems.Err(); err != nil || len(vendors) != 1 {
		t.Fatalf("read %d vendors, %v; want acme's settings", len(vendors), err)
	}
	client, calls, err := vendors[0].connect()
	s, _ := client.(*acmeSettings)
	if err != nil || s == nil || s.Endpoint != "https://acme.example" || s.Token != "t0ken" || calls != "acme activities" {
		t.Errorf("acme connected with %+v, %v, %v; want its endpoint and the token file's text", client, calls, err)
	}
}

// A vendor's variables set without the one that turns it on are reported
// by their names, under the vendor's prefix.
func TestReadVendorSettings_AVendorOfATestNamesItsVariables(t *testing.T) {
	cleanEnv(t, map[string]string{"IMAGEPIPE_ACME_TOKEN": "t0ken"})
	problems := &settingsError{}
	vendors := readVendorSettings(&config{}, []workflows.Vendor{acmeVendor}, problems)
	_, _, err := vendors[0].connect()
	if err == nil || !strings.Contains(err.Error(), "IMAGEPIPE_ACME_TOKEN is set but IMAGEPIPE_ACME_ENDPOINT is empty, so acme is not configured") {
		t.Errorf("acme without an endpoint: %v; want its variables named", err)
	}
}
