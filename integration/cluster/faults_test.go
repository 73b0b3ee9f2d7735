package cluster

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/fpp/fpptest"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/workflows"
)

// Twelve pipelines of every action run on two workers of the cluster, the
// vendors served in the test so what they hold can be counted. Mid-run,
// with every pipeline in flight, one worker is SIGKILLed and the history
// service is restarted (scripts/cluster.sh restart history: a SIGTERM,
// then a start that waits until history owns its shards again); the
// killed worker comes back after. Every pipeline completes, and no vendor
// holds a resource twice or saw a change made twice.
func TestCluster_WorkerKillAndHistoryRestartMidRunLoseNothing(t *testing.T) {
	const n = 12
	c := startCluster(t, options{workers: 0})
	timing := simkit.Timing{Activation: time.Second, Job: time.Second}
	v := testenv.ServeVendors(t, testenv.ServedOptions{Timing: timing})
	ps := plan(t, v, n)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	queue := "cluster-faults"
	bin := filepath.Join(binaries(t), "worker")
	workers := []*testenv.WorkerProcess{
		testenv.NewWorkerProcess(t, bin, c.Address, queue, v.WorkerEnv),
		testenv.NewWorkerProcess(t, bin, c.Address, queue, v.WorkerEnv),
	}
	for _, w := range workers {
		if err := w.StartReady(ctx); err != nil {
			t.Fatal(err)
		}
	}
	cl, err := client.Dial(client.Options{HostPort: c.Address, Logger: testenv.QuietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()

	ids := map[string]string{}
	for _, p := range ps {
		id := workflows.WorkflowID(p.Name, time.Now())
		if _, err := cl.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue},
			workflows.ImagePipeline, workflows.PipelineInput{Spec: *p.spec}); err != nil {
			t.Fatalf("start %s: %v", p.Name, err)
		}
		ids[p.Name] = id
	}

	// In flight: the vendors have accepted imports and no pipeline has
	// ended (an FPP import alone is awaited for 10 s and more).
	waitFor(ctx, t, "the first FPP imports", func() bool { return fpptest.Sim(v).JobCount() >= n/2 })
	if ended := endedPipelines(ctx, t, cl, ids); len(ended) > 0 {
		t.Fatalf("pipelines %v ended before the faults: the test would prove nothing of them", ended)
	}
	if err := workers[0].Kill(); err != nil {
		t.Fatal(err)
	}
	t.Logf("SIGKILLed one of the two workers with %d FPP import jobs accepted", fpptest.Sim(v).JobCount())
	began := time.Now()
	c.script("restart", "history")
	t.Logf("history restarted and owning its shards in %s", time.Since(began).Round(100*time.Millisecond))
	if err := workers[0].StartReady(ctx); err != nil {
		t.Fatal(err)
	}

	succeeded, failed := await(ctx, cl, ids)
	plans := make([]testenv.Planned, len(ps))
	for i, p := range ps {
		plans[i] = p.Planned
	}
	dups, missing := v.Held(plans, succeeded)
	t.Logf("cluster-faults: pipelines=%d succeeded=%d failed=%d duplicates=%d missing=%d fpp-jobs=%d",
		n, len(succeeded), len(failed), len(dups), len(missing), fpptest.Sim(v).JobCount())
	for _, f := range failed {
		t.Errorf("lost: %s", f)
	}
	for _, d := range dups {
		t.Errorf("done twice: %s", d)
	}
	for _, m := range missing {
		t.Errorf("missing: %s", m)
	}
}

// waitFor polls cond until it holds, failing the test when ctx ends first.
func waitFor(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// endedPipelines names the pipelines no longer running.
func endedPipelines(ctx context.Context, t *testing.T, c client.Client, ids map[string]string) []string {
	t.Helper()
	var out []string
	for name, id := range ids {
		d, err := c.DescribeWorkflowExecution(ctx, id, "")
		if err != nil {
			t.Fatalf("describe %s: %v", id, err)
		}
		if d.GetWorkflowExecutionInfo().GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// await waits until every pipeline has ended, or ctx has. Errors that say
// nothing of a pipeline (history restarting, a dropped connection) are
// waited out. It returns the pipelines that succeeded with every step,
// and a description of each of the others.
func await(ctx context.Context, c client.Client, ids map[string]string) (succeeded map[string]bool, failed []string) {
	succeeded = map[string]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, id := range ids {
		wg.Go(func() {
			err := awaitOne(ctx, c, id)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed = append(failed, fmt.Sprintf("%s (%s): %v", name, id, err))
				return
			}
			succeeded[name] = true
		})
	}
	wg.Wait()
	sort.Strings(failed)
	return succeeded, failed
}

func awaitOne(ctx context.Context, c client.Client, id string) error {
	for {
		var res workflows.PipelineResult
		err := c.GetWorkflow(ctx, id, "").Get(ctx, &res)
		if err == nil {
			var bad []string
			for _, st := range res.Steps {
				if st.State != workflows.StepSucceeded {
					bad = append(bad, st.ID+" "+st.State)
				}
			}
			if res.Status != workflows.StatusSucceeded || len(bad) > 0 {
				return fmt.Errorf("ended %s: %s", res.Status, strings.Join(bad, ", "))
			}
			return nil
		}
		var ended *temporal.WorkflowExecutionError
		var nf *serviceerror.NotFound
		switch {
		case errors.As(err, &ended):
			return err
		case errors.As(err, &nf):
			return fmt.Errorf("the cluster no longer knows it: %w", err)
		case ctx.Err() != nil:
			return fmt.Errorf("still running at the deadline: %w", ctx.Err())
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("still running at the deadline: %w", ctx.Err())
		case <-time.After(time.Second):
		}
	}
}
