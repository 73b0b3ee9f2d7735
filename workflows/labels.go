package workflows

import (
	"fmt"
	"unicode/utf8"

	"go.temporal.io/sdk/workflow"
)

// In the web UI every vendor call and job wait carries a summary naming its
// step. Rollback makes the same calls as the steps it undoes (read the
// image, move it, update it), so its summaries say "rollback" first: a
// reader of the event history then tells the undo from the step at once.

// rollbackKey marks a context whose calls are rollback's.
type rollbackKey struct{}

// asRollback returns ctx marked so that the calls made with it are
// labelled as rollback.
func asRollback(ctx workflow.Context) workflow.Context {
	return workflow.WithValue(ctx, rollbackKey{}, true)
}

// isRollback reports whether ctx was marked by asRollback.
func isRollback(ctx workflow.Context) bool {
	v, _ := ctx.Value(rollbackKey{}).(bool)
	return v
}

// callLabel is how a call's summary names its step (or item): "move", or
// "rollback move" for rollback's calls.
func callLabel(ctx workflow.Context, unit string) string {
	if isRollback(ctx) {
		return "rollback " + unit
	}
	return unit
}

// waitSummary is the summary of a job wait's child workflow: the pipeline
// it belongs to, then its step and job, so the web UI's list of workflows
// says whose wait each one is.
func waitSummary(ctx workflow.Context, pipeline, unit, kind, jobID string) string {
	return clipBytes(fmt.Sprintf("%s › %s: wait for %s %s", pipeline, callLabel(ctx, unit), kind, jobID), maxSummaryBytes)
}

// maxSummaryBytes keeps a summary under limit.userMetadataSummarySize (400
// bytes once encoded, quotes included) when a long pipeline name meets a
// long fan-out label.
const maxSummaryBytes = 380

// clipBytes cuts s to at most n bytes on a character boundary, ending a cut
// one with "…".
func clipBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
