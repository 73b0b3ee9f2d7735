package integration

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/workflows"
)

// versionMarker is the marker name the Go SDK records a GetVersion under.
const versionMarker = "Version"

// changeVersionAttribute is the search attribute the SDK upserts with
// each GetVersion of a new execution.
const changeVersionAttribute = "TemporalChangeVersion"

// A pipeline started now, through every vendor's action (the gold-rollout
// example: a compensation, job waits, the IMS name lock), records one
// version marker and upserts TemporalChangeVersion once, whatever changes
// its code went through: each marker and upsert is a command, an event
// and an action a pipeline pays.
func TestNewPipeline_RecordsOneVersionMarker(t *testing.T) {
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
	id := workflows.WorkflowID(spec.Name, time.Now())
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue}, workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec})
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Get(ctx, nil); err != nil {
		t.Fatalf("pipeline failed: %v", err)
	}
	var markers, upserts []string
	for _, ev := range fullHistory(ctx, t, c, id).GetEvents() {
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
