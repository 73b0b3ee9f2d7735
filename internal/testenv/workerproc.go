package testenv

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// BuildWorker builds cmd worker from this checkout into a directory of the
// test's and returns the binary's path: a crash test kills the real
// process, not an in-process stand-in.
func BuildWorker(t testing.TB) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("build the worker: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "worker")
	cmd := exec.Command(goTool, "build", "-o", bin, "./worker")
	cmd.Dir = RepoRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./worker: %v\n%s", err, out)
	}
	return bin
}

// WorkerProcess is cmd worker run as a child process, configured by its
// environment as scripts/stack.sh configures it.
type WorkerProcess struct {
	*Process
}

// WorkerReady is what the worker logs once it is connected and registered.
const WorkerReady = "worker started"

// NewWorkerProcess prepares (but does not start) the worker binary bin to
// poll queue on the Temporal frontend hostPort, with the vendor settings
// in vendorEnv (KEY=VALUE lines such as the emulator's worker.env). Its
// output of every start goes to one log in the test's directory; it is
// killed when the test ends.
func NewWorkerProcess(t testing.TB, bin, hostPort, queue string, vendorEnv []string) *WorkerProcess {
	t.Helper()
	dir := t.TempDir()
	env := append(BaseEnv(dir),
		"TEMPORAL_ADDRESS="+hostPort,
		"TEMPORAL_NAMESPACE=default",
		"IMAGEPIPE_TASK_QUEUE="+queue,
		"IMAGEPIPE_LOG_LEVEL=info",
		"IMAGEPIPE_LOG_FORMAT=json",
		"IMAGEPIPE_STOP_TIMEOUT=5s",
	)
	env = append(env, vendorEnv...)
	p := &WorkerProcess{&Process{Name: "worker", Path: bin, Env: env, LogPath: filepath.Join(dir, "worker.log")}}
	t.Cleanup(func() { _ = p.Kill() })
	return p
}

// StartReady starts the worker and waits until it says it started.
func (w *WorkerProcess) StartReady(ctx context.Context) error {
	if err := w.Start(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	return w.WaitForLog(ctx, WorkerReady)
}

// Log is everything every start of the worker wrote.
func (w *WorkerProcess) Log() (string, error) {
	b, err := os.ReadFile(w.LogPath)
	if err != nil {
		return "", fmt.Errorf("worker log: %w", err)
	}
	return string(b), nil
}
