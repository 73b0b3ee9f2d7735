package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/metrics"
)

// PollPolicy is how often a job is looked at: Initial after the first look,
// then each wait Multiplier times the last, never more than Max; the job
// fails after Timeout in all.
type PollPolicy struct {
	Initial    time.Duration `json:"initial"`
	Multiplier float64       `json:"multiplier"`
	Max        time.Duration `json:"max"`
	Timeout    time.Duration `json:"timeout"`
	// PollsPerRun bounds the polls of one run before it continues as new,
	// whatever the server suggests, so no run's history passes a few
	// thousand events (a poll and its timer cost about 11).
	PollsPerRun int `json:"polls_per_run"`
}

// next is the wait after one of d.
func (p PollPolicy) next(d time.Duration) time.Duration {
	n := time.Duration(float64(d) * p.Multiplier)
	if n > p.Max {
		n = p.Max
	}
	return n
}

// ProductionPollsPerRun is how many polls a wait makes before it continues
// as new: at about 11 history events a poll, some 2,200 events a run.
const ProductionPollsPerRun = 200

// JobProgressSignal is the signal AwaitJob sends its parent pipeline when
// the job's state or percentage moves, so the pipeline's progress shows it.
const JobProgressSignal = "job-progress"

// JobReport says which step (and fan-out item) of the parent a wait is for.
type JobReport struct {
	Step string `json:"step"`
	Item int    `json:"item"` // -1 for a plain step
}

// JobProgress is what AwaitJob reports to its parent.
type JobProgress struct {
	JobReport
	// Kind and JobID name the job, so the progress says which one it is.
	Kind    string `json:"kind,omitempty"`
	JobID   string `json:"job_id,omitempty"`
	State   string `json:"state"`
	Percent int    `json:"percent"`
	Polls   int    `json:"polls"`
}

// AwaitJobInput names the job to wait for. Polls, Delay, Deadline and
// Reported carry the wait's progress across continue-as-new; a caller
// leaves them zero.
type AwaitJobInput struct {
	Step   string     `json:"step"`
	Kind   string     `json:"kind"`
	JobID  string     `json:"job_id"`
	Policy PollPolicy `json:"policy"`
	// Report, when set, makes the wait report progress to its parent.
	Report *JobReport `json:"report,omitempty"`

	Polls    int           `json:"polls,omitempty"`
	Runs     int           `json:"runs,omitempty"`
	Delay    time.Duration `json:"delay,omitempty"`
	Deadline time.Time     `json:"deadline,omitzero"`
	Reported *JobProgress  `json:"reported,omitempty"`
}

// AwaitJobResult is the job's final state and what waiting for it took.
type AwaitJobResult struct {
	Status activities.JobStatus `json:"status"`
	Polls  int                  `json:"polls"`
	Runs   int                  `json:"runs"`
}

// AwaitJob waits for a vendor job to finish: it looks at the job, and until
// the job is done sleeps on a durable timer with capped exponential backoff
// and looks again. It fails with the vendor's reason when the job fails, and
// with a timeout when the policy's Timeout passes. After PollsPerRun polls,
// or when the server suggests it, it continues as new, so a job of any
// length costs its parent a constant few history events.
//
// AwaitJob runs with the default vendors' job kinds; a worker's Register
// registers, under the same name, the one of the registry it is given.
func AwaitJob(ctx workflow.Context, in AwaitJobInput) (AwaitJobResult, error) {
	return engine{Default()}.awaitJob(ctx, in)
}

func (e engine) awaitJob(ctx workflow.Context, in AwaitJobInput) (AwaitJobResult, error) {
	if in.Deadline.IsZero() {
		in.Deadline = workflow.Now(ctx).Add(in.Policy.Timeout)
	}
	if in.Delay == 0 {
		in.Delay = in.Policy.Initial
	}
	in.Runs++
	job, ok := e.reg.jobs[in.Kind]
	if !ok {
		return AwaitJobResult{}, temporal.NewNonRetryableApplicationError("unknown job kind "+in.Kind, activities.ErrInvalidInput, nil)
	}
	ctx = workflow.WithActivityOptions(ctx, pollOptions(in))
	mh := workflow.GetMetricsHandler(ctx)
	ended := func(outcome string) { in.recordEnd(ctx, mh, outcome) }
	for polled := 0; ; polled++ {
		var st activities.JobStatus
		err := workflow.ExecuteActivity(ctx, job.Poll, activities.PollInput{Unit: activities.Unit{StepID: in.Step}, JobID: in.JobID}).Get(ctx, &st)
		metrics.JobPoll(mh, in.Kind)
		if err != nil {
			ended(errorOutcome(err))
			return AwaitJobResult{}, err
		}
		in.Polls++
		res := AwaitJobResult{Status: st, Polls: in.Polls, Runs: in.Runs}
		in.report(ctx, st)
		if st.Done {
			in.showEnded(ctx, st)
			if !st.Succeeded {
				ended(metrics.Failed)
				return res, temporal.NewNonRetryableApplicationError(
					fmt.Sprintf("step %q: %s job %s ended %s: %s", in.Step, in.Kind, in.JobID, st.State, st.Message),
					activities.ErrJobFailed, nil, st)
			}
			ended(metrics.Succeeded)
			return res, nil
		}
		now := workflow.Now(ctx)
		if !now.Before(in.Deadline) {
			in.showEnded(ctx, st)
			ended(metrics.TimedOut)
			return res, temporal.NewNonRetryableApplicationError(
				fmt.Sprintf("step %q: %s job %s still %s after %s", in.Step, in.Kind, in.JobID, st.State, in.Policy.Timeout),
				activities.ErrJobFailed, nil, st)
		}
		in.showWaiting(ctx, st)
		wait := min(in.Delay, in.Deadline.Sub(now))
		if err := workflow.NewTimerWithOptions(ctx, wait, workflow.TimerOptions{Summary: "next look at " + in.JobID}).Get(ctx, nil); err != nil {
			ended(errorOutcome(err))
			return res, err
		}
		in.Delay = in.Policy.next(in.Delay)
		if (in.Policy.PollsPerRun > 0 && polled+1 >= in.Policy.PollsPerRun) || workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			return res, workflow.NewContinueAsNewError(ctx, AwaitJob, in)
		}
	}
}

// recordEnd records how long the job took from the wait's first look, which
// its deadline remembers across continue-as-new.
func (in *AwaitJobInput) recordEnd(ctx workflow.Context, mh client.MetricsHandler, outcome string) {
	began := in.Deadline.Add(-in.Policy.Timeout)
	metrics.JobEnded(mh, in.Kind, outcome, workflow.Now(ctx).Sub(began))
}

// errorOutcome is the outcome of a wait that ended on err.
func errorOutcome(err error) string {
	if temporal.IsCanceledError(err) {
		return metrics.Canceled
	}
	return metrics.Failed
}

// reportStep is how far a job's percentage must move before it is worth a
// signal: it bounds the parent's history at about a dozen events per job.
const reportStep = 10

// report tells the parent pipeline about a change of state or a move of the
// percentage. A lost report only leaves the progress display behind, so
// failures are logged, never fatal.
func (in *AwaitJobInput) report(ctx workflow.Context, st activities.JobStatus) {
	if in.Report == nil || st.Done {
		return
	}
	last := in.Reported
	if last != nil && last.State == st.State && st.Percent-last.Percent < reportStep {
		return
	}
	p := JobProgress{JobReport: *in.Report, Kind: in.Kind, JobID: in.JobID, State: st.State, Percent: st.Percent, Polls: in.Polls}
	in.Reported = &p
	parent := workflow.GetInfo(ctx).ParentWorkflowExecution
	if parent == nil {
		return
	}
	if err := workflow.SignalExternalWorkflow(ctx, parent.ID, "", JobProgressSignal, p).Get(ctx, nil); err != nil {
		workflow.GetLogger(ctx).Warn("job progress not reported", "step", in.Step, "error", err)
	}
}
