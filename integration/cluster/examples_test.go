package cluster

import (
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/workflows"
)

// The examples run as a user runs them after make cluster-up: the starter
// against the cluster (approving nightly-refresh's step with the starter
// too), the script's two workers and its emulators doing the work. Both
// workers took tasks of the pipelines. A second up then finds everything
// running and starts nothing, and status says it all runs and answers.
func TestCluster_ExamplesCompleteOnTwoWorkers(t *testing.T) {
	c := startCluster(t, options{workers: 2})
	files, err := filepath.Glob(filepath.Join(testenv.RepoRoot(), "examples", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	env := []string{"TEMPORAL_ADDRESS=" + c.Address, "TEMPORAL_NAMESPACE=default"}
	// Lanes run side by side, each its examples in turn: oci-move moves the
	// image gold-rollout moves (an etag-guarded move of the same image at
	// once would fail one of them, as it should), so they share a lane.
	lanes := map[string][]string{}
	for _, file := range files {
		lane := file
		if base := filepath.Base(file); base == "oci-move.yaml" || base == "gold-rollout.yaml" {
			lane = "oci"
		}
		lanes[lane] = append(lanes[lane], file)
	}
	var (
		mu   sync.Mutex
		ids  []string
		errs []string
		wg   sync.WaitGroup
	)
	for _, lane := range lanes {
		wg.Go(func() {
			for _, file := range lane {
				id, err := runExample(ctx, t, env, file)
				mu.Lock()
				ids = append(ids, id)
				if err != nil {
					errs = append(errs, err.Error())
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatal(strings.Join(errs, "\n"))
	}

	cl, err := client.Dial(client.Options{HostPort: c.Address, Logger: testenv.QuietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	host, _ := os.Hostname()
	seen := map[string]int{}
	for _, id := range ids {
		hs, err := testenv.HistoryText(ctx, cl, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"worker-1", "worker-2"} {
			identity := fmt.Sprintf("%d@%s", c.pid(w), host)
			for _, text := range hs {
				seen[w] += strings.Count(text, identity)
			}
		}
	}
	t.Logf("tasks' identities in the examples' histories: worker-1 %d, worker-2 %d", seen["worker-1"], seen["worker-2"])
	for _, w := range []string{"worker-1", "worker-2"} {
		if seen[w] == 0 {
			t.Errorf("%s (pid %d) took no task of any example: the examples did not run on two workers", w, c.pid(w))
		}
	}

	// make cluster-up on a cluster that runs starts nothing again.
	before := c.pids()
	c.script("up")
	if after := c.pids(); !maps.Equal(before, after) {
		t.Errorf("a second up changed the processes: before %v, after %v", before, after)
	}
	status := c.script("status")
	for _, want := range []string{"history        running", "postgres       running", "temporal       serving on " + c.Address, "worker-2       ready"} {
		if !strings.Contains(status, want) {
			t.Errorf("scripts/cluster.sh status lacks %q:\n%s", want, status)
		}
	}
}

// runExample runs the example file with the starter, approving its
// approval steps with the starter too, and returns its workflow ID.
func runExample(ctx context.Context, t *testing.T, env []string, file string) (string, error) {
	name := strings.TrimSuffix(filepath.Base(file), ".yaml")
	id := fmt.Sprintf("cluster-example-%s-%d", name, time.Now().UnixNano())
	spec, err := workflows.Default().Catalog().ParseFile(file)
	if err != nil {
		return id, err
	}
	go approve(ctx, env, id, spec)
	began := time.Now()
	out, err := starter(ctx, env, "run", "-f", file, "--id", id)
	if err != nil {
		return id, fmt.Errorf("starter run -f %s: %v\n%s", filepath.Base(file), err, out)
	}
	if !strings.Contains(out, "pipeline "+spec.Name+": Succeeded") {
		return id, fmt.Errorf("starter run -f %s ended without saying it succeeded:\n%s", filepath.Base(file), out)
	}
	t.Logf("%s succeeded in %s", name, time.Since(began).Round(time.Second))
	return id, nil
}

// approve approves each approval step of spec as its first approver with
// the starter, once the step waits (until then the starter is refused),
// until ctx ends.
func approve(ctx context.Context, env []string, id string, spec *pipeline.Spec) {
	for _, st := range spec.Steps {
		if st.Uses != pipeline.ActionApproval {
			continue
		}
		by := "cluster-test"
		if list, ok := st.With["approvers"].([]any); ok && len(list) > 0 {
			by, _ = list[0].(string)
		}
		for {
			if _, err := starter(ctx, env, "approve", id, "--step", st.ID, "--by", by); err == nil {
				break
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(500 * time.Millisecond):
			}
		}
	}
}

// starter runs the starter binary with args and the environment env
// (besides PATH and a HOME of its own), returning its output.
func starter(ctx context.Context, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, "starter"), args...)
	home, err := os.MkdirTemp("", "imagepipe-starter-home-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(home)
	cmd.Env = append(testenv.BaseEnv(home), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}
