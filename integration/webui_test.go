package integration

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/workflows"
)

// chromium finds a headless browser; CI installs one and sets
// IMAGEPIPE_REQUIRE_BROWSER so that a missing one fails instead of skipping.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("IMAGEPIPE_REQUIRE_BROWSER") != "" {
		t.Fatal("no chromium on PATH, and IMAGEPIPE_REQUIRE_BROWSER is set")
	}
	t.Skip("no chromium on PATH")
	return ""
}

// The web UI is where people watch pipelines: the workflow page of a run
// must show its ID, its state and each vendor call under its step's name.
func TestWebUI_ShowsAPipelineRunStepByStep(t *testing.T) {
	browser := chromium(t)
	c := dial(t)
	v := newVendors(t)
	queue := t.Name()
	startWorker(t, c, queue, v.activities())
	spec, err := pipeline.ParseFile("../examples/oci-move.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	id := workflows.WorkflowID(spec.Name, time.Now())
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue, StaticSummary: spec.Description}, workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec})
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
	url := testenv.Server(t).UIURL + "/namespaces/default/workflows/" + id
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--virtual-time-budget=15000", "--dump-dom", url)
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	page := string(dom)
	for _, want := range []string{id, "Completed", "ImagePipeline", "move: read image", "compartment: wait for oci.compartment"} {
		if !strings.Contains(page, want) {
			t.Errorf("the workflow page lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("page (%d bytes) began: %.2000s", len(page), page)
	}
}
