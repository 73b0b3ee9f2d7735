package bench

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// stack is one measurement's whole system: one dev server with the
// project's settings (and its Prometheus metrics), the four emulators, the
// worker binary polling imagepipe's queue, and a bare SDK worker polling
// the floor's queue with the SDK's default settings.
type stack struct {
	server      *testenv.DevServerProcess
	metricsURL  string
	c           client.Client
	vendors     *testenv.ServedVendors
	worker      *testenv.WorkerProcess
	workerBin   string
	queue       string
	floorQueue  string
	vendorCalls *callLog
}

// stackOptions shape a stack.
type stackOptions struct {
	timing simkit.Timing
	// zstackJob, when set, is how long ZStack's jobs take instead of
	// timing.Job.
	zstackJob time.Duration
	// workerEnv are extra settings of the worker binary (IMAGEPIPE_...=...).
	workerEnv []string
	// noFloor leaves the floor's worker out.
	noFloor bool
}

// newStack starts a stack for the test's duration.
func newStack(t *testing.T, opts stackOptions) *stack {
	t.Helper()
	ctx := context.Background()
	s := &stack{server: testenv.NewDevServerProcess(t), vendorCalls: newCallLog(opts.timing.Clock)}
	port, err := freeTCPPort()
	if err != nil {
		t.Fatal(err)
	}
	s.server.Args = append(s.server.Args, "--metrics-port", port)
	s.metricsURL = "http://127.0.0.1:" + port + "/metrics"
	if err := s.server.StartReady(ctx); err != nil {
		t.Fatal(err)
	}
	s.c, err = client.Dial(client.Options{HostPort: s.server.HostPort, Logger: testenv.QuietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.c.Close)
	zs := zstacksim.Demo(opts.timing)
	if opts.zstackJob > 0 {
		zs.JobDuration = opts.zstackJob
	}
	s.vendors = testenv.ServeVendors(t, testenv.ServedOptions{
		Timing: opts.timing, Options: map[string]any{activities.VendorZStack: zs},
		Wrap: s.vendorCalls.wrap,
	})
	s.queue = fmt.Sprintf("bench-%d", time.Now().UnixNano())
	s.workerBin = workerBinary(t)
	s.startWorker(t, opts.workerEnv)
	if !opts.noFloor {
		s.floorQueue = s.queue + "-floor"
		w := worker.New(s.c, s.floorQueue, worker.Options{})
		registerFloor(w)
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(w.Stop)
	}
	return s
}

// startWorker starts (or starts again, after stopWorker) the worker binary.
func (s *stack) startWorker(t *testing.T, env []string) {
	t.Helper()
	s.worker = testenv.NewWorkerProcess(t, s.workerBin, s.server.HostPort, s.queue, append(append([]string{}, s.vendors.WorkerEnv...), env...))
	// The worker logs at warn: a log line per activity would cost it time
	// the floor's worker does not spend.
	for i, kv := range s.worker.Env {
		if kv == "IMAGEPIPE_LOG_LEVEL=info" {
			s.worker.Env[i] = "IMAGEPIPE_LOG_LEVEL=warn"
		}
	}
	if err := s.worker.Start(); err != nil {
		t.Fatal(err)
	}
	if err := waitForPoller(context.Background(), s.c, s.queue); err != nil {
		t.Fatalf("%v; its log:\n%s", err, s.worker.LogTail())
	}
}

// waitForPoller waits until a worker polls queue for workflow tasks.
func waitForPoller(ctx context.Context, c client.Client, queue string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for {
		d, err := c.DescribeTaskQueue(ctx, queue, enumspb.TASK_QUEUE_TYPE_WORKFLOW)
		if err == nil && len(d.GetPollers()) > 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("no worker polls %s: %w", queue, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// workerBinary is $IMAGEPIPE_BENCH_WORKER (make bench points it at the
// bin/worker it just built), else a fresh build of this checkout.
func workerBinary(t *testing.T) string {
	if p := os.Getenv("IMAGEPIPE_BENCH_WORKER"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("IMAGEPIPE_BENCH_WORKER=%s: %v", p, err)
		}
		return p
	}
	return testenv.BuildWorker(t)
}

func freeTCPPort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port), nil
}
