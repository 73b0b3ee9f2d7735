package logging_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

type callInput struct {
	activities.Unit
}

// throttledTwice answers as a vendor throttling its first two attempts.
func throttledTwice(ctx context.Context, _ callInput) error {
	activity.GetLogger(ctx).Info("calling the vendor")
	if activity.GetInfo(ctx).Attempt <= 2 {
		return temporal.NewApplicationErrorWithOptions("oci CreateCompartment answered 429 TooManyRequests", "oci.TooManyRequests",
			temporal.ApplicationErrorOptions{NextRetryDelay: 100 * time.Millisecond})
	}
	return nil
}

func refused(context.Context, callInput) error {
	return temporal.NewNonRetryableApplicationError("oci ChangeImageCompartment answered 404 NotAuthorizedOrNotFound", "oci.NotAuthorizedOrNotFound", nil)
}

func alwaysDown(context.Context, callInput) error {
	return temporal.NewApplicationError("fpp GetJob answered 503", "fpp.HTTP503")
}

// threeCalls runs a call retried after two 429s, one refused, and one
// whose server stays down past its two attempts; only the first succeeds.
func threeCalls(ctx workflow.Context) error {
	opts := func(id string, attempts int32) workflow.Context {
		return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
			ActivityID: id, StartToCloseTimeout: 10 * time.Second,
			RetryPolicy: &temporal.RetryPolicy{InitialInterval: 100 * time.Millisecond, MaximumAttempts: attempts},
		})
	}
	if err := workflow.ExecuteActivity(opts("compartment#1", 5), throttledTwice, callInput{Unit: activities.NewUnit("compartment", -1, "")}).Get(ctx, nil); err != nil {
		return err
	}
	_ = workflow.ExecuteActivity(opts("move#2", 5), refused, callInput{Unit: activities.NewUnit("move", -1, "")}).Get(ctx, nil)
	// A job wait's poll: its ID names no step, its input does.
	_ = workflow.ExecuteActivity(opts("", 2), alwaysDown, callInput{Unit: activities.NewUnit("import", -1, "")}).Get(ctx, nil)
	return nil
}

// A throttled attempt that Temporal retries is a WARN naming its step, not
// the SDK's ERROR; the final failures are ERRORs; every line carries the
// workflow, the run and the step.
func TestActivityLog_RetriedAttemptIsAWarningAndTheFinalFailureAnError(t *testing.T) {
	logs, run := runLogged(t, threeCalls, []any{throttledTwice, refused, alwaysDown})

	for _, e := range logs.FilterMessage("Activity error.").All() {
		if e.Level > zapcore.DebugLevel {
			t.Errorf("the SDK's per-attempt line is at %s: %v", e.Level, e.ContextMap())
		}
	}
	byStep := func(msg, step string) []observer.LoggedEntry {
		var out []observer.LoggedEntry
		for _, e := range logs.FilterMessage(msg).All() {
			m := e.ContextMap()
			if m["step"] == step && m["workflow_id"] == run.GetID() && m["run_id"] == run.GetRunID() {
				out = append(out, e)
			}
		}
		return out
	}
	retried := byStep("activity attempt failed; Temporal retries it", "compartment")
	if len(retried) != 2 || retried[0].Level != zapcore.WarnLevel || !strings.Contains(retried[0].ContextMap()["error"].(string), "429") {
		t.Errorf("retried 429s: %+v", retried)
	}
	if got := byStep("activity failed", "compartment"); len(got) != 0 {
		t.Errorf("a call that then succeeded was logged as failed: %+v", got)
	}
	if got := byStep("activity failed", "move"); len(got) != 1 || got[0].Level != zapcore.ErrorLevel {
		t.Errorf("the refused call: %+v", got)
	}
	down := byStep("activity attempt failed; Temporal retries it", "import")
	final := byStep("activity failed", "import")
	if len(down) != 1 || len(final) != 1 || final[0].Level != zapcore.ErrorLevel || fmt.Sprint(final[0].ContextMap()["attempt"]) != "2" {
		t.Errorf("a 503 past its attempts: warned %d times, failed %+v", len(down), final)
	}
	calls := logs.FilterMessage("calling the vendor").All()
	if len(calls) == 0 {
		t.Fatal("the activity's own line was not logged")
	}
	for _, e := range calls {
		m := e.ContextMap()
		if m["step"] != "compartment" || m["WorkflowID"] != run.GetID() || m["RunID"] != run.GetRunID() {
			t.Errorf("an activity's line lacks its workflow, run or step: %v", m)
		}
	}
}
