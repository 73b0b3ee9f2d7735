package main

import (
	"crypto/x509"
	"encoding/pem"
	"testing"

	"github.com/oracle/oci-go-sdk/v65/common"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
)

// fakeInstancePrincipal stands in for the SDK's instance-principal provider,
// which needs an OCI instance's metadata service (none here): it records
// the options the settings gave and signs with a generated key.
func fakeInstancePrincipal(t *testing.T) *[]oci.ProviderOptions {
	t.Helper()
	creds, err := ocisim.GenerateCredentials()
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(creds.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	key := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	var calls []oci.ProviderOptions
	old := activities.NewOCIInstancePrincipal
	activities.NewOCIInstancePrincipal = func(opts oci.ProviderOptions) (*oci.Client, error) {
		calls = append(calls, opts)
		return oci.NewWithProvider(common.NewRawConfigurationProvider(creds.TenancyID, creds.UserID, "us-ashburn-1", creds.Fingerprint, key, nil), opts)
	}
	t.Cleanup(func() { activities.NewOCIInstancePrincipal = old })
	return &calls
}

func TestLoadSettings_OCIInstancePrincipalNeedsNoConfigFile(t *testing.T) {
	calls := fakeInstancePrincipal(t)
	cleanEnv(t, map[string]string{"IMAGEPIPE_OCI_AUTH": "instance_principal", "IMAGEPIPE_OCI_ENDPOINT": "http://127.0.0.1:9101"})
	_, acts, err := loadSettings()
	if err != nil {
		t.Fatal(err)
	}
	if !acts.configured["oci"] {
		t.Fatal("OCI not configured")
	}
	if len(*calls) != 1 || (*calls)[0].Endpoint != "http://127.0.0.1:9101" {
		t.Errorf("instance principal built with %+v, want once with IMAGEPIPE_OCI_ENDPOINT", *calls)
	}
}

func TestLoadSettings_OCIAPIKeyIsTheDefault(t *testing.T) {
	calls := fakeInstancePrincipal(t)
	cleanEnv(t, map[string]string{"IMAGEPIPE_OCI_CONFIG_FILE": ociConfigFile(t, func(s string) string { return s })})
	_, acts, err := loadSettings()
	if err != nil || !acts.configured["oci"] {
		t.Fatalf("OCI %v, %v; want configured from the file", acts, err)
	}
	if len(*calls) != 0 {
		t.Error("an API-key setup asked for the instance principal")
	}
}

func TestLoadSettings_OCIAuthCombinationsRefusedNamingTheVariables(t *testing.T) {
	file := ociConfigFile(t, func(s string) string { return s })
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"unknown method", map[string]string{"IMAGEPIPE_OCI_AUTH": "password"},
			[]string{`IMAGEPIPE_OCI_AUTH="password"`, "api_key", "instance_principal"}},
		{"instance principal with a config file", map[string]string{"IMAGEPIPE_OCI_AUTH": "instance_principal", "IMAGEPIPE_OCI_CONFIG_FILE": file},
			[]string{"IMAGEPIPE_OCI_AUTH=instance_principal takes no config file", "IMAGEPIPE_OCI_CONFIG_FILE", "IMAGEPIPE_OCI_AUTH=api_key"}},
		{"instance principal with a profile", map[string]string{"IMAGEPIPE_OCI_AUTH": "instance_principal", "IMAGEPIPE_OCI_PROFILE": "PROD"},
			[]string{"IMAGEPIPE_OCI_AUTH=instance_principal takes no config file", "IMAGEPIPE_OCI_PROFILE"}},
		{"instance principal with a bad endpoint", map[string]string{"IMAGEPIPE_OCI_AUTH": "instance_principal", "IMAGEPIPE_OCI_ENDPOINT": "127.0.0.1:9101"},
			[]string{"IMAGEPIPE_OCI_ENDPOINT", "scheme and host"}},
		{"api key without a config file", map[string]string{"IMAGEPIPE_OCI_AUTH": "api_key"},
			[]string{"IMAGEPIPE_OCI_AUTH is set but IMAGEPIPE_OCI_CONFIG_FILE is empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := fakeInstancePrincipal(t)
			refused(t, tt.env, tt.want...)
			if tt.env["IMAGEPIPE_OCI_ENDPOINT"] == "" && len(*calls) != 0 {
				t.Error("refused settings still reached for the instance principal")
			}
		})
	}
}
