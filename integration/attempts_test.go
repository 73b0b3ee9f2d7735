package integration

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/workflows"
)

func TestThrottledCall_ProgressShowsAttemptsAndTheLastError(t *testing.T) {
	c := dial(t)
	v := newVendors(t)
	v.fpp.Sim.Faults().Inject("ImportImage", simkit.Fault{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second}, 2)
	queue := t.Name()
	startWorker(t, c, queue, v.activities()...)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	id, run := startPipeline(ctx, t, c, queue, parseSpec(t, "throttled.yaml", `name: throttled
steps:
  - id: import
    uses: fpp.import_image
    with: {image_name: db19_gold, path: /u01/db}
`))
	// While FPP throttles, the query shows the attempt and FPP's answer.
	var seen workflows.StepProgress
	for seen.Attempts < 2 && ctx.Err() == nil {
		if v, err := c.QueryWorkflow(ctx, id, "", workflows.ProgressQuery); err == nil {
			var p workflows.Progress
			if v.Get(&p) == nil {
				seen, _ = p.Step("import")
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if seen.Attempts < 2 || !strings.Contains(seen.LastError, "429") {
		t.Fatalf("progress while throttled = %+v, want attempt 2 and FPP's 429", seen)
	}
	var res workflows.PipelineResult
	if err := run.Get(ctx, &res); err != nil {
		t.Fatalf("pipeline failed: %v", err)
	}
	if st, _ := res.Step("import"); st.State != workflows.StepSucceeded || st.Attempts != 2 || st.LastError != "" {
		t.Fatalf("final import = %+v, want succeeded after 2 failed attempts, error cleared", st)
	}
}
