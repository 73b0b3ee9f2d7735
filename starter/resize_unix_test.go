//go:build unix

package main

import (
	"io"
	"os"
	"syscall"
	"testing"
	"time"
)

// A terminal's resize reaches the loop that redraws the live table at once,
// and only a table drawn in place listens for it.
func TestNotifyResize_DeliversSIGWINCHToTheLiveTableOnly(t *testing.T) {
	ch, stop := notifyResize(&ttyRenderer{w: io.Discard})
	defer stop()
	if err := syscall.Kill(os.Getpid(), syscall.SIGWINCH); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatal("SIGWINCH did not reach the live table")
	}
	if lines, stopLines := notifyResize(&lineRenderer{w: io.Discard}); lines != nil {
		stopLines()
		t.Error("a piped renderer listens for resizes")
	}
}
