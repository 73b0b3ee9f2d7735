// Package huaweitest serves the IMS emulator (huaweisim) for the duration of
// a test, with a client signing as a worker signs, the way
// net/http/httptest serves a handler. Sim finds the emulator among those a
// test environment serves.
package huaweitest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/imagepipe/imagepipe/providers/huawei"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Huawei is the IMS emulator and a client signing with its default AK/SK.
type Huawei struct {
	Sim    *huaweisim.Server
	Client *huawei.Client
	URL    string
}

// New serves an IMS emulator with opts for the test's duration; wrap, when
// not nil, wraps the client's transport.
func New(t testing.TB, opts huaweisim.Options, wrap simkit.Wrap) *Huawei {
	t.Helper()
	sim := huaweisim.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	client, err := huawei.New(huawei.Config{
		Endpoint: srv.URL, ProjectID: sim.ProjectID(),
		AccessKey: huaweisim.DefaultAccessKey, SecretKey: huaweisim.DefaultSecretKey,
		HTTPClient: wrap.Client(http.DefaultTransport),
	})
	if err != nil {
		t.Fatal(err)
	}
	return &Huawei{Sim: sim, Client: client, URL: srv.URL}
}

// Sim is the IMS emulator among the emulators set serves.
func Sim(set simkit.ServedSet) *huaweisim.Server {
	return simkit.SimOf[*huaweisim.Server](set, huaweisim.Emulated())
}
