package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/internal/testenv"
)

// runMainVariable makes the test binary run the worker's main instead of
// the tests, so a test can start the worker as a process of its own.
const runMainVariable = "IMAGEPIPE_WORKER_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainVariable) == "1" {
		main()
		return
	}
	testenv.Main(m)
}

// workerProcess is the worker started as a user starts it, with env on
// top of a clean environment.
func workerProcess(ctx context.Context, t *testing.T, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "IMAGEPIPE_") && !strings.HasPrefix(kv, "TEMPORAL_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, append([]string{runMainVariable + "=1", "IMAGEPIPE_LOG_FORMAT=json"}, env...)...)
	return cmd
}

func TestWorker_UnknownNamespaceExitsNamingTheVariableBeforeSayingItStarted(t *testing.T) {
	srv := testenv.Server(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	stderr := exitsWithFailure(t, workerProcess(ctx, t, "TEMPORAL_ADDRESS="+srv.HostPort, "TEMPORAL_NAMESPACE=nope"),
		`TEMPORAL_NAMESPACE="nope"`, "no such namespace", "temporal operator namespace create")
	if strings.Contains(stderr, "worker started") {
		t.Errorf("the worker said it started in a namespace that does not exist:\n%s", stderr)
	}
}

// A namespace named by a mounted profile (TEMPORAL_CONFIG_FILE,
// TEMPORAL_PROFILE) is reported as the profile's, with its file, not as
// TEMPORAL_NAMESPACE, which the operator never set.
func TestWorker_UnknownNamespaceFromAProfileNamesTheProfileAndItsFile(t *testing.T) {
	srv := testenv.Server(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	profile := filepath.Join(t.TempDir(), "temporal.toml")
	toml := "[profile.prod]\naddress = \"" + srv.HostPort + "\"\nnamespace = \"imagepipe-nope\"\n"
	if err := os.WriteFile(profile, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}
	stderr := exitsWithFailure(t, workerProcess(ctx, t, "TEMPORAL_CONFIG_FILE="+profile, "TEMPORAL_PROFILE=prod"),
		`namespace "imagepipe-nope" of profile "prod" (TEMPORAL_PROFILE) in `+profile+" (TEMPORAL_CONFIG_FILE)",
		"no such namespace", "--namespace imagepipe-nope")
	if strings.Contains(stderr, "TEMPORAL_NAMESPACE=") {
		t.Errorf("the message blames TEMPORAL_NAMESPACE, which is unset:\n%s", stderr)
	}
}

// exitsWithFailure runs the worker cmd and returns what it wrote to
// stderr, failing the test unless it exits with status 1, and for each
// of wants stderr lacks.
func exitsWithFailure(t *testing.T, cmd *exec.Cmd, wants ...string) string {
	t.Helper()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("worker: %v, want exit status 1\n%s", err, stderr.String())
	}
	for _, want := range wants {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	return stderr.String()
}

func TestWorker_ExistingNamespaceStartsAndStopsOnSIGTERM(t *testing.T) {
	srv := testenv.Server(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := workerProcess(ctx, t, "TEMPORAL_ADDRESS="+srv.HostPort, "TEMPORAL_NAMESPACE=default", "IMAGEPIPE_TASK_QUEUE="+t.Name())
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var seen []string
	started := false
	sc := bufio.NewScanner(stderr)
	for !started && sc.Scan() {
		seen = append(seen, sc.Text())
		started = strings.Contains(sc.Text(), `"worker started"`) && strings.Contains(sc.Text(), t.Name())
	}
	if !started {
		_ = cmd.Wait()
		t.Fatalf("the worker never said it started on its queue:\n%s", strings.Join(seen, "\n"))
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for sc.Scan() {
		seen = append(seen, sc.Text())
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("worker after SIGTERM: %v\n%s", err, strings.Join(seen, "\n"))
	}
	if !strings.Contains(strings.Join(seen, "\n"), "worker stopped") {
		t.Errorf("no \"worker stopped\":\n%s", strings.Join(seen, "\n"))
	}
}
