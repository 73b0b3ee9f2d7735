package activities

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
)

// A poll of a vendor job fails the job only when the vendor says that job
// failed. Everything else a poll can meet (5xx, 429, a dropped connection, a
// timeout) is an activity error that Temporal retries, and a few answers are
// believed only once they persist: an answer about the node rather than the
// job, or about a resource too new to be seen everywhere (a 404 just after
// a create). Each vendor's job-state activity says which of its answers
// are such (pollAttempt).

// ambiguousPollAttempts is how many attempts in a row a poll may meet such
// an answer before believing it. With the polls' retry policy (1 s doubling
// to a minute, workflows.pollOptions) ten attempts span about four minutes,
// the longest eventual-consistency window a vendor's SDK documents (see
// the job-state activities that use it). In a wait
// (WaitJob) they count from the job's last answer; the retry policy's
// backoff counts from the wait's first attempt, so late in a long wait
// each of those attempts waits the kind's maximum interval (at most a
// minute) and believing the answer takes up to ten of them.
const ambiguousPollAttempts = 10

// pollAttempt is this poll's attempt number, and whether an ambiguous answer
// has now persisted long enough to be believed. Outside an activity (a
// direct call) there is no retry to wait for, so it is believed at once.
func pollAttempt(ctx context.Context) (int32, bool) {
	if !activity.IsActivity(ctx) {
		return 1, true
	}
	n := activity.GetInfo(ctx).Attempt
	if since, ok := ctx.Value(ambiguousSinceKey{}).(int32); ok {
		n -= since // in a wait (WaitJob): attempts since the job last answered
	}
	return n, n >= ambiguousPollAttempts
}

// noStatus is the error of a poll whose answer names no state at all (an
// empty object from a proxy or a half-written answer): it says nothing about
// the job, so the poll is retried.
func noStatus(step, operation, id string) error {
	return fmt.Errorf("step %q: %s %s: the answer carries no status", step, operation, id)
}

// ErrJobRunning is the type of the error a wait's attempt ends with while
// its job still runs: a retryable error, so the wait's next look is the
// activity's next attempt, which costs no history event.
const ErrJobRunning = "JobRunning"

// WaitInput names the job a wait activity (WaitJob) waits for.
type WaitInput struct {
	Unit
	Kind  string `json:"kind"`
	JobID string `json:"job_id"`
	// Began is when the wait began, taken as the job's start: the job's
	// age decides how soon the wait looks again.
	Began time.Time `json:"began"`
	// MaxInterval caps the pause between two looks (the kind's PollPolicy.Max).
	MaxInterval time.Duration `json:"max_interval"`
}

// PollFunc looks at one job once: a vendor's job-state activity.
type PollFunc func(context.Context, PollInput) (JobStatus, error)

// WaitJob is one attempt of a job wait: it looks at the job once. A job
// done well is the result; a job the vendor says failed is a non-retryable
// ErrJobFailed; a job still running is a retryable ErrJobRunning whose
// NextRetryDelay is when to look again (nextLook), and whose message says
// the job's state, percent and attempt, which the pending activity shows
// (the starter's status and watch, the web UI). Any other error of the
// poll (429, 5xx, a dropped connection) is returned as it is and retried
// by the wait's retry policy like any call's: it never fails the job.
func WaitJob(ctx context.Context, poll PollFunc, in WaitInput) (JobStatus, error) {
	attempt, seen := int32(1), waitSeen{}
	if activity.IsActivity(ctx) {
		attempt = activity.GetInfo(ctx).Attempt
		if activity.HasHeartbeatDetails(ctx) {
			_ = activity.GetHeartbeatDetails(ctx, &seen)
		}
	}
	st, err := poll(context.WithValue(ctx, ambiguousSinceKey{}, seen.Answered), PollInput{Unit: in.Unit, JobID: in.JobID})
	if err != nil {
		return JobStatus{}, err
	}
	if st.Done {
		if !st.Succeeded {
			return st, temporal.NewNonRetryableApplicationError(
				fmt.Sprintf("step %q: %s job %s ended %s: %s", in.UnitName(), in.Kind, in.JobID, st.State, st.Message),
				ErrJobFailed, nil, st)
		}
		return st, nil
	}
	next := nextLook(seen.age(ctx, in.Began), st.Percent, in.MaxInterval)
	if activity.IsActivity(ctx) {
		// A heartbeat's details outlive the attempt that recorded them:
		// the next attempt learns that the job answered now, and how long
		// the wait has been told to pause so far.
		// They carry the job's state and percent too: the web UI shows a
		// pending activity's heartbeat details, and no history event does.
		activity.RecordHeartbeat(ctx, waitSeen{Answered: attempt, Paused: seen.Paused + next, State: st.State, Percent: st.Percent})
	}
	return JobStatus{}, temporal.NewApplicationErrorWithOptions(
		fmt.Sprintf("step %q: waiting for %s %s: %s%s (look %d, next in %s)", in.UnitName(), in.Kind, in.JobID, st.State, PercentText(st.Percent), attempt, next.Round(time.Second)),
		ErrJobRunning, temporal.ApplicationErrorOptions{NextRetryDelay: next, Details: []any{st}})
}

// waitSeen is what one attempt of a wait leaves the next (as heartbeat
// details): the attempt at which the job last answered, from which an
// ambiguous answer's persistence counts (pollAttempt), and the sum of the
// pauses the wait asked for between looks; and, for people reading the
// pending activity in the web UI, how the job stood at its last look.
type waitSeen struct {
	Answered int32         `json:"answered"`
	Paused   time.Duration `json:"paused"`
	State    string        `json:"state,omitempty"`
	Percent  int           `json:"percent,omitempty"`
}

// age is how long the job has run: the attempt's start less the wait's on
// a server's clock, or the pauses asked for so far where that clock is not
// the workflow's (the SDK's time-skipping test environment starts
// activities on the wall clock). The pauses leave out the backoff after
// passing errors, so they underestimate it, which only makes the next look
// sooner.
func (w waitSeen) age(ctx context.Context, began time.Time) time.Duration {
	age := w.Paused
	if activity.IsActivity(ctx) && !began.IsZero() {
		age = max(age, activity.GetInfo(ctx).StartedTime.Sub(began))
	}
	return age
}

// minLook is the shortest pause between two looks at a running job: a
// job's end is noticed within max(minLook, a tenth of its age).
const minLook = 2 * time.Second

// nextLook is how long to leave a job of this age, at this percent, before
// looking again. A tenth of its age bounds the delay in noticing its end to
// a tenth of its duration (a job ending just after a look is seen at the
// next), and never less than minLook. When the vendor reports a percent, the
// job's end is estimated by extrapolating its rate so far (age × (100-p)/p
// more), and the wait looks then if that is sooner, though not within a
// second. limit (the kind's maximum interval) caps it, when set.
func nextLook(age time.Duration, percent int, limit time.Duration) time.Duration {
	d := max(minLook, age/10)
	if percent > 0 && percent < 100 {
		left := time.Duration(float64(age) * float64(100-percent) / float64(percent))
		d = min(d, max(left, time.Second))
	}
	if limit > 0 {
		d = min(d, limit)
	}
	return d
}

// PercentText is a job's (or step's) percent done as every message and
// table shows it, " 42%", or nothing when the vendor reports none or the
// work is done (100 says no more than the state does).
func PercentText(p int) string {
	if p <= 0 || p >= 100 {
		return ""
	}
	return fmt.Sprintf(" %d%%", p)
}

// ambiguousSinceKey holds, in a wait's context, the attempt at which the
// job last answered, from which pollAttempt counts.
type ambiguousSinceKey struct{}
