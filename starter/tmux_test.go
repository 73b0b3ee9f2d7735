package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// The live table in a real terminal emulator: the starter binary runs in
// a tmux window of 80 and of 160 columns, and tmux's own screen (its
// scrollback included) holds one header, the finished table's. This checks
// the model terminal of the pty test against one in daily use.
func TestRun_LiveTableInTmuxShowsOneHeader(t *testing.T) {
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed")
	}
	srv := testenv.Server(t)
	bin := filepath.Join(t.TempDir(), "starter")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build the starter: %v\n%s", err, out)
	}
	example, err := filepath.Abs("../examples/oci-move.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, cols := range []int{80, 160} {
		t.Run(fmt.Sprint(cols), func(t *testing.T) {
			o := stack(t)
			o.Sim.Faults().Inject(ocisim.OpChangeImageCompartment, simkit.Fault{Status: http.StatusTooManyRequests}, 2)
			home := t.TempDir()
			socket := fmt.Sprintf("starter-test-%d-%d", os.Getpid(), cols)
			tm := func(args ...string) (string, error) {
				cmd := exec.Command(tmux, append([]string{"-L", socket, "-f", "/dev/null"}, args...)...)
				cmd.Env = append(testenv.BaseEnv(home), "TERM=xterm-256color")
				out, err := cmd.CombinedOutput()
				return string(out), err
			}
			script := fmt.Sprintf("env TEMPORAL_ADDRESS=%s TEMPORAL_NAMESPACE=default %s run -f %s; echo starter-exit-$?; sleep 600",
				srv.HostPort, bin, example)
			if out, err := tm("new-session", "-d", "-x", fmt.Sprint(cols), "-y", "40", "-s", "t", script); err != nil {
				t.Fatalf("tmux new-session: %v\n%s", err, out)
			}
			t.Cleanup(func() { _, _ = tm("kill-server") })
			var screen string
			deadline := time.Now().Add(3 * time.Minute)
			for {
				out, err := tm("capture-pane", "-p", "-J", "-S", "-", "-t", "t")
				if err != nil {
					t.Fatalf("tmux capture-pane: %v\n%s", err, out)
				}
				screen = out
				if strings.Contains(screen, "starter-exit-") || time.Now().After(deadline) {
					break
				}
				time.Sleep(500 * time.Millisecond)
			}
			if !strings.Contains(screen, "starter-exit-0") {
				t.Fatalf("the starter did not succeed in tmux:\n%s", screen)
			}
			if n := strings.Count(screen, "pipeline oci-move:"); n != 1 {
				t.Errorf("tmux shows the header %d times, want once:\n%s", n, screen)
			}
			if !strings.Contains(screen, "pipeline oci-move: Succeeded") {
				t.Errorf("tmux does not show the finished table:\n%s", screen)
			}
		})
	}
}
