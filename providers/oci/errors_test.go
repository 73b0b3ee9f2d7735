package oci_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/oracle/oci-go-sdk/v65/common"
	"github.com/oracle/oci-go-sdk/v65/core"

	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

func TestCreateCompartment_ThrottledAnswerCarriesRetryAfter(t *testing.T) {
	e := newEnv(t)
	e.sim.Faults().Inject(ocisim.OpCreateCompartment, simkit.Fault{Status: http.StatusTooManyRequests, RetryAfter: 7 * time.Second}, 1)
	in := createInput(e.sim.TenancyID(), "promoted", "wf-throttle")

	_, err := e.client.CreateCompartment(context.Background(), in)
	oe := asError(t, err)
	if oe.StatusCode != http.StatusTooManyRequests || oe.Code != oci.CodeTooManyRequests || oe.RetryAfter != 7*time.Second || oe.RequestID == "" {
		t.Fatalf("throttled answer %+v, want 429 TooManyRequests, RetryAfter 7s and a request id", oe)
	}
	if n := len(e.sim.Compartments()); n != 0 {
		t.Fatalf("a throttled create made %d compartments", n)
	}
	// The caller's retry, with the same token, then goes through.
	if _, err := e.client.CreateCompartment(context.Background(), in); err != nil {
		t.Fatalf("retry after throttling: %v", err)
	}
	if n := len(e.sim.Compartments()); n != 1 {
		t.Fatalf("emulator holds %d compartments, want 1", n)
	}
}

// TestClient_ServiceUnavailableIsSentOnce proves the SDK's retries are off
// for every operation, even with the environment asking for them: each call
// meets one queued 503 and must not come back for the answer behind it.
func TestClient_ServiceUnavailableIsSentOnce(t *testing.T) {
	t.Setenv("OCI_SDK_DEFAULT_RETRY_ENABLED", "true")
	t.Setenv("OCI_SDK_DEFAULT_CIRCUITBREAKER_ENABLED", "true")
	e := newEnv(t)
	ctx := context.Background()
	image := e.addImage(t)
	tenancy := e.sim.TenancyID()

	calls := []struct {
		op   string
		call func() error
	}{
		{ocisim.OpCreateCompartment, func() error {
			_, err := e.client.CreateCompartment(ctx, createInput(tenancy, "promoted", "wf-503"))
			return err
		}},
		{ocisim.OpGetCompartment, func() error { _, err := e.client.GetCompartment(ctx, tenancy); return err }},
		{ocisim.OpListCompartments, func() error { _, _, err := e.client.FindCompartment(ctx, tenancy, "x"); return err }},
		{ocisim.OpGetImage, func() error { _, err := e.client.GetImage(ctx, image); return err }},
		{ocisim.OpChangeImageCompartment, func() error {
			_, err := e.client.ChangeImageCompartment(ctx, oci.ChangeImageCompartmentInput{ImageID: image, CompartmentID: tenancy, RetryToken: "wf-503"})
			return err
		}},
	}
	for _, c := range calls {
		t.Run(c.op, func(t *testing.T) {
			e.sim.Faults().Inject(c.op, simkit.Fault{Status: http.StatusServiceUnavailable}, 1)
			oe := asError(t, c.call())
			if oe.StatusCode != http.StatusServiceUnavailable || oe.Code != oci.CodeServiceUnavailable || oe.Operation != c.op {
				t.Fatalf("answer %+v, want %s 503 ServiceUnavailable", oe, c.op)
			}
			if n := e.sim.Calls(c.op); n != 1 {
				t.Fatalf("%s sent %d requests for one call, want 1", c.op, n)
			}
		})
	}
}

// TestSDKDefaults_WouldRetryA503 is the control for the test above: an SDK
// client left as constructed comes back after the same 503 and succeeds.
func TestSDKDefaults_WouldRetryA503(t *testing.T) {
	e := newEnv(t)
	image := e.addImage(t)
	e.sim.Faults().Inject(ocisim.OpGetImage, simkit.Fault{Status: http.StatusServiceUnavailable}, 1)
	pemBytes, err := os.ReadFile(e.cfg.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	sdk, err := core.NewComputeClientWithConfigurationProvider(common.NewRawConfigurationProvider(
		e.cfg.TenancyID, e.cfg.UserID, e.cfg.Region, e.cfg.Fingerprint, string(pemBytes), nil))
	if err != nil {
		t.Fatal(err)
	}
	sdk.Host = e.srv.URL
	if _, err := sdk.GetImage(context.Background(), core.GetImageRequest{ImageId: &image}); err != nil {
		t.Fatalf("SDK default client: %v", err)
	}
	if n := e.sim.Calls(ocisim.OpGetImage); n != 2 {
		t.Fatalf("SDK default client sent %d requests, want 2 (one retry)", n)
	}
}

func TestClient_ManyFailuresNeverOpenACircuit(t *testing.T) {
	e := newEnv(t)
	const n = 25 // past the Identity breaker's minimum of requests
	e.sim.Faults().Inject(ocisim.OpGetCompartment, simkit.Fault{Status: http.StatusInternalServerError}, n)
	for i := range n {
		_, err := e.client.GetCompartment(context.Background(), e.sim.TenancyID())
		if oe := asError(t, err); oe.StatusCode != http.StatusInternalServerError {
			t.Fatalf("call %d answered %d, want 500", i, oe.StatusCode)
		}
	}
	if got := e.sim.Calls(ocisim.OpGetCompartment); got != n {
		t.Fatalf("%d calls reached the service, want all %d", got, n)
	}
}

func TestClient_TransportFailureIsNotAVendorError(t *testing.T) {
	e := newEnv(t)
	e.srv.Close()
	_, err := e.client.GetImage(context.Background(), "ocid1.image.oc1.iad.x")
	var oe *vendorerr.Error
	if err == nil || errors.As(err, &oe) {
		t.Fatalf("error %v: want a transport error, not *vendorerr.Error", err)
	}
}

func TestClient_CanceledContextEndsTheCall(t *testing.T) {
	e := newEnv(t)
	image := e.addImage(t)
	e.sim.Faults().Inject(ocisim.OpGetImage, simkit.Fault{Delay: 5 * time.Second}, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := e.client.GetImage(ctx, image)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want context.DeadlineExceeded", err)
	}
}
