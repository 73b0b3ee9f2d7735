package bench

import (
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/internal/testenv"
)

// describeMachine says where the figures come from.
func describeMachine(t *testing.T) Machine {
	m := Machine{Date: time.Now().UTC().Format("2006-01-02 15:04 UTC"), Cores: runtime.NumCPU(), Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
				kb, _ := strconv.Atoi(f[1])
				m.MemoryMB = kb / 1024
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		m.Load = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "go.temporal.io/sdk" {
				m.SDK = d.Version
			}
		}
	}
	if m.SDK == "" {
		cmd := exec.Command("go", "list", "-m", "-f", "{{.Version}}", "go.temporal.io/sdk")
		cmd.Dir = testenv.RepoRoot()
		if out, err := cmd.Output(); err == nil {
			m.SDK = strings.TrimSpace(string(out))
		}
	}
	if cli, err := testenv.TemporalCLI(); err == nil {
		if out, err := exec.Command(cli, "--version").Output(); err == nil {
			m.Server = strings.TrimSpace(string(out))
		}
	}
	return m
}
