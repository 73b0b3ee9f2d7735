package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// runInTerminal runs the starter with its output on a pseudo-terminal of
// cols×rows, and returns the exit code and every byte the terminal got.
func runInTerminal(t *testing.T, cols, rows int, args ...string) (int, string) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)}); err != nil {
		t.Fatalf("set terminal size: %v", err)
	}
	var mu sync.Mutex
	var got bytes.Buffer
	read := make(chan struct{})
	go func() {
		defer close(read)
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			mu.Lock()
			got.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var errOut bytes.Buffer
	code := run(ctx, args, tty, &errOut)
	if errOut.Len() > 0 {
		t.Logf("stderr:\n%s", errOut.String())
	}
	// Closing the terminal's side ends the reader once it has read all.
	_ = tty.Close()
	select {
	case <-read:
	case <-time.After(30 * time.Second):
		t.Fatal("the terminal's output did not end")
	}
	mu.Lock()
	defer mu.Unlock()
	return code, got.String()
}

// tableLines is what the starter wrote from its first table on, split at
// the line ends the terminal got (the pty turns LF into CR LF), with the
// redraws' escape sequences left in.
func tableLines(raw string) []string {
	i := strings.Index(raw, "pipeline ")
	if i < 0 {
		return nil
	}
	raw = strings.ReplaceAll(raw[i:], "\r\n", "\n")
	return strings.Split(strings.TrimSuffix(raw, "\n"), "\n")
}

// The live table at 80, 120 and 160 columns: every line it draws fits the
// terminal, and after its redraws the terminal shows one table with one
// header, not the earlier tables' remains.
func TestRun_LiveTableRedrawsInPlaceAtTerminalWidth(t *testing.T) {
	for _, cols := range []int{80, 120, 160} {
		t.Run(fmt.Sprint(cols), func(t *testing.T) {
			// Two 429s on the move keep the table redrawing while the
			// compartment's line, with its OCID, is already long.
			o := stack(t)
			o.Sim.Faults().Inject(ocisim.OpChangeImageCompartment, simkit.Fault{Status: http.StatusTooManyRequests}, 2)
			const rows = 40
			code, raw := runInTerminal(t, cols, rows, "run", "-f", "../examples/oci-move.yaml")
			if code != exitOK {
				t.Fatalf("exit %d; the terminal got:\n%q", code, raw)
			}
			redraws := strings.Count(raw, "\x1b[J")
			if redraws == 0 {
				t.Fatalf("the table was drawn once only, so its redraw went untested; the terminal got:\n%q", raw)
			}
			for _, l := range tableLines(raw) {
				if n := cells(l); n > cols {
					t.Errorf("a %d-cell line on a %d-column terminal: %q", n, cols, l)
				}
			}
			scr := newScreen(cols, rows)
			scr.write(raw)
			shown := scr.text()
			headers := 0
			for _, l := range shown {
				if strings.HasPrefix(l, "pipeline oci-move:") {
					headers++
				}
			}
			if headers != 1 {
				t.Errorf("after %d redraws the terminal shows the header %d times, want once:\n%s", redraws, headers, strings.Join(shown, "\n"))
			}
			if last := strings.Join(shown, "\n"); !strings.Contains(last, "pipeline oci-move: Succeeded") {
				t.Errorf("the terminal does not end on the finished table:\n%s", last)
			}
		})
	}
}
