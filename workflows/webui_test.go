package workflows_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	sdkpb "go.temporal.io/api/sdk/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/workflows"
)

// currentDetails is what the web UI shows as the pipeline's current
// details, read through the SDK's built-in metadata query.
func (f *fixture) currentDetails(t *testing.T) string {
	t.Helper()
	v, err := f.env.QueryWorkflow("__temporal_workflow_metadata")
	if err != nil {
		t.Fatal(err)
	}
	var md sdkpb.WorkflowMetadata
	if err := v.Get(&md); err != nil {
		t.Fatal(err)
	}
	return md.GetCurrentDetails()
}

// row finds the step table's row for a step (or "↳ item") and splits it
// into its cells.
func row(t *testing.T, details, first string) []string {
	t.Helper()
	for _, line := range strings.Split(details, "\n") {
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		if len(cells) == 6 && strings.TrimSpace(cells[0]) == first {
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			return cells
		}
	}
	t.Fatalf("no row %q in the current details:\n%s", first, details)
	return nil
}

// A pipeline's page shows a step table: each step's action, state, how long
// it took, its outputs (ids shortened) and the attempts its call needed;
// while a job runs, which job and how it stands; once done, nothing stale.
func TestImagePipeline_CurrentDetailsAreAStepTable(t *testing.T) {
	f := newFixture(t, options{activation: 70 * time.Second})
	// The job's state in the table is reported by AwaitJob children.
	f.awaitJobChildren()
	var during string
	f.at(20*time.Second, func() { during = f.currentDetails(t) })
	if _, err := f.run(t, rolloutSpec(t)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(during, "| step | action | state | duration | outputs | attempts |") {
		t.Fatalf("the current details are no step table:\n%s", during)
	}
	running := row(t, during, "`compartment`")
	if !regexp.MustCompile(`^» running: waiting for oci\.compartment ocid1\.compartment\.\S+: CREATING$`).MatchString(running[2]) {
		t.Errorf("while its job runs the compartment's state reads %q", running[2])
	}
	if !regexp.MustCompile(`^since \d\d:\d\d:\d\d UTC$`).MatchString(running[3]) {
		t.Errorf("while it runs the compartment's duration reads %q", running[3])
	}
	if pending := row(t, during, "`move`"); pending[2] != "· pending" || pending[3] != "" {
		t.Errorf("the move, not started, reads %q", pending)
	}

	done := f.currentDetails(t)
	if !strings.HasPrefix(done, "**rollout**: Succeeded") {
		t.Errorf("the current details begin %.40q", done)
	}
	c := row(t, done, "`compartment`")
	if c[1] != "oci.create_compartment" || c[2] != "✓ succeeded" {
		t.Errorf("compartment row = %q", c)
	}
	if !regexp.MustCompile(`^1m \d\ds$`).MatchString(c[3]) {
		t.Errorf("the compartment took %q, want about 1m 10s (its activation) in human form", c[3])
	}
	if !regexp.MustCompile(`^compartment_id=ocid1\.compartment\.oc1\.\.…\w{6}, created=true$`).MatchString(c[4]) {
		t.Errorf("the compartment's outputs read %q", c[4])
	}
	if c[5] != "1" {
		t.Errorf("the compartment's attempts read %q, want 1", c[5])
	}
	if strings.Contains(done, "CREATING") || strings.Contains(done, "poll") || strings.Contains(done, "waiting") {
		t.Errorf("the finished pipeline's details still say what it was doing:\n%s", done)
	}
}

// A fan-out step lists its items on rows of their own, each with its state,
// duration and outputs; a finished item keeps no job text.
func TestImagePipeline_CurrentDetailsListFanOutItems(t *testing.T) {
	f := newFixture(t, options{jobDuration: 3 * time.Minute})
	if _, err := f.run(t, parse(t, fanOutSpec("", 2))); err != nil {
		t.Fatal(err)
	}
	details := f.currentDetails(t)
	for _, item := range []string{"gold-copy-0", "gold-copy-1"} {
		r := row(t, details, "↳ "+item)
		if r[2] != "✓ succeeded" {
			t.Errorf("item %s reads %q, want it succeeded and nothing stale", item, r[2])
		}
		if !regexp.MustCompile(`^\dm \d\ds$`).MatchString(r[3]) {
			t.Errorf("item %s took %q, want minutes", item, r[3])
		}
		if !regexp.MustCompile(`^image_id=[0-9a-f]{8}…, job_id=[0-9a-f]{8}…$`).MatchString(r[4]) {
			t.Errorf("item %s outputs read %q", item, r[4])
		}
	}
	if strings.Contains(details, "INIT") || strings.Contains(details, "poll") {
		t.Errorf("finished items still show job text:\n%s", details)
	}
}

// A pipeline waiting for approval says how to decide: the exact approve and
// reject commands, who may approve, the deadline and the link.
func TestImagePipeline_WaitingApprovalShowsHowToDecide(t *testing.T) {
	f := newFixture(t, options{jobDuration: time.Second})
	f.env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: "pipeline-approve-1"})
	var during string
	var started time.Time
	f.at(30*time.Minute, func() { during = f.currentDetails(t); started = f.env.Now() })
	f.decide(t, time.Hour, workflows.ApproveUpdate, workflows.ApprovalInput{Step: "gate", By: "bob"})
	if _, err := f.run(t, parse(t, approvalSpec("stop"))); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"**Approval needed: `gate`**: check the release notes",
		"who may approve: alice, bob",
		"`starter approve pipeline-approve-1 --step gate --by YOUR_NAME`",
		"`starter reject pipeline-approve-1 --step gate --by YOUR_NAME --comment \"why\"`",
	} {
		if !strings.Contains(during, want) {
			t.Errorf("the waiting pipeline's details lack %q:\n%s", want, during)
		}
	}
	if !regexp.MustCompile(`web UI: \[pipeline-approve-1\]\(/namespaces/[\w-]+/workflows/pipeline-approve-1\)`).MatchString(during) {
		t.Errorf("the waiting pipeline's details lack the link to its page:\n%s", during)
	}
	if gate := row(t, during, "`gate`"); gate[2] != "? waiting for approval" {
		t.Errorf("the gate's state reads %q", gate[2])
	}
	deadline := regexp.MustCompile(`deadline: (\S+ \S+) UTC`).FindStringSubmatch(during)
	if deadline == nil {
		t.Fatalf("no deadline in:\n%s", during)
	}
	at, err := time.Parse("2006-01-02 15:04:05", deadline[1])
	if err != nil {
		t.Fatal(err)
	}
	// The gate began waiting a few seconds in, and waits 2h.
	if left := at.Sub(started.UTC()); left < 89*time.Minute || left > 91*time.Minute {
		t.Errorf("deadline %s is %s after %s, want the gate's 2h timeout from when it began", deadline[1], left, started.UTC())
	}
	if done := f.currentDetails(t); strings.Contains(done, "Approval needed") {
		t.Errorf("after the decision the details still ask for one:\n%s", done)
	}
}

// summaries records each activity's summary as the workflow schedules it.
type summaries struct {
	interceptor.WorkerInterceptorBase
	mu       sync.Mutex
	got      []string // activities'
	children []string // child workflows'
}

func (s *summaries) InterceptWorkflow(ctx workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	return &summaryInbound{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}, s: s}
}

type summaryInbound struct {
	interceptor.WorkflowInboundInterceptorBase
	s *summaries
}

func (i *summaryInbound) Init(outbound interceptor.WorkflowOutboundInterceptor) error {
	return i.Next.Init(&summaryOutbound{WorkflowOutboundInterceptorBase: interceptor.WorkflowOutboundInterceptorBase{Next: outbound}, s: i.s})
}

type summaryOutbound struct {
	interceptor.WorkflowOutboundInterceptorBase
	s *summaries
}

func (o *summaryOutbound) ExecuteActivity(ctx workflow.Context, activityType string, args ...interface{}) workflow.Future {
	o.s.mu.Lock()
	o.s.got = append(o.s.got, workflow.GetActivityOptions(ctx).Summary)
	o.s.mu.Unlock()
	return o.Next.ExecuteActivity(ctx, activityType, args...)
}

func (o *summaryOutbound) ExecuteChildWorkflow(ctx workflow.Context, childWorkflowType string, args ...interface{}) workflow.ChildWorkflowFuture {
	o.s.mu.Lock()
	o.s.children = append(o.s.children, workflow.GetChildWorkflowOptions(ctx).StaticSummary)
	o.s.mu.Unlock()
	return o.Next.ExecuteChildWorkflow(ctx, childWorkflowType, args...)
}

// Rollback's vendor calls say so in their summaries, so the web UI's event
// history tells the undo of a move from the move.
func TestImagePipeline_RollbackCallsAreLabelledAsRollback(t *testing.T) {
	f := newFixture(t, options{jobDuration: time.Second})
	rec := &summaries{}
	f.env.SetWorkerOptions(worker.Options{Interceptors: []interceptor.WorkerInterceptor{rec}})
	f.decide(t, time.Hour, workflows.RejectUpdate, workflows.ApprovalInput{Step: "gate", By: "alice", Comment: "no"})
	if _, err := f.run(t, parse(t, approvalSpec("rollback"))); err == nil {
		t.Fatal("the rejected pipeline succeeded")
	}
	all := strings.Join(rec.got, "\n")
	for _, want := range []string{
		"move: move image to ocid1.compartment.",
		"rollback move: read image " + imageID,
		"rollback move: move image to " + tenancyID,
		"attributes: update image " + zstackImage,
		"rollback attributes: update image " + zstackImage,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no activity summary %q among:\n%s", want, all)
		}
	}
	for _, s := range rec.got {
		if strings.HasPrefix(s, "move: move image to "+tenancyID) {
			t.Errorf("the undo of the move is labelled as the move: %q", s)
		}
	}
}

// A job wait's own page says how the job stands while it waits and, once
// the job has ended, how it ended: never a next look that will not come.
func TestAwaitJob_CurrentDetailsEndOnHowTheJobEnded(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	var a *activities.OCI
	workflows.Register(env, workflows.Default())
	polls := 0
	env.OnActivity(a.OCICompartmentState, mock.Anything, mock.Anything).Return(func(context.Context, activities.PollInput) (activities.JobStatus, error) {
		polls++
		if polls < 3 {
			return activities.JobStatus{State: "CREATING"}, nil
		}
		return activities.JobStatus{Done: true, Succeeded: true, State: "ACTIVE"}, nil
	})
	details := func() string {
		v, err := env.QueryWorkflow("__temporal_workflow_metadata")
		if err != nil {
			t.Fatal(err)
		}
		var md sdkpb.WorkflowMetadata
		if err := v.Get(&md); err != nil {
			t.Fatal(err)
		}
		return md.GetCurrentDetails()
	}
	var during string
	env.RegisterDelayedCallback(func() { during = details() }, time.Second)
	env.ExecuteWorkflow(workflows.AwaitJob, workflows.AwaitJobInput{
		Step: "compartment", Kind: workflows.JobOCICompartment, JobID: "ocid1.compartment.oc1..x",
		Policy: workflows.PollPolicy{Initial: 2 * time.Second, Multiplier: 1.5, Max: time.Minute, Timeout: time.Hour},
	})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if want := "**compartment** waits for oci.compartment `ocid1.compartment.oc1..x`: CREATING, 1 poll, next look in 2s"; during != want {
		t.Errorf("while waiting the details read %q, want %q", during, want)
	}
	done := details()
	if want := "**compartment**: oci.compartment `ocid1.compartment.oc1..x` ended ACTIVE (3 polls, 5s)"; done != want {
		t.Errorf("once the job ended the details read %q, want %q", done, want)
	}
}

// In the web UI's list of workflows, each job wait says which pipeline and
// step it waits for.
func TestImagePipeline_JobWaitsNameTheirPipeline(t *testing.T) {
	f := newFixture(t, options{activation: 10 * time.Second})
	f.awaitJobChildren() // pipelines started before the wait activity
	f.awaitJobChildren()
	rec := &summaries{}
	f.env.SetWorkerOptions(worker.Options{Interceptors: []interceptor.WorkerInterceptor{rec}})
	if _, err := f.run(t, rolloutSpec(t)); err != nil {
		t.Fatal(err)
	}
	if len(rec.children) != 1 || !strings.HasPrefix(rec.children[0], "rollout › compartment: wait for oci.compartment ocid1.compartment.") {
		t.Errorf("the job waits' summaries are %q, want the pipeline's name first", rec.children)
	}
}

// A wait activity's summary, as the web UI lists it among the pipeline's
// pending activities, says which pipeline and step it waits for.
func TestImagePipeline_JobWaitActivitiesNameTheirPipeline(t *testing.T) {
	f := newFixture(t, options{activation: 10 * time.Second})
	var got []string
	f.env.SetOnActivityStartedListener(func(info *activity.Info, ctx context.Context, _ converter.EncodedValues) {
		if info.ActivityType.Name == workflows.WaitForJob && info.Attempt == 1 {
			got = append(got, info.ActivityID)
		}
	})
	rec := &summaries{}
	f.env.SetWorkerOptions(worker.Options{Interceptors: []interceptor.WorkerInterceptor{rec}})
	if _, err := f.run(t, rolloutSpec(t)); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(rec.got) == 0 || !slices.ContainsFunc(rec.got, func(s string) bool {
		return strings.HasPrefix(s, "rollout › compartment: wait for oci.compartment ocid1.compartment.")
	}) {
		t.Errorf("waits %q, activity summaries %q: want one wait whose summary names the pipeline first", got, rec.got)
	}
}
