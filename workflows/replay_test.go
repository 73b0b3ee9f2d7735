package workflows_test

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/workflows"
)

// The histories in testdata/histories were recorded from real runs on the
// dev server (make record-histories). Replaying them proves the workflow
// code still makes the decisions it made then: a change that would break
// running pipelines fails here, and must go behind workflow.GetVersion.
func TestReplay_RecordedHistoriesStillReplay(t *testing.T) {
	files, err := filepath.Glob("testdata/histories/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no recorded histories in testdata/histories: run make record-histories")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			h, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
			if err != nil {
				t.Fatal(err)
			}
			id, err := os.ReadFile(strings.TrimSuffix(file, ".json") + ".id")
			if err != nil {
				t.Fatal(err)
			}
			start := h.GetEvents()[0].GetWorkflowExecutionStartedEventAttributes()
			r := worker.NewWorkflowReplayer()
			r.RegisterWorkflow(workflows.ImagePipeline)
			r.RegisterWorkflow(workflows.AwaitJob)
			r.RegisterWorkflow(workflows.PipelineNotify)
			r.RegisterWorkflow(workflows.NameLock)
			err = r.ReplayWorkflowHistoryWithOptions(log.NewStructuredLogger(slog.New(slog.DiscardHandler)), h, worker.ReplayWorkflowHistoryOptions{
				OriginalExecution: workflow.Execution{ID: strings.TrimSpace(string(id)), RunID: start.GetOriginalExecutionRunId()},
			})
			if err != nil {
				t.Fatalf("replay of %s: %v", file, err)
			}
		})
	}
}
