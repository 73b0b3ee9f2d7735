package crash

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/workflows"
)

// startServer starts a file-backed dev server of the test's own and
// connects to it. Without a Temporal CLI (and none asked for) the test is
// skipped.
func startServer(ctx context.Context, t *testing.T) (*testenv.DevServerProcess, client.Client) {
	t.Helper()
	srv := testenv.NewDevServerProcess(t)
	if err := srv.StartReady(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := client.Dial(client.Options{HostPort: srv.HostPort, Logger: testenv.QuietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return srv, c
}

// started is a pipeline the test started, by workflow ID.
type started struct {
	*planned
	id string
}

// start starts p on queue. A start whose answer was lost (the server went
// down) is retried under the same workflow ID, and "already started" then
// means the first one landed, so a pipeline is started once.
func start(ctx context.Context, c client.Client, queue string, p *planned) (started, error) {
	id := workflows.WorkflowID(p.name, time.Now())
	for {
		_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue},
			workflows.ImagePipeline, workflows.PipelineInput{Spec: *p.spec})
		var dup *serviceerror.WorkflowExecutionAlreadyStarted
		if err == nil || errors.As(err, &dup) {
			return started{p, id}, nil
		}
		select {
		case <-ctx.Done():
			return started{}, fmt.Errorf("start %s: %w (last error: %v)", p.name, ctx.Err(), err)
		case <-time.After(time.Second):
		}
	}
}

// outcome is how a set of pipelines ended.
type outcome struct {
	succeeded map[string]bool
	failed    map[string]string // by pipeline: how it ended instead
	lost      []string          // the server no longer knows them
	stuck     []string          // still running at the deadline
}

// lostCount is every pipeline that did not end succeeded.
func (o outcome) lostCount() int { return len(o.failed) + len(o.lost) }

// await waits until every pipeline has ended or ctx ends. Errors that say
// nothing of the pipeline (the server restarting, a dropped connection)
// are waited out; a server that denies knowing a pipeline for a minute
// has lost it.
func await(ctx context.Context, c client.Client, ps []started) outcome {
	out := outcome{succeeded: map[string]bool{}, failed: map[string]string{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, p := range ps {
		wg.Go(func() {
			res, state, err := awaitOne(ctx, c, p.id)
			mu.Lock()
			defer mu.Unlock()
			switch state {
			case "stuck":
				out.stuck = append(out.stuck, p.name)
			case "lost":
				out.lost = append(out.lost, fmt.Sprintf("%s (%v)", p.name, err))
			case "failed":
				out.failed[p.name] = err.Error()
			default:
				if bad := unfinishedSteps(res); bad != "" {
					out.failed[p.name] = bad
				} else {
					out.succeeded[p.name] = true
				}
			}
		})
	}
	wg.Wait()
	sort.Strings(out.stuck)
	sort.Strings(out.lost)
	return out
}

func awaitOne(ctx context.Context, c client.Client, id string) (workflows.PipelineResult, string, error) {
	var notFoundSince time.Time
	for {
		var res workflows.PipelineResult
		err := c.GetWorkflow(ctx, id, "").Get(ctx, &res)
		if err == nil {
			return res, "succeeded", nil
		}
		if ctx.Err() != nil {
			return res, "stuck", ctx.Err()
		}
		var ended *temporal.WorkflowExecutionError
		if errors.As(err, &ended) {
			return res, "failed", err
		}
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			if notFoundSince.IsZero() {
				notFoundSince = time.Now()
			} else if time.Since(notFoundSince) > time.Minute {
				return res, "lost", err
			}
		} else {
			notFoundSince = time.Time{}
		}
		select {
		case <-ctx.Done():
			return res, "stuck", ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// unfinishedSteps names the steps of a pipeline that returned without
// error but did not succeed; empty when all did.
func unfinishedSteps(res workflows.PipelineResult) string {
	var bad []string
	for _, st := range res.Steps {
		if st.State != workflows.StepSucceeded {
			bad = append(bad, st.ID+" "+st.State)
		}
	}
	if res.Status != workflows.StatusSucceeded {
		bad = append(bad, "pipeline "+res.Status)
	}
	return strings.Join(bad, ", ")
}

// describeStuck logs what each stuck pipeline is waiting for, so a stuck
// run can be diagnosed from CI output alone.
func describeStuck(t *testing.T, c client.Client, ps []started, stuck []string) {
	t.Helper()
	names := map[string]bool{}
	for _, n := range stuck {
		names[n] = true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, p := range ps {
		if !names[p.name] {
			continue
		}
		d, err := c.DescribeWorkflowExecution(ctx, p.id, "")
		if err != nil {
			t.Logf("stuck %s: describe: %v", p.name, err)
			continue
		}
		var pending []string
		for _, a := range d.GetPendingActivities() {
			pending = append(pending, fmt.Sprintf("%s attempt %d (%s) last failure %q",
				a.GetActivityType().GetName(), a.GetAttempt(), a.GetState(), a.GetLastFailure().GetMessage()))
		}
		for _, ch := range d.GetPendingChildren() {
			pending = append(pending, "child "+ch.GetWorkflowId())
		}
		t.Logf("stuck %s (%s): %s", p.name, p.id, strings.Join(pending, "; "))
	}
}
