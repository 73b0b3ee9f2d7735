package logging_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
)

// itemInput is a vendor call's input for one fan-out item, as every
// activity input carries its step: an embedded activities.Unit.
type itemInput struct {
	activities.Unit
	Name string `json:"name"`
}

// copyOnce fails its first attempt, as a vendor throttling it would.
func copyOnce(ctx context.Context, _ itemInput) error {
	activity.GetLogger(ctx).Info("copying")
	if activity.GetInfo(ctx).Attempt == 1 {
		return temporal.NewApplicationError("copy answered 503", "vendor.HTTP503")
	}
	return nil
}

// copyItem copies item 1 (labelled b) of step copies, under the activity
// ID a pipeline gives it.
func copyItem(ctx workflow.Context) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		ActivityID: "copies[1:b]#7", StartToCloseTimeout: 10 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 100 * time.Millisecond, MaximumAttempts: 3},
	})
	return workflow.ExecuteActivity(ctx, copyOnce, itemInput{Unit: activities.NewUnit("copies", 1, "b"), Name: "copy-b"}).Get(ctx, nil)
}

// A failed attempt's line and the activity's own lines name the step by
// its id and the item by its index, both read from the input's Unit.
func TestActivityLog_NamesTheStepAndItemOfTheInputsUnit(t *testing.T) {
	logs, _ := runLogged(t, copyItem, []any{copyOnce})

	retried := logs.FilterMessage("activity attempt failed; Temporal retries it").All()
	if len(retried) != 1 {
		t.Fatalf("want one retried attempt logged, got %d", len(retried))
	}
	if m := retried[0].ContextMap(); m["step"] != "copies" || fmt.Sprint(m["item"]) != "1" {
		t.Errorf("the retried attempt names step %v item %v, want step copies item 1: %v", m["step"], m["item"], m)
	}
	own := logs.FilterMessage("copying").All()
	if len(own) == 0 {
		t.Fatal("the activity's own line was not logged")
	}
	for _, e := range own {
		if m := e.ContextMap(); m["step"] != "copies" || fmt.Sprint(m["item"]) != "1" {
			t.Errorf("the activity's line names step %v item %v, want step copies item 1: %v", m["step"], m["item"], m)
		}
	}
}
