package activities

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/activity"
)

// A poll of a vendor job fails the job only when the vendor says that job
// failed. Everything else a poll can meet (5xx, 429, a dropped connection, a
// timeout) is an activity error that Temporal retries, and a few answers are
// believed only once they persist: an answer about the node rather than the
// job (ZStack's SYS.1012), or about a resource too new to be seen
// everywhere (OCI Identity's 404 after a create).

// ambiguousPollAttempts is how many attempts in a row a poll may meet such
// an answer before believing it. With the polls' retry policy (1 s doubling
// to a minute, workflows.pollOptions) ten attempts span about four minutes,
// the eventual-consistency window the OCI SDK keeps after an Identity
// change (identity_client.go: UpdateEndOfWindow(240 s)).
const ambiguousPollAttempts = 10

// pollAttempt is this poll's attempt number, and whether an ambiguous answer
// has now persisted long enough to be believed. Outside an activity (a
// direct call) there is no retry to wait for, so it is believed at once.
func pollAttempt(ctx context.Context) (int32, bool) {
	if !activity.IsActivity(ctx) {
		return 1, true
	}
	n := activity.GetInfo(ctx).Attempt
	return n, n >= ambiguousPollAttempts
}

// noStatus is the error of a poll whose answer names no state at all (an
// empty object from a proxy or a half-written answer): it says nothing about
// the job, so the poll is retried.
func noStatus(step, operation, id string) error {
	return fmt.Errorf("step %q: %s %s: the answer carries no status", step, operation, id)
}
