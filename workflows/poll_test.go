package workflows_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/workflows"
)

// pollOf is each vendor's job poll: the emulator's name for it and a part
// of its path.
var pollOf = map[string]struct{ op, path string }{
	"oci":    {"GetCompartment", "/compartments/ocid1"},
	"fpp":    {"GetJob", "/rhp/jobs/"},
	"huawei": {"ShowJob", "/jobs/"},
	"zstack": {"GetAPIJob", "/api-jobs/"},
}

// A poll that meets a passing error (the vendor's or a proxy's 5xx, ZStack's
// "management node unavailable", a dropped connection, an answer with no
// state) learns nothing about the job: it is retried, and the step succeeds.
func TestImagePipeline_PassingErrorOnAJobPollIsRetried(t *testing.T) {
	faults := []struct {
		name   string
		inject func(f *fixture, vendor string)
		wrap   func(vendor string) testenv.Wrap
	}{
		{name: "503", inject: func(f *fixture, vendor string) {
			// ZStack's own 503 says SYS.1012, "the management node is unavailable".
			f.faults(vendor).Inject(pollOf[vendor].op, simkit.Fault{Status: http.StatusServiceUnavailable}, 1)
		}},
		{name: "500", inject: func(f *fixture, vendor string) {
			f.faults(vendor).Inject(pollOf[vendor].op, simkit.Fault{Status: http.StatusInternalServerError}, 1)
		}},
		{name: "dropped connection", wrap: func(vendor string) testenv.Wrap {
			return testenv.LoseAnswer(http.MethodGet, pollOf[vendor].path, 1)
		}},
		{name: "answer without a state", wrap: func(vendor string) testenv.Wrap {
			return replaceAnswer(http.MethodGet, pollOf[vendor].path, `{}`, 1)
		}},
	}
	for _, vc := range vendorCases() {
		for _, fault := range faults {
			t.Run(vc.vendor+"/"+fault.name, func(t *testing.T) {
				o := options{activation: time.Minute, jobDuration: 5 * time.Minute}
				if fault.wrap != nil {
					o.wrap = map[string]testenv.Wrap{vc.vendor: fault.wrap(vc.vendor)}
				}
				f := newFixture(t, o)
				if fault.inject != nil {
					fault.inject(f, vc.vendor)
				}
				res, err := f.run(t, parse(t, vc.spec))
				if err != nil {
					t.Fatalf("pipeline failed after one %s on a %s poll: %v", fault.name, vc.vendor, err)
				}
				if st, _ := res.Step("step"); st.State != workflows.StepSucceeded {
					t.Errorf("step = %+v", st)
				}
				if got := vc.resources(f); got != 1 {
					t.Errorf("%d resources created or changed, want 1", got)
				}
			})
		}
	}
}

// A SYS.1012 that does not pass is ZStack's word on the job: the node that
// ran it left. The step fails, saying the outcome is unknown.
func TestImagePipeline_ZStackNodeUnavailableThatPersistsFailsTheStep(t *testing.T) {
	f := newFixture(t, options{jobDuration: time.Minute})
	f.zstack.Sim.Faults().Inject("GetAPIJob", simkit.Fault{Status: http.StatusServiceUnavailable}, 1000)
	_, err := f.run(t, parse(t, vendorCases()[3].spec))
	if err == nil {
		t.Fatal("pipeline succeeded although every poll said the management node was unavailable")
	}
	for _, want := range []string{`step "step"`, "SYS.1012", "whether it applied is unknown"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}
	if polls := f.zstack.Sim.Calls("GetAPIJob"); polls < 10 || polls > 20 {
		t.Errorf("%d polls, want the ten or so it takes to believe the answer", polls)
	}
}

// replaceAnswer makes the first times answers to requests matching method
// and path carry body instead of the vendor's, with status 200.
func replaceAnswer(method, pathPart, body string, times int) testenv.Wrap {
	var mu sync.Mutex
	left := times
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(r)
			if err != nil || r.Method != method || !strings.Contains(r.URL.Path, pathPart) {
				return resp, err
			}
			mu.Lock()
			replace := left > 0
			if replace {
				left--
			}
			mu.Unlock()
			if !replace {
				return resp, nil
			}
			resp.Body.Close()
			resp.StatusCode, resp.Status = http.StatusOK, "200 OK"
			resp.Body = io.NopCloser(bytes.NewReader([]byte(body)))
			resp.ContentLength = int64(len(body))
			resp.Header.Del("Content-Length")
			return resp, nil
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// OCI Identity is eventually consistent: a compartment just created can
// answer NotAuthorizedOrNotFound for a while. The poll waits that out; a
// 404 that persists fails the step with OCI's answer.
func TestImagePipeline_CompartmentNotFoundRightAfterCreateIsWaitedOut(t *testing.T) {
	notFound := simkit.Fault{Status: http.StatusNotFound, Code: "NotAuthorizedOrNotFound", Message: "Authorization failed or requested resource not found."}
	t.Run("passing", func(t *testing.T) {
		f := newFixture(t, options{activation: time.Minute})
		f.oci.Sim.Faults().Inject("GetCompartment", notFound, 3)
		if _, err := f.run(t, parse(t, vendorCases()[0].spec)); err != nil {
			t.Fatalf("pipeline failed on a new compartment not yet visible: %v", err)
		}
		if got := len(f.oci.Sim.Compartments()); got != 1 {
			t.Errorf("%d compartments, want 1", got)
		}
	})
	t.Run("persisting", func(t *testing.T) {
		f := newFixture(t, options{activation: time.Minute})
		f.oci.Sim.Faults().Inject("GetCompartment", notFound, 1000)
		_, err := f.run(t, parse(t, vendorCases()[0].spec))
		if err == nil || !strings.Contains(err.Error(), "404 NotAuthorizedOrNotFound") {
			t.Fatalf("err = %v, want OCI's 404 once it persists", err)
		}
		if polls := f.oci.Sim.Calls("GetCompartment"); polls < 10 || polls > 20 {
			t.Errorf("%d polls, want the ten or so it takes to believe the answer", polls)
		}
	})
}
