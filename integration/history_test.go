package integration

import (
	"context"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/workflows"
)

// A job that outlasts one run's polls continues as new, and no run's
// history passes 4,096 events. The server's timers fire about once a
// second at best, so this wait polls a dozen times with 5 polls a run, and
// the production bound is computed from the events a poll costs here: a
// run holds at most PollsPerRun (200) polls, whatever the job's length.
func TestLongWait_ContinuesAsNewAndNoRunPasses4096Events(t *testing.T) {
	c := dial(t)
	v := newVendors(t)
	v.fpp.Sim.SetJobDuration(12 * time.Second)
	queue := t.Name()
	startWorker(t, c, queue, v.activities()...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	job, err := v.fpp.Client.ImportImage(ctx, fpp.ImportImageInput{ImageName: "db19_gold", Path: "/u01/db"})
	if err != nil {
		t.Fatal(err)
	}
	const pollsPerRun = 5
	policy := workflows.PollPolicy{Initial: 20 * time.Millisecond, Multiplier: 1, Max: 20 * time.Millisecond, Timeout: time.Minute, PollsPerRun: pollsPerRun}
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "long-wait-" + time.Now().Format("150405.000"), TaskQueue: queue},
		workflows.AwaitJob, workflows.AwaitJobInput{Step: "import", Kind: workflows.JobFPP, JobID: job.ID, Policy: policy})
	if err != nil {
		t.Fatal(err)
	}
	firstRun := run.GetRunID() // Get below follows the chain to the last run
	var res workflows.AwaitJobResult
	if err := run.Get(ctx, &res); err != nil {
		t.Fatalf("wait failed: %v", err)
	}
	if res.Runs < 2 {
		t.Fatalf("%d polls in %d run(s): the wait never continued as new", res.Polls, res.Runs)
	}
	runID, runs, fullRunEvents := firstRun, 0, 0
	for runID != "" {
		runs++
		events, next := 0, ""
		it := c.GetWorkflowHistory(ctx, run.GetID(), runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				t.Fatal(err)
			}
			events++
			if a := ev.GetWorkflowExecutionContinuedAsNewEventAttributes(); a != nil {
				next = a.GetNewExecutionRunId()
			}
		}
		if events > 4096 {
			t.Errorf("run %d has %d events, over 4096", runs, events)
		}
		if next != "" {
			fullRunEvents = events
		}
		t.Logf("run %d: %d events", runs, events)
		runID = next
	}
	if runs != res.Runs {
		t.Errorf("walked %d runs, the wait reports %d", runs, res.Runs)
	}
	perPoll := float64(fullRunEvents) / pollsPerRun
	production := workflows.ProductionPollsPerRun
	if bound := perPoll * float64(production); bound > 4096 {
		t.Errorf("a poll costs %.1f events: a run of %d polls would hold %.0f, over 4096", perPoll, production, bound)
	}
	t.Logf("%d polls in %d runs; %.1f events a poll; a production run of %d polls: about %.0f events",
		res.Polls, res.Runs, perPoll, production, perPoll*float64(production))
}
