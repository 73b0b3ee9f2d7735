package integration

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/workflows"
)

// parseSpec is the pipeline the test wrote as yaml, read as from file;
// a spec the test got wrong fails it.
func parseSpec(t *testing.T, file, yaml string) *pipeline.Spec {
	t.Helper()
	spec, err := workflows.Default().Catalog().Parse(file, []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// startPipeline starts spec on queue and returns its workflow ID.
func startPipeline(ctx context.Context, t *testing.T, c client.Client, queue string, spec *pipeline.Spec) (string, client.WorkflowRun) {
	t.Helper()
	id := workflows.WorkflowID(spec.Name, time.Now())
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue}, workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec})
	if err != nil {
		t.Fatal(err)
	}
	return id, run
}
