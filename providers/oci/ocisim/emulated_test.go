package ocisim_test

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// The emulator binary's activation delay is the OCI emulator's own
// setting, read through the setup's Getenv: a compartment stays CREATING
// for as long as it says, and the worker's config signs for the tenancy.
func TestEmulated_ActivationDelayIsReadFromItsOwnVariable(t *testing.T) {
	clock := simkit.NewManualClock(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{ocisim.ActivationDelayVariable: "1h"}
	served, err := ocisim.Emulated().Serve(simkit.EmulatorSetup{Dir: t.TempDir(), Endpoint: "http://" + ln.Addr().String(),
		Timing: simkit.Timing{Clock: clock.Now}, Getenv: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: served.Handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	cfg, err := oci.LoadConfigFile(served.WorkerEnv[0][len("IMAGEPIPE_OCI_CONFIG_FILE="):], oci.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	client, err := oci.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, err := client.CreateCompartment(ctx, oci.CreateCompartmentInput{ParentID: ocisim.DemoTenancyID, Name: "slow", Description: "slow", RetryToken: "token-slow"})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(59 * time.Minute)
	if got, err := client.GetCompartment(ctx, c.ID); err != nil || got.LifecycleState != ocisim.CompartmentCreating {
		t.Errorf("after 59 min: %+v, %v; want still CREATING", got, err)
	}
	clock.Advance(2 * time.Minute)
	if got, err := client.GetCompartment(ctx, c.ID); err != nil || got.LifecycleState != ocisim.CompartmentActive {
		t.Errorf("after 61 min: %+v, %v; want ACTIVE", got, err)
	}
}
