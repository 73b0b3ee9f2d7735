package testenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"time"
)

// Process is a child process a test controls the way an operator (or a
// crash) would: started with an environment of its own, its output
// appended to one log across restarts, stopped with SIGTERM, killed with
// SIGKILL, and started again. It is not safe for concurrent Start calls.
type Process struct {
	Name string
	Path string
	Args []string
	// Env is the whole environment: the test's own is not inherited, so a
	// variable set in the developer's shell cannot change the run.
	Env []string
	// LogPath receives stdout and stderr of every start.
	LogPath string

	mu       sync.Mutex
	cmd      *exec.Cmd
	exited   chan struct{}
	logStart int64 // the log's size when the current start began
	starts   int
}

// ErrExited means the process ended while a test waited for it.
var ErrExited = errors.New("process exited")

// Start starts the process once more. It fails if the process is running.
func (p *Process) Start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil && !isClosed(p.exited) {
		return fmt.Errorf("start %s: already running as pid %d", p.Name, p.cmd.Process.Pid)
	}
	log, err := os.OpenFile(p.LogPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("start %s: %w", p.Name, err)
	}
	info, err := log.Stat()
	if err != nil {
		log.Close()
		return fmt.Errorf("start %s: %w", p.Name, err)
	}
	cmd := exec.Command(p.Path, p.Args...)
	cmd.Env = p.Env
	cmd.Stdout, cmd.Stderr = log, log
	// The child dies with the test binary, whatever way it ends.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		log.Close()
		return fmt.Errorf("start %s: %w", p.Name, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		log.Close()
		close(exited)
	}()
	p.cmd, p.exited, p.logStart = cmd, exited, info.Size()
	p.starts++
	return nil
}

// Starts is how many times the process was started.
func (p *Process) Starts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.starts
}

// Running reports whether the last start is still alive.
func (p *Process) Running() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cmd != nil && !isClosed(p.exited)
}

// Kill sends SIGKILL and waits until the process is gone.
func (p *Process) Kill() error {
	return p.signalAndWait(syscall.SIGKILL, 0)
}

// Stop sends SIGTERM and waits up to grace for the process to end on its
// own, then kills it. It reports whether it had to kill.
func (p *Process) Stop(grace time.Duration) (killed bool, err error) {
	err = p.signalAndWait(syscall.SIGTERM, grace)
	if errors.Is(err, context.DeadlineExceeded) {
		return true, p.Kill()
	}
	return false, err
}

// signalAndWait signals the running process and waits for it to exit, up
// to limit (zero: without limit).
func (p *Process) signalAndWait(sig syscall.Signal, limit time.Duration) error {
	p.mu.Lock()
	cmd, exited := p.cmd, p.exited
	p.mu.Unlock()
	if cmd == nil || isClosed(exited) {
		return nil
	}
	if err := cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("signal %s: %w", p.Name, err)
	}
	if limit <= 0 {
		<-exited
		return nil
	}
	select {
	case <-exited:
		return nil
	case <-time.After(limit):
		return fmt.Errorf("%s still running %s after %v: %w", p.Name, limit, sig, context.DeadlineExceeded)
	}
}

// WaitForLog waits until the current start has written text to the log.
// It fails when the process exits first or ctx ends.
func (p *Process) WaitForLog(ctx context.Context, text string) error {
	p.mu.Lock()
	exited, from := p.exited, p.logStart
	p.mu.Unlock()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if b, err := os.ReadFile(p.LogPath); err == nil && int64(len(b)) >= from && bytes.Contains(b[from:], []byte(text)) {
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("%s: %w before logging %q; its log:\n%s", p.Name, ErrExited, text, p.tail(from))
		case <-ctx.Done():
			return fmt.Errorf("%s did not log %q: %w; its log:\n%s", p.Name, text, ctx.Err(), p.tail(from))
		case <-tick.C:
		}
	}
}

// LogTail is the end of what the current start logged, for error messages.
func (p *Process) LogTail() string {
	p.mu.Lock()
	from := p.logStart
	p.mu.Unlock()
	return p.tail(from)
}

// tail is the end of the log from offset from on.
func (p *Process) tail(from int64) string {
	b, err := os.ReadFile(p.LogPath)
	if err != nil || int64(len(b)) < from {
		return ""
	}
	b = b[from:]
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// RepoRoot is the repository's top directory.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// BaseEnv is the little of the test's environment a child needs to run:
// PATH, and a HOME of its own so no user configuration file applies.
func BaseEnv(home string) []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home}
}
