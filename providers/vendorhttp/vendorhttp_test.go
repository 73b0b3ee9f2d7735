package vendorhttp_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/vendorhttp"
)

// Two bursts of 16 calls at once to one vendor: the second reuses the
// first's connections instead of dialling (and handshaking) again.
func TestClient_ABurstOfCallsReusesThePreviousBurstsConnections(t *testing.T) {
	const burst = 16
	var dialled atomic.Int32
	var arrived sync.WaitGroup
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived.Done()
		arrived.Wait() // every call of the burst is in flight at once: one connection each
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dialled.Add(1)
		}
	}
	srv.StartTLS()
	defer srv.Close()
	tlsConfig := srv.Client().Transport.(*http.Transport).TLSClientConfig
	c := vendorhttp.Client(10*time.Second, tlsConfig)
	run := func() {
		arrived.Add(burst)
		var done sync.WaitGroup
		for range burst {
			done.Add(1)
			go func() {
				defer done.Done()
				resp, err := c.Get(srv.URL)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
			}()
		}
		done.Wait()
	}
	run()
	first := dialled.Load()
	run()
	if again := dialled.Load() - first; again != 0 {
		t.Errorf("the second burst of %d calls dialled %d new connections (the first dialled %d): idle ones were closed", burst, again, first)
	}
}
