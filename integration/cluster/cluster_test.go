package cluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/internal/testenv"
)

// requireEnv is the variable that turns a missing server or PostgreSQL
// from a skip into a failure.
const requireEnv = "IMAGEPIPE_REQUIRE_CLUSTER"

// cluster is one scripts/cluster.sh topology of a test's own: its state
// and PostgreSQL directories, its block of ports, and the environment the
// script runs with. It is brought down when the test ends.
type cluster struct {
	t       *testing.T
	state   string
	pgDir   string
	base    int
	env     []string
	Address string // the frontend, host:port
}

// tools are the programs a cluster needs besides imagepipe's own.
type tools struct {
	server, cli string
}

// findTools finds the Temporal server, its schema and PostgreSQL, skipping
// the test when the server or PostgreSQL is absent and requireEnv is
// unset, failing it when it is set.
func findTools(t *testing.T) tools {
	t.Helper()
	missing := func(what string) {
		t.Helper()
		if os.Getenv(requireEnv) == "" {
			t.Skipf("%s; with %s=1 (as .ci/run sets) this is a failure", what, requireEnv)
		}
		t.Fatalf("%s, and %s is set", what, requireEnv)
	}
	root := testenv.RepoRoot()
	server := os.Getenv("TEMPORAL_SERVER")
	if server == "" {
		server = filepath.Join(root, "bin", "temporal-server")
	}
	if _, err := os.Stat(server); err != nil {
		missing(fmt.Sprintf("no Temporal server at %s (make temporal-server builds it)", server))
	}
	if !havePostgres() {
		missing("no PostgreSQL: neither pg_ctl on PATH nor /usr/lib/postgresql/*/bin/pg_ctl (Debian's postgresql package)")
	}
	cli, err := testenv.TemporalCLI()
	if errors.Is(err, testenv.ErrNoTemporalCLI) {
		missing(err.Error())
	} else if err != nil {
		t.Fatal(err)
	}
	return tools{server: server, cli: cli}
}

func havePostgres() bool {
	if _, err := exec.LookPath("pg_ctl"); err == nil {
		return true
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	return len(found) > 0
}

// options shape a cluster.
type options struct {
	workers int      // imagepipe workers the script runs (0, 1 or 2)
	env     []string // more of the script's environment (TLS settings)
}

// startCluster brings a cluster up with scripts/cluster.sh up and brings
// it down with scripts/cluster.sh down when the test ends, checking that
// down leaves none of its processes running.
func startCluster(t *testing.T, opts options) *cluster {
	t.Helper()
	tl := findTools(t)
	bin := binaries(t)
	base, err := testenv.PortBlock(20)
	if err != nil {
		t.Fatal(err)
	}
	// PostgreSQL runs as the postgres user when the tests run as root: its
	// directory must be reachable by that user, which t.TempDir (mode 0700)
	// is not. /tmp is.
	pgDir, err := os.MkdirTemp("", "imagepipe-cluster-pg-")
	if err != nil {
		t.Fatal(err)
	}
	c := &cluster{t: t, state: t.TempDir(), pgDir: pgDir, base: base, Address: fmt.Sprintf("127.0.0.1:%d", base)}
	c.env = append(testenv.BaseEnv(t.TempDir()),
		"CLUSTER_STATE="+c.state,
		"CLUSTER_PG_DIR="+pgDir,
		"CLUSTER_PORT_BASE="+strconv.Itoa(base),
		"CLUSTER_BIN="+bin,
		"CLUSTER_WORKERS="+strconv.Itoa(opts.workers),
		// Should the test binary die without its cleanups (a -timeout
		// panic), the cluster goes down with it.
		"CLUSTER_OWNER_PID="+strconv.Itoa(os.Getpid()),
		"TEMPORAL="+tl.cli,
		"TEMPORAL_SERVER="+tl.server,
		// The emulators' jobs are quick, so a run is about the cluster.
		"IMAGEPIPE_EMULATOR_JOB_DURATION=1s",
		"IMAGEPIPE_EMULATOR_OCI_ACTIVATION_DELAY=1s",
	)
	c.env = append(c.env, opts.env...)
	t.Cleanup(c.down)
	start := time.Now()
	c.script("up")
	t.Logf("cluster up on %s in %s", c.Address, time.Since(start).Round(time.Second))
	return c
}

// script runs scripts/cluster.sh with args and the cluster's environment
// (extra appended), failing the test if it fails.
func (c *cluster) script(args ...string) string {
	c.t.Helper()
	out, err := c.scriptErr(nil, args...)
	if err != nil {
		c.t.Fatalf("scripts/cluster.sh %s: %v\n%s\n%s", strings.Join(args, " "), err, out, c.logTails())
	}
	return out
}

func (c *cluster) scriptErr(extra []string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(testenv.RepoRoot(), "scripts", "cluster.sh"), args...)
	cmd.Env = append(append([]string(nil), c.env...), extra...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// setEnv replaces (or adds) variables of the script's environment, for
// the next restart to pick up.
func (c *cluster) setEnv(kvs ...string) {
	for _, kv := range kvs {
		k, _, _ := strings.Cut(kv, "=")
		kept := c.env[:0]
		for _, e := range c.env {
			if !strings.HasPrefix(e, k+"=") {
				kept = append(kept, e)
			}
		}
		c.env = append(kept, kv)
	}
}

// pid is the process the script started as name (frontend, worker-1, ...).
func (c *cluster) pid(name string) int {
	c.t.Helper()
	b, err := os.ReadFile(filepath.Join(c.state, "pids", name))
	if err != nil {
		c.t.Fatalf("pid of %s: %v", name, err)
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		c.t.Fatalf("pid file of %s is empty", name)
	}
	pid, err := strconv.Atoi(f[0])
	if err != nil {
		c.t.Fatalf("pid file of %s: %v", name, err)
	}
	return pid
}

// pids are the processes the script has started and not stopped, by name.
func (c *cluster) pids() map[string]int {
	out := map[string]int{}
	files, _ := filepath.Glob(filepath.Join(c.state, "pids", "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if fs := strings.Fields(string(b)); len(fs) > 0 {
			if pid, err := strconv.Atoi(fs[0]); err == nil {
				out[filepath.Base(f)] = pid
			}
		}
	}
	// PostgreSQL's own pid file: the postmaster's pid on its first line.
	if b, err := os.ReadFile(filepath.Join(c.pgDir, "data", "postmaster.pid")); err == nil {
		if pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])); err == nil {
			out["postgres"] = pid
		}
	}
	return out
}

// down runs scripts/cluster.sh down, twice (the second must find nothing
// to do), and fails the test if any process the cluster ran survives it.
func (c *cluster) down() {
	if c.t.Failed() {
		c.t.Log(c.logTails())
	}
	running := c.pids()
	for range 2 {
		if out, err := c.scriptErr(nil, "down"); err != nil {
			c.t.Errorf("scripts/cluster.sh down: %v\n%s", err, out)
		}
	}
	names := make([]string, 0, len(running))
	for name := range running {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if alive(running[name]) {
			c.t.Errorf("scripts/cluster.sh down left %s (pid %d) running", name, running[name])
			_ = syscall.Kill(running[name], syscall.SIGKILL)
		}
	}
	_ = os.RemoveAll(c.pgDir)
}

// alive reports whether pid runs (and is no zombie).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the command's closing parenthesis.
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}

// logTails is the end of each log the script wrote, for a failing test.
func (c *cluster) logTails() string {
	var b strings.Builder
	logs, _ := filepath.Glob(filepath.Join(c.state, "logs", "*.log"))
	for _, f := range logs {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
		lines = lines[max(0, len(lines)-15):]
		for i, l := range lines {
			if len(l) > 400 {
				lines[i] = l[:400] + "…"
			}
		}
		fmt.Fprintf(&b, "--- %s (last %d lines)\n%s\n", filepath.Base(f), len(lines), strings.Join(lines, "\n"))
	}
	return b.String()
}
