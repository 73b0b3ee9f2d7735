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
// a tmux window of 80 and of 160 columns, and in windows resized while the
// table is live (narrowed from 160 to 80, widened from 80 to 160), and
// tmux's own screen (its scrollback included) holds one header, the
// finished table's, whose lines fit the window's width at the end. This
// checks the model terminal of the pty test against one in daily use.
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
	for _, tc := range []struct {
		name           string
		cols, resizeTo int // resizeTo 0: no resize
	}{
		{name: "80", cols: 80},
		{name: "160", cols: 160},
		{name: "160-narrowed-to-80", cols: 160, resizeTo: 80},
		{name: "80-widened-to-160", cols: 80, resizeTo: 160},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := stack(t)
			faults := 2
			if tc.resizeTo > 0 {
				// Retries with backoff keep the table live for seconds
				// after the window is resized.
				faults = 4
			}
			o.Sim.Faults().Inject(ocisim.OpChangeImageCompartment, simkit.Fault{Status: http.StatusTooManyRequests}, faults)
			home := t.TempDir()
			socket := fmt.Sprintf("starter-test-%d-%s", os.Getpid(), tc.name)
			tm := func(args ...string) (string, error) {
				cmd := exec.Command(tmux, append([]string{"-L", socket, "-f", "/dev/null"}, args...)...)
				cmd.Env = append(testenv.BaseEnv(home), "TERM=xterm-256color")
				out, err := cmd.CombinedOutput()
				return string(out), err
			}
			script := fmt.Sprintf("env TEMPORAL_ADDRESS=%s TEMPORAL_NAMESPACE=default %s run -f %s; echo starter-exit-$?; sleep 600",
				srv.HostPort, bin, example)
			if tc.resizeTo > 0 {
				// A terminal in use has history above the table. tmux
				// rewraps a narrowed window keeping the cursor's row, so a
				// table that starts within its own height of the top has
				// its first rows pushed into the scrollback, where no
				// cursor movement reaches (see the README).
				script = "seq 1 60; " + script
			}
			if out, err := tm("new-session", "-d", "-x", fmt.Sprint(tc.cols), "-y", "40", "-s", "t", script); err != nil {
				t.Fatalf("tmux new-session: %v\n%s", err, out)
			}
			t.Cleanup(func() { _, _ = tm("kill-server") })
			var screen string
			resized := false
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
				if tc.resizeTo > 0 && !resized && strings.Contains(screen, "pipeline oci-move: Running") {
					if out, err := tm("resize-window", "-t", "t", "-x", fmt.Sprint(tc.resizeTo)); err != nil {
						t.Fatalf("tmux resize-window: %v\n%s", err, out)
					}
					resized = true
				}
				time.Sleep(500 * time.Millisecond)
			}
			if !strings.Contains(screen, "starter-exit-0") {
				t.Fatalf("the starter did not succeed in tmux:\n%s", screen)
			}
			if tc.resizeTo > 0 && !resized {
				t.Fatalf("the pipeline ended before the window could be resized:\n%s", screen)
			}
			if n := strings.Count(screen, "pipeline oci-move:"); n != 1 {
				t.Errorf("tmux shows the header %d times, want once:\n%s", n, screen)
			}
			if !strings.Contains(screen, "pipeline oci-move: Succeeded") {
				t.Errorf("tmux does not show the finished table:\n%s", screen)
			}
			width := tc.cols
			if tc.resizeTo > 0 {
				width = tc.resizeTo
			}
			table := screen[strings.Index(screen, "pipeline oci-move:"):strings.Index(screen, "starter-exit-")]
			widest := 0
			for _, l := range strings.Split(strings.TrimRight(table, "\n"), "\n") {
				// -J joins what tmux wrapped: a line wider than the
				// window was not cut to it.
				widest = max(widest, cells(l))
				if cells(l) > width {
					t.Errorf("a %d-cell line in the finished table on a %d-column window: %q", cells(l), width, l)
				}
			}
			if tc.resizeTo > tc.cols && widest <= tc.cols {
				t.Errorf("after widening to %d columns the widest line has %d cells: still cut to the old %d", tc.resizeTo, widest, tc.cols)
			}
		})
	}
}
