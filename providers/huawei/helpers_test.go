package huawei_test

import (
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/huawei"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

// env is an emulator served over HTTP with a source image to copy, and a
// client with the emulator's credentials.
type env struct {
	sim    *huaweisim.Server
	url    string
	clock  *simkit.ManualClock
	source huaweisim.Image
	client *huawei.Client
	// holds wraps the emulator, so a test can lose an answer.
	holds *simkit.Holds
}

func newEnv(t *testing.T, opts huaweisim.Options) *env {
	t.Helper()
	clock := simkit.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	opts.Clock = clock.Now
	if opts.JobDuration == 0 {
		opts.JobDuration = 10 * time.Minute
	}
	sim := huaweisim.New(opts)
	holds := &simkit.Holds{}
	srv := httptest.NewServer(holds.Wrap(sim))
	t.Cleanup(srv.Close)
	e := &env{sim: sim, url: srv.URL, clock: clock, holds: holds}
	e.source = sim.AddImage(huaweisim.Image{Name: "gold-ubuntu-22.04"})
	e.client = e.newClient(t, nil)
	return e
}

// newClient builds a client for the emulator; edit changes the config first.
func (e *env) newClient(t *testing.T, edit func(*huawei.Config)) *huawei.Client {
	t.Helper()
	cfg := huawei.Config{
		Endpoint:  e.url,
		ProjectID: e.sim.ProjectID(),
		AccessKey: huaweisim.DefaultAccessKey,
		SecretKey: huaweisim.DefaultSecretKey,
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := huawei.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// imagesNamed lists the emulator's images called name.
func (e *env) imagesNamed(name string) []huaweisim.Image {
	var out []huaweisim.Image
	for _, img := range e.sim.Images() {
		if img.Name == name {
			out = append(out, img)
		}
	}
	return out
}

// vendorError asserts err carries a *vendorerr.Error and returns it.
func vendorError(t *testing.T, err error) *vendorerr.Error {
	t.Helper()
	var ve *vendorerr.Error
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *vendorerr.Error", err, err)
	}
	if ve.RequestID == "" {
		t.Errorf("vendor error %v has no request id", ve)
	}
	return ve
}
