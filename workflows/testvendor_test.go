package workflows_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/workflows"
)

// This file is a whole vendor that exists only here: "widgets", an API
// whose create is a job to poll and whose widgets can be deleted. It has an
// emulator (widgetSim), a client (widgetClient), activities
// (widgetActivities), one action with its typed inputs and outputs and an
// inverse (widgetVendor), and one job kind. The test runs a pipeline with it
// through the engine, rollback included, with no change to any file outside
// this one: what a new vendor needs of the engine is the registry.

// widgetSim is the widget API: POST /widgets {name} starts a job that ends
// after two looks at it, GET /jobs/{id} looks, DELETE /widgets/{name}
// deletes. Names with "refuse" in them are refused (400).
type widgetSim struct {
	mu      sync.Mutex
	widgets map[string]bool
	jobs    map[string]*widgetJob
	calls   []string
}

type widgetJob struct {
	name  string
	looks int
}

func newWidgetSim() *widgetSim {
	return &widgetSim{widgets: map[string]bool{}, jobs: map[string]*widgetJob{}}
}

func (s *widgetSim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, r.Method+" "+r.URL.Path)
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/widgets":
		var body struct{ Name string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Name == "" || strings.Contains(body.Name, "refuse") {
			http.Error(w, "bad widget name", http.StatusBadRequest)
			return
		}
		id := fmt.Sprintf("job-%d", len(s.jobs)+1)
		s.jobs[id] = &widgetJob{name: body.Name}
		w.WriteHeader(http.StatusAccepted)
		_ = json.NewEncoder(w).Encode(map[string]string{"job_id": id})
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/jobs/"):
		job, ok := s.jobs[strings.TrimPrefix(r.URL.Path, "/jobs/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		job.looks++
		state := "RUNNING"
		if job.looks > 2 {
			state = "DONE"
			s.widgets[job.name] = true
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"state": state, "widget_id": "w-" + job.name})
	case r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/widgets/"):
		name := strings.TrimPrefix(r.URL.Path, "/widgets/")
		if !s.widgets[name] {
			http.NotFound(w, r)
			return
		}
		delete(s.widgets, name)
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

func (s *widgetSim) state() (widgets, calls []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name := range s.widgets {
		widgets = append(widgets, name)
	}
	slices.Sort(widgets)
	return widgets, slices.Clone(s.calls)
}

// widgetClient is the widget API's client.
type widgetClient struct{ url string }

// errWidgetRefused is the API's 4xx; errNoWidget its 404.
var (
	errWidgetRefused = errors.New("widget refused")
	errNoWidget      = errors.New("no such widget")
)

func (c *widgetClient) do(ctx context.Context, method, path string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	req, err := http.NewRequestWithContext(ctx, method, c.url+path, rd)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return fmt.Errorf("%s %s: %w", method, path, errNoWidget)
	}
	if resp.StatusCode >= 400 {
		return fmt.Errorf("%s %s: %d: %w", method, path, resp.StatusCode, errWidgetRefused)
	}
	if out != nil {
		return json.NewDecoder(resp.Body).Decode(out)
	}
	return nil
}

// widgetActivities are the widget vendor's activities.
type widgetActivities struct{ client *widgetClient }

type widgetCreateInput struct {
	activities.Unit
	Name string `json:"name"`
}

func vendorError(step string, err error) error {
	if errors.Is(err, errWidgetRefused) {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("step %q: %v", step, err), "widget.Refused", nil)
	}
	return err
}

func (a *widgetActivities) WidgetCreate(ctx context.Context, in widgetCreateInput) (string, error) {
	var res struct {
		JobID string `json:"job_id"`
	}
	if err := a.client.do(ctx, http.MethodPost, "/widgets", map[string]string{"name": in.Name}, &res); err != nil {
		return "", vendorError(in.UnitName(), err)
	}
	return res.JobID, nil
}

func (a *widgetActivities) WidgetJobState(ctx context.Context, in activities.PollInput) (activities.JobStatus, error) {
	var res struct {
		State    string `json:"state"`
		WidgetID string `json:"widget_id"`
	}
	if err := a.client.do(ctx, http.MethodGet, "/jobs/"+in.JobID, nil, &res); err != nil {
		return activities.JobStatus{}, vendorError(in.UnitName(), err)
	}
	done := res.State == "DONE"
	return activities.JobStatus{Done: done, Succeeded: done, State: res.State,
		Outputs: map[string]string{"widget_id": res.WidgetID}}, nil
}

// WidgetDelete deletes a widget, and reports whether there was one.
func (a *widgetActivities) WidgetDelete(ctx context.Context, in widgetCreateInput) (bool, error) {
	err := a.client.do(ctx, http.MethodDelete, "/widgets/"+in.Name, nil, nil)
	if errors.Is(err, errNoWidget) {
		return false, nil
	}
	return err == nil, vendorError(in.UnitName(), err)
}

// The widget action: its inputs and outputs, declared once.
type makeWidgetInput struct {
	Name string `json:"name" required:"true" doc:"name of the widget"`
}

type makeWidgetOutput struct {
	WidgetID string `json:"widget_id"`
}

const jobWidget = "widget.job"

func widgetVendor() workflows.Vendor {
	var a *widgetActivities
	decl := pipeline.Declare[makeWidgetInput, makeWidgetOutput](pipeline.Action{
		Name: "widget.make", Vendor: "widget", API: "Widget API",
		Doc:     "Make a widget and wait for its job.",
		Inverse: "deletes the widget",
	}, nil)
	run := func(ctx workflow.Context, s *workflows.Step, in makeWidgetInput) (makeWidgetOutput, error) {
		call := widgetCreateInput{Unit: s.Unit(), Name: in.Name}
		s.Compensate(call) // before the call: its answer could be lost
		var jobID string
		if err := s.Mutate(ctx, "make widget "+in.Name, a.WidgetCreate, call, &jobID); err != nil {
			return makeWidgetOutput{}, err
		}
		st, err := s.Await(ctx, jobWidget, jobID)
		if err != nil {
			return makeWidgetOutput{}, err
		}
		return makeWidgetOutput{WidgetID: st.Outputs["widget_id"]}, nil
	}
	undo := func(ctx workflow.Context, s *workflows.Step, made widgetCreateInput) (string, bool, error) {
		made.Unit = s.Unit()
		var deleted bool
		if err := s.Call(ctx, "delete widget "+made.Name, a.WidgetDelete, made, &deleted); err != nil {
			return "", false, err
		}
		if !deleted {
			return "nothing to undo: no widget " + made.Name, false, nil
		}
		return "deleted widget " + made.Name, true, nil
	}
	return workflows.Vendor{
		Name:    "widget",
		Actions: []workflows.Action{workflows.NewReversibleAction(decl, run, undo)},
		Jobs: []workflows.JobKind{{Kind: jobWidget, Poll: a.WidgetJobState, Policy: workflows.PollPolicy{
			Initial: time.Second, Multiplier: 2, Max: 10 * time.Second, Timeout: time.Hour, PollsPerRun: workflows.ProductionPollsPerRun}}},
		Activities: &widgetActivities{},
	}
}

const widgetPipeline = `name: widgets
on_failure: rollback
concurrency:
  widget: 1
steps:
  - id: first
    uses: widget.make
    with:
      name: alpha
  - id: second
    uses: widget.make
    needs: first
    with:
      name: refuse-${{ steps.first.outputs.widget_id }}
`

func TestRegistry_AVendorOfATestPackageRunsAPipelineAndRollsItBack(t *testing.T) {
	reg, err := workflows.NewRegistry(append(workflows.Vendors(), widgetVendor())...)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := reg.Catalog().Parse("widgets.yaml", []byte(widgetPipeline))
	if err != nil {
		t.Fatalf("the registry's catalog refuses its own vendor's pipeline: %v", err)
	}
	if _, err := workflows.Default().Catalog().Parse("widgets.yaml", []byte(widgetPipeline)); err == nil || !strings.Contains(err.Error(), `unknown action "widget.make"`) {
		t.Errorf("the default catalog parsed a pipeline of a vendor it does not list: err = %v", err)
	}

	sim := newWidgetSim()
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(log.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	env := suite.NewTestWorkflowEnvironment()
	workflows.Register(env, reg, &widgetActivities{client: &widgetClient{url: srv.URL}})
	// By name: the function would run the default vendors' engine.
	env.ExecuteWorkflow("ImagePipeline", workflows.PipelineInput{Spec: *spec})

	if !env.IsWorkflowCompleted() {
		t.Fatal("pipeline did not complete")
	}
	err = env.GetWorkflowError()
	if err == nil || !strings.Contains(err.Error(), `step "second"`) || !strings.Contains(err.Error(), "400") {
		t.Errorf("pipeline error = %v, want the second step's refusal (400)", err)
	}
	v, err := env.QueryWorkflow(workflows.ProgressQuery)
	if err != nil {
		t.Fatal(err)
	}
	var p workflows.Progress
	if err := v.Get(&p); err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, st := range p.Steps {
		states[st.ID] = st.State
	}
	if states["first"] != workflows.StepRolledBack || states["second"] != workflows.StepFailed {
		t.Errorf("step states = %v, want first rolled back and second failed", states)
	}
	want := []string{"second: nothing to undo: no widget refuse-w-alpha", "first: deleted widget alpha"}
	if !slices.Equal(p.Rollback, want) {
		t.Errorf("rollback = %q, want %q (newest compensation first; the refused call's was owed too)", p.Rollback, want)
	}
	widgets, calls := sim.state()
	if len(widgets) != 0 {
		t.Errorf("widgets left after rollback: %v", widgets)
	}
	polls := 0
	for _, c := range calls {
		if c == "GET /jobs/job-1" {
			polls++
		}
	}
	if polls != 3 || !slices.Contains(calls, "DELETE /widgets/alpha") {
		t.Errorf("vendor calls = %v, want the job polled until done (3 looks) and the widget deleted", calls)
	}
}
