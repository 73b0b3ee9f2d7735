package oci_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"testing"

	"github.com/oracle/oci-go-sdk/v65/common"

	"github.com/imagepipe/imagepipe/providers/oci"
)

// A client on a configuration provider (the path instance principals take)
// signs as that provider's principal and uses its tenancy as the root
// compartment, with no config file. The instance-principal provider itself
// needs an OCI instance's metadata service; this stands a key provider in.
func TestNewWithProvider_SignsAsTheProvidersPrincipal(t *testing.T) {
	e := newEnv(t)
	id := e.addImage(t)
	der, err := x509.MarshalPKCS8PrivateKey(e.creds.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	key := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	provider := common.NewRawConfigurationProvider(e.creds.TenancyID, e.creds.UserID, "us-ashburn-1", e.creds.Fingerprint, key, nil)
	c, err := oci.NewWithProvider(provider, oci.ProviderOptions{Endpoint: e.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if c.TenancyID() != e.creds.TenancyID {
		t.Errorf("tenancy %s, want the provider's %s", c.TenancyID(), e.creds.TenancyID)
	}
	img, err := c.GetImage(context.Background(), id)
	if err != nil || img.ID != id {
		t.Fatalf("get image through the provider's signature: %+v, %v", img, err)
	}
}
