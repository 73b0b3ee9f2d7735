package integration

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/workflows"
)

// versionMarker is the marker name the Go SDK records a GetVersion under.
const versionMarker = "Version"

// changeVersionAttribute is the search attribute the SDK upserts with
// each GetVersion of a new execution.
const changeVersionAttribute = "TemporalChangeVersion"

// runGoldRollout runs the gold-rollout example (every vendor's action: a
// compensation, job waits, the IMS name lock) as a new pipeline and
// returns the histories of it and its children, and its workflow ID.
func runGoldRollout(t *testing.T) (map[string]history, string) {
	t.Helper()
	c := dial(t)
	v := newVendors(t)
	queue := t.Name()
	startWorker(t, c, queue, v.activities()...)
	spec, err := workflows.Default().Catalog().ParseFile("../examples/gold-rollout.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	id, run := startPipeline(ctx, t, c, queue, spec)
	if err := run.Get(ctx, nil); err != nil {
		t.Fatalf("pipeline failed: %v", err)
	}
	return historiesOf(ctx, t, c, id), id
}

// A pipeline started now records one version marker and upserts
// TemporalChangeVersion once, whatever changes its code went through:
// each marker and upsert is a command, an event and an action a pipeline
// pays.
func TestNewPipeline_RecordsOneVersionMarker(t *testing.T) {
	histories, id := runGoldRollout(t)
	var markers, upserts []string
	for _, ev := range histories[id].proto.GetEvents() {
		if a := ev.GetMarkerRecordedEventAttributes(); a != nil && a.GetMarkerName() == versionMarker {
			markers = append(markers, string(a.GetDetails()["change-id"].GetPayloads()[0].GetData()))
		}
		if a := ev.GetUpsertWorkflowSearchAttributesEventAttributes(); a != nil {
			if p, ok := a.GetSearchAttributes().GetIndexedFields()[changeVersionAttribute]; ok {
				upserts = append(upserts, string(p.GetData()))
			}
		}
	}
	if len(markers) != 1 {
		t.Errorf("the pipeline recorded %d version markers %v, want 1", len(markers), markers)
	}
	if len(upserts) != 1 {
		t.Errorf("the pipeline upserted %s %d times %v, want once", changeVersionAttribute, len(upserts), upserts)
	}
}

// The IMS copy of a pipeline started now runs in its name lock: the lock's
// history holds the copy call, and the pipeline's holds the lock's start
// and result but neither the call, nor a signal releasing the lock; the
// lock needs no lease timer, and it completed, freeing the name.
func TestNewPipeline_IMSCopyRunsInItsNameLock(t *testing.T) {
	histories, id := runGoldRollout(t)
	activitiesOf := func(h history) []string {
		var out []string
		for _, ev := range h.proto.GetEvents() {
			if a := ev.GetActivityTaskScheduledEventAttributes(); a != nil {
				out = append(out, a.GetActivityType().GetName())
			}
		}
		return out
	}
	var lockID string
	for wid := range histories {
		if strings.HasPrefix(wid, "imagepipe-lock/") {
			lockID = wid
		}
	}
	if lockID == "" {
		t.Fatalf("no name lock among the pipeline's %d workflows", len(histories))
	}
	if got := activitiesOf(histories[lockID]); !slices.Equal(got, []string{"HuaweiCopyImage"}) {
		t.Errorf("the name lock ran activities %v, want the copy alone", got)
	}
	if got := activitiesOf(histories[id]); slices.Contains(got, "HuaweiCopyImage") {
		t.Errorf("the pipeline ran the copy itself: %v", got)
	}
	for _, ev := range histories[id].proto.GetEvents() {
		if ev.GetSignalExternalWorkflowExecutionInitiatedEventAttributes() != nil {
			t.Errorf("the pipeline signalled a workflow (event %d): %v", ev.GetEventId(), ev.GetEventType())
		}
	}
	lock := histories[lockID].proto.GetEvents()
	for _, ev := range lock {
		if ev.GetTimerStartedEventAttributes() != nil {
			t.Errorf("the name lock started a timer (event %d)", ev.GetEventId())
		}
	}
	if last := lock[len(lock)-1]; last.GetWorkflowExecutionCompletedEventAttributes() == nil {
		t.Errorf("the name lock ended with %v, want completed", last.GetEventType())
	}
}
