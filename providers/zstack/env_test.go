package zstack_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/vendorerr"
	"github.com/imagepipe/imagepipe/providers/zstack"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

type env struct {
	sim    *zstacksim.Server
	srv    *httptest.Server
	clock  *simkit.ManualClock
	client *zstack.Client
	image  zstacksim.Image // a seeded image
	// holds wraps the emulator, so a test can lose an answer.
	holds *simkit.Holds
}

const (
	testAccount  = "pipeline"
	testPassword = "s3cret-pw"
)

// newEnv starts an emulator holding one image and a client logged out.
func newEnv(t *testing.T, opts zstacksim.Options) *env {
	t.Helper()
	clock := simkit.NewManualClock(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC))
	if opts.Clock == nil {
		opts.Clock = clock.Now
	}
	if opts.Accounts == nil {
		opts.Accounts = map[string]string{testAccount: testPassword}
	}
	sim := zstacksim.New(opts)
	img := sim.AddImage(zstacksim.Image{
		Name: "gold-centos", Description: "golden image", GuestOSType: "CentOS 7",
		Platform: "Linux", Architecture: "x86_64", Format: "qcow2", MediaType: "RootVolumeTemplate",
		Size: 1 << 30,
	})
	holds := &simkit.Holds{}
	srv := httptest.NewServer(holds.Wrap(sim))
	t.Cleanup(srv.Close)
	return &env{sim: sim, srv: srv, clock: clock, client: newClient(t, srv.URL, testPassword), image: img, holds: holds}
}

func newClient(t *testing.T, endpoint, password string) *zstack.Client {
	t.Helper()
	c, err := zstack.New(zstack.Config{
		Endpoint:    endpoint,
		AccountName: testAccount,
		Password:    password,
		HTTPClient:  &http.Client{Timeout: 5 * time.Second},
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func ptr(s string) *string { return &s }

// vendorErr asserts err carries a *vendorerr.Error and returns it.
func vendorErr(t *testing.T, err error) *vendorerr.Error {
	t.Helper()
	var ze *vendorerr.Error
	if !errors.As(err, &ze) {
		t.Fatalf("error %v (%T) carries no *vendorerr.Error", err, err)
	}
	return ze
}

// awaitJob polls once, moves the clock past the job's duration, and polls
// again, returning the final state.
func (e *env) awaitJob(t *testing.T, location string, d time.Duration) zstack.Job {
	t.Helper()
	e.clock.Advance(d)
	job, err := e.client.GetJob(context.Background(), location)
	if err != nil {
		t.Fatalf("GetJob: %v", err)
	}
	if !job.Done() {
		t.Fatalf("job %s still %s after %v", job.UUID, job.State, d)
	}
	return job
}
