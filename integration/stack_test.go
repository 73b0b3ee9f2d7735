package integration

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/internal/testenv"
)

// TestStackUp_OnCustomPortsAnotherShellReachesItThroughTheEnvFile starts
// the local stack as `make up` does, on ports other than 7233 and 8233,
// then acts as a new shell that knows nothing of those ports: after
// sourcing the file the stack wrote, the starter runs a pipeline there and
// links to the stack's own web UI, and the temporal CLI finds the same
// server through the profile.
func TestStackUp_OnCustomPortsAnotherShellReachesItThroughTheEnvFile(t *testing.T) {
	cli, err := testenv.TemporalCLI()
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	build := exec.Command("go", "build", "-o", filepath.Join(root, "bin")+"/", "./worker", "./starter", "./emulator")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	state := t.TempDir()
	temporalPort, uiPort := freeLoopbackPort(t), freeLoopbackPort(t)
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"TEMPORAL=" + cli, "IMAGEPIPE_STATE=" + state,
		"TEMPORAL_PORT=" + temporalPort, "UI_PORT=" + uiPort,
		"IMAGEPIPE_METRICS_ADDR=127.0.0.1:" + freeLoopbackPort(t),
		"IMAGEPIPE_EMULATOR_OCI_ADDR=127.0.0.1:" + freeLoopbackPort(t),
		"IMAGEPIPE_EMULATOR_FPP_ADDR=127.0.0.1:" + freeLoopbackPort(t),
		"IMAGEPIPE_EMULATOR_HUAWEI_ADDR=127.0.0.1:" + freeLoopbackPort(t),
		"IMAGEPIPE_EMULATOR_ZSTACK_ADDR=127.0.0.1:" + freeLoopbackPort(t),
	}
	script := filepath.Join(root, "scripts", "stack.sh")
	stack := func(arg string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "bash", script, arg)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := stack("up")
	t.Cleanup(func() {
		if out, err := stack("down"); err != nil {
			t.Errorf("stack.sh down: %v\n%s", err, out)
		}
	})
	if err != nil {
		t.Fatalf("stack.sh up: %v\n%s", err, out)
	}
	envFile := filepath.Join(state, "env")
	if !strings.Contains(out, ". "+state+"/env") {
		t.Errorf("stack.sh up does not say how another shell reaches the stack:\n%s", out)
	}

	// A new shell: no TEMPORAL_ADDRESS, no IMAGEPIPE_UI_URL, only the file.
	shell := func(command string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "bash", "-c", ". "+strconv.Quote(envFile)+" && "+command)
		cmd.Dir = root
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	id := "stack-env-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	out, err = shell("bin/starter run -f examples/oci-move.yaml --id " + id)
	if err != nil {
		t.Fatalf("starter run from a new shell: %v\n%s", err, out)
	}
	if want := "http://localhost:" + uiPort + "/namespaces/default/workflows/" + id; !strings.Contains(out, want) {
		t.Errorf("starter's web UI link is not the stack's UI %s:\n%s", want, out)
	}
	out, err = shell(strconv.Quote(cli) + " workflow describe --workflow-id " + id)
	if err != nil || !strings.Contains(out, "COMPLETED") {
		t.Errorf("temporal CLI through the profile: err=%v\n%s", err, out)
	}
}

// freeLoopbackPort is a port nothing on 127.0.0.1 listens on just now.
func freeLoopbackPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}
