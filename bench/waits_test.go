package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/fpp/fpptest"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweitest"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/oci/ocitest"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacktest"
	"github.com/imagepipe/imagepipe/workflows"
)

// jobVendors are the vendor of each job kind rolloutSpec waits for, and
// how its calls show a job made, a look at it, and a look that found it
// done: read from the emulators' answers, the same on the dev server and
// in the time-skipping environment.
var jobVendors = []struct {
	vendor, kind string
	step         string // rolloutSpec's step that waits for it
	creates      func(c call) bool
	polls        func(c call) bool
	done         func(c call) bool
}{
	{activities.VendorFPP, workflows.JobFPP, "import",
		func(c call) bool {
			return c.Method == http.MethodPost && strings.HasSuffix(c.Path, "/rhp/images") && c.Status < 300
		},
		func(c call) bool {
			return c.Method == http.MethodGet && strings.Contains(c.Path, "/rhp/jobs/") && !strings.HasSuffix(c.Path, "/output")
		},
		func(c call) bool { return strings.Contains(c.Body, `"status":"SUCCEEDED"`) }},
	{activities.VendorHuawei, workflows.JobHuawei, "copy",
		func(c call) bool {
			return c.Method == http.MethodPost && strings.HasSuffix(c.Path, "/copy") && c.Status < 300
		},
		func(c call) bool { return c.Method == http.MethodGet && strings.Contains(c.Path, "/jobs/") },
		func(c call) bool { return strings.Contains(c.Body, `"status":"SUCCESS"`) }},
	{activities.VendorZStack, workflows.JobZStack, "attributes",
		func(c call) bool {
			return c.Method == http.MethodPut && strings.HasSuffix(c.Path, "/actions") && c.Status < 300
		},
		func(c call) bool { return c.Method == http.MethodGet && strings.Contains(c.Path, "/api-jobs/") },
		func(c call) bool { return c.Status == http.StatusOK }},
	{activities.VendorOCI, workflows.JobOCICompartment, "compartment",
		func(c call) bool {
			return c.Method == http.MethodPost && strings.HasSuffix(c.Path, "/compartments") && c.Status < 300
		},
		func(c call) bool { return c.Method == http.MethodGet && strings.Contains(c.Path, "/compartments/") },
		func(c call) bool { return strings.Contains(c.Body, `"lifecycleState":"ACTIVE"`) }},
}

// jobLength is how long a job of kind takes in a run of length d.
func jobLength(kind string, d time.Duration) time.Duration {
	if kind == workflows.JobZStack || kind == workflows.JobOCICompartment {
		return min(d, shortJobCap)
	}
	return d
}

// waitsFrom reads each job's polls and detection delay (its first look
// that found it done, less the moment it was done: made + its length)
// from the vendor calls of one pipeline whose run length is d.
func waitsFrom(t *testing.T, calls []call, d time.Duration) []WaitStats {
	t.Helper()
	var out []WaitStats
	for _, jv := range jobVendors {
		job := jobLength(jv.kind, d)
		w := WaitStats{Kind: jv.kind, JobSeconds: job.Seconds()}
		var made, noticed time.Time
		for _, c := range calls {
			switch {
			case c.Vendor != jv.vendor:
			case jv.creates(c) && made.IsZero():
				made = c.At
			case jv.polls(c) && !made.IsZero() && noticed.IsZero():
				w.Polls++
				if jv.done(c) {
					noticed = c.At
				}
			}
		}
		if made.IsZero() || noticed.IsZero() {
			t.Fatalf("%s: no job made or none seen done in %d vendor calls", jv.kind, len(calls))
		}
		w.DelaySeconds = seconds(noticed.Sub(made.Add(job)))
		out = append(out, w)
	}
	return out
}

// measureWaits runs rolloutSpec with every job of each length: on the
// dev server in real time for the lengths of IMAGEPIPE_BENCH_REAL_WAITS,
// in the SDK's time-skipping environment (the emulators on its clock) for
// those of IMAGEPIPE_BENCH_SIM_WAITS.
func measureWaits(ctx context.Context, t *testing.T) *WaitsResult {
	real := knobDurations(t, "IMAGEPIPE_BENCH_REAL_WAITS", []time.Duration{10 * time.Second, time.Minute})
	sim := knobDurations(t, "IMAGEPIPE_BENCH_SIM_WAITS", []time.Duration{10 * time.Minute, time.Hour, 24 * time.Hour})
	if len(real) < 2 {
		t.Fatal("IMAGEPIPE_BENCH_REAL_WAITS: want two lengths at least, to measure what one more poll costs")
	}
	res := &WaitsResult{}
	for _, d := range real {
		t.Run("real-"+d.String(), func(t *testing.T) {
			res.Runs = append(res.Runs, realWait(ctx, t, d))
		})
	}
	res.pollCost()
	for _, d := range sim {
		t.Run("simulated-"+d.String(), func(t *testing.T) {
			res.Runs = append(res.Runs, simulatedWait(t, d))
		})
	}
	res.extrapolate()
	for _, r := range res.Runs {
		var parts []string
		for _, w := range r.Waits {
			parts = append(parts, fmt.Sprintf("%s %d polls, noticed %.1fs late", w.Kind, w.Polls, w.DelaySeconds))
		}
		how := "real time"
		if r.Simulated {
			how = "simulated time"
		}
		fmt.Printf("bench: waits %s (%s): %s | pipeline %d events, %d state transitions, %.0f actions\n",
			r.Job, how, strings.Join(parts, "; "), r.Events, r.StateTransitions, r.Actions)
	}
	fmt.Printf("bench: waits: one more poll costs %.1f history events, %.1f state transitions, %.1f actions\n",
		res.EventsPerPoll, res.StateTransitionsPerPoll, res.ActionsPerPoll)
	return res
}

// realWait runs one pipeline on a dev server of its own, every job taking d.
func realWait(ctx context.Context, t *testing.T, d time.Duration) WaitRun {
	short := jobLength(workflows.JobZStack, d)
	s := newStack(t, stackOptions{timing: simkit.Timing{Activation: short, Job: d}, zstackJob: short, noFloor: true})
	spec, err := workflows.Default().Catalog().Parse("bench.yaml", []byte(rolloutSpec))
	if err != nil {
		t.Fatal(err)
	}
	before := s.actions(ctx, t)
	s.vendorCalls.record()
	began := time.Now()
	id := fmt.Sprintf("wait-%s-%d", d, time.Now().UnixNano()%100000)
	run, err := s.c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: s.queue}, workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec})
	if err == nil {
		err = run.Get(ctx, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	wall := time.Since(began)
	calls := s.vendorCalls.stop()
	r := WaitRun{Job: d.String(), JobSecs: d.Seconds(), Waits: waitsFrom(t, calls, d), WallSeconds: wall.Seconds()}
	tree, err := walkTree(ctx, s.c, id)
	if err != nil {
		t.Fatal(err)
	}
	r.Events, r.StateTransitions = tree.Events, tree.StateTransitions
	for i, w := range r.Waits {
		cost := tree.Waits[jobVendors[i].step]
		r.Waits[i].Events, r.Waits[i].Attempts = cost.Events, cost.Attempts
		r.Polls += w.Polls
	}
	after := s.actions(ctx, t)
	for k, v := range after {
		r.Actions += v - before[k]
	}
	return r
}

// simulatedWait runs one pipeline in the SDK's time-skipping test
// environment, with the real activities calling the emulators over HTTP
// and the emulators on the environment's clock: a day-long job takes a
// day of workflow time and seconds of real time. The environment keeps
// no server history, so the events and transitions are extrapolated.
func simulatedWait(t *testing.T, d time.Duration) WaitRun {
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(log.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	env := suite.NewTestWorkflowEnvironment()
	env.SetTestTimeout(10 * time.Minute)
	clock := simkit.Clock(env.Now)
	calls := newCallLog(clock)
	calls.record()
	wrap := func(vendor string) testenv.Wrap {
		return func(base http.RoundTripper) http.RoundTripper {
			return &recordingTransport{base: base, vendor: vendor, log: calls}
		}
	}
	short := jobLength(workflows.JobZStack, d)
	timing := simkit.Timing{Clock: clock, Activation: short, Job: d}
	zsOpts := zstacksim.Demo(timing)
	zsOpts.JobDuration = short
	oci := ocitest.New(t, ocisim.Demo(timing), wrap(activities.VendorOCI))
	fpp := fpptest.New(t, fppsim.Demo(timing), wrap(activities.VendorFPP))
	ims := huaweitest.New(t, huaweisim.Demo(timing), wrap(activities.VendorHuawei))
	zs := zstacktest.New(t, zsOpts, wrap(activities.VendorZStack))
	// The environment keeps no history: a wait's attempts are counted as
	// they start.
	var attemptsMu sync.Mutex
	attempts := map[string]int{}
	env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		if info.ActivityType.Name != workflows.WaitForJob {
			return
		}
		step, _, _ := strings.Cut(info.ActivityID, "#")
		attemptsMu.Lock()
		attempts[step]++
		attemptsMu.Unlock()
	})
	workflows.Register(env, workflows.Default(),
		&activities.OCI{Client: oci.Client}, &activities.FPP{Client: fpp.Client}, &activities.Huawei{Client: ims.Client}, &activities.ZStack{Client: zs.Client})
	spec, err := workflows.Default().Catalog().Parse("bench.yaml", []byte(rolloutSpec))
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	env.ExecuteWorkflow(workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec})
	if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
		t.Fatalf("pipeline with %s jobs: completed %v, error %v", d, env.IsWorkflowCompleted(), env.GetWorkflowError())
	}
	r := WaitRun{Job: d.String(), JobSecs: d.Seconds(), Simulated: true, Waits: waitsFrom(t, calls.stop(), d), WallSeconds: time.Since(began).Seconds()}
	for i, w := range r.Waits {
		r.Polls += w.Polls
		r.Waits[i].Attempts = attempts[jobVendors[i].step]
	}
	return r
}

// recordingTransport records a client's calls to one vendor, as callLog's
// handler wrapper records a server's.
type recordingTransport struct {
	base   http.RoundTripper
	vendor string
	log    *callLog
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := rt.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, rerr := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if rerr != nil {
		return resp, nil
	}
	if len(body) > 4096 {
		body = body[:4096]
	}
	rt.log.add(call{At: rt.log.clock(), Vendor: rt.vendor, Method: req.Method, Path: req.URL.Path, Status: resp.StatusCode, Body: string(body)})
	return resp, nil
}
