//go:build unix

package main

import (
	"os"
	"os/signal"
	"syscall"
)

// notifyResize delivers the terminal's resizes (SIGWINCH) while a table is
// drawn in place, so it is redrawn for the new width at once instead of at
// the next poll. Other renderers get a channel that never delivers.
func notifyResize(r renderer) (<-chan os.Signal, func()) {
	if _, ok := r.(*ttyRenderer); !ok {
		return nil, func() {}
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGWINCH)
	return ch, func() { signal.Stop(ch) }
}
