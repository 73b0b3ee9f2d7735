package crash

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// mutation is a vendor call that changes something, and the header that
// carries its idempotency key (none: the vendor has no token, and the
// step checks before it creates).
type mutation struct {
	vendor    string
	op        string
	method    string
	path      func(string) bool
	keyHeader string
}

var mutations = []*mutation{
	{activities.VendorFPP, fppsim.OpImportImage, http.MethodPost, exact("/rhp-restapi/rhp/images"), ""},
	{activities.VendorHuawei, huaweisim.OpCopyImageInRegion, http.MethodPost, shaped("/v1/cloudimages/*/copy"), ""},
	{activities.VendorZStack, zstacksim.OpUpdateImage, http.MethodPut, shaped("/zstack/v1/images/*/actions"), "X-Job-UUID"},
	{activities.VendorOCI, ocisim.OpCreateCompartment, http.MethodPost, exact("/20160918/compartments"), "opc-retry-token"},
	{activities.VendorOCI, ocisim.OpChangeImageCompartment, http.MethodPost, shaped("/20160918/images/*/actions/changeCompartment"), "opc-retry-token"},
}

func exact(want string) func(string) bool { return func(p string) bool { return p == want } }

// shaped matches a path segment by segment, "*" standing for any one.
func shaped(pattern string) func(string) bool {
	want := strings.Split(pattern, "/")
	return func(p string) bool {
		got := strings.Split(p, "/")
		if len(got) != len(want) {
			return false
		}
		for i := range want {
			if want[i] != "*" && want[i] != got[i] {
				return false
			}
		}
		return true
	}
}

func (m *mutation) matches(vendor string, r *http.Request) bool {
	return m.vendor == vendor && r.Method == m.method && m.path(r.URL.Path)
}

// call is one mutating request as a vendor saw it: what it changes (its
// path and body, canonical), the key it carried and the vendor's answer
// (0: none, the caller went away first).
type call struct {
	m      *mutation
	target string
	key    string
	status int
}

// recorder notes every mutating request the emulators receive.
type recorder struct {
	mu    sync.Mutex
	calls []call
}

func (rec *recorder) wrap(vendor string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m *mutation
		for _, c := range mutations {
			if c.matches(vendor, r) {
				m = c
			}
		}
		if m == nil {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return // the caller went away mid-request; the vendor saw nothing
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		c := call{m: m, target: r.URL.Path + " " + canonical(body)}
		if m.keyHeader != "" {
			c.key = r.Header.Get(m.keyHeader)
		}
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			c.status = sw.status
			rec.mu.Lock()
			rec.calls = append(rec.calls, c)
			rec.mu.Unlock()
		}()
		next.ServeHTTP(sw, r)
	})
}

// canonical is a JSON body with its keys sorted, so one mutation sent twice
// reads the same.
func canonical(body []byte) string {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return string(body)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// accepted counts the mutating calls vendors accepted (answered 2xx).
func (rec *recorder) accepted() int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	n := 0
	for _, c := range rec.calls {
		if c.status >= 200 && c.status < 300 {
			n++
		}
	}
	return n
}

// rekeyed lists every mutation that reached its vendor under more than one
// idempotency key, or under none: each such mutation could have happened
// twice.
func (rec *recorder) rekeyed() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	keys := map[string]map[string]bool{}
	for _, c := range rec.calls {
		if c.m.keyHeader == "" {
			continue
		}
		id := c.m.vendor + " " + c.m.op + " " + c.target
		if keys[id] == nil {
			keys[id] = map[string]bool{}
		}
		keys[id][c.key] = true
	}
	var out []string
	for id, ks := range keys {
		if len(ks) > 1 || ks[""] {
			out = append(out, fmt.Sprintf("%s: %d keys %v", id, len(ks), sortedKeys(ks)))
		}
	}
	sort.Strings(out)
	return out
}

// acceptedTwice lists every mutation without an idempotency key that a
// vendor accepted more than once. (A keyed one accepted again is a replay
// of the first answer; rekeyed covers those.)
func (rec *recorder) acceptedTwice() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	n := map[string]int{}
	for _, c := range rec.calls {
		if c.m.keyHeader == "" && c.status >= 200 && c.status < 300 {
			n[c.m.vendor+" "+c.m.op+" "+c.target]++
		}
	}
	var out []string
	for id, k := range n {
		if k > 1 {
			out = append(out, fmt.Sprintf("%s: accepted %d times", id, k))
		}
	}
	sort.Strings(out)
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
