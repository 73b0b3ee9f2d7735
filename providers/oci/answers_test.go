package oci_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/providers/oci"
)

// TestAnswersWithoutAnID_AreErrors: a 200 that names no resource id is not
// a created or found resource; passing it on would make later steps act on
// "" (which OCI reads as the tenancy).
func TestAnswersWithoutAnID_AreErrors(t *testing.T) {
	creds := testCredentials(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"lifecycleState":"ACTIVE"}`))
	}))
	defer srv.Close()
	cfg := fuzzConfig(t, creds, srv.URL)
	client, err := oci.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, createErr := client.CreateCompartment(ctx, oci.CreateCompartmentInput{ParentID: cfg.TenancyID, Name: "n", Description: "d", RetryToken: "t"})
	_, getErr := client.GetCompartment(ctx, "ocid1.compartment.oc1..x")
	_, imageErr := client.GetImage(ctx, "ocid1.image.oc1..x")
	for name, err := range map[string]error{"CreateCompartment": createErr, "GetCompartment": getErr, "GetImage": imageErr} {
		if err == nil || !strings.Contains(err.Error(), "names no") {
			t.Errorf("%s: error %v, want one saying the answer names no id", name, err)
		}
	}
}
