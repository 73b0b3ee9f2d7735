package integration

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/workflows"
)

// The temporal-setup job's script, run with the tests' Temporal CLI against
// the dev server in a namespace of its own, creates the namespace and both
// search attributes, and a second run (compose up on an existing volume)
// succeeds and changes nothing.
func TestCompose_SetupJobCreatesNamespaceAndSearchAttributesIdempotently(t *testing.T) {
	c := readCompose(t)
	srv := testenv.Server(t)
	cli, err := testenv.TemporalCLI()
	if err != nil {
		t.Fatal(err)
	}
	const ns = "compose-setup"
	job := c.Services["temporal-setup"]
	// Compose turns $$ into $; the namespace is this test's own.
	script := strings.ReplaceAll(script(c, "temporal-setup"), "$$", "$")
	script = strings.ReplaceAll(script, "--namespace "+job.Environment["TEMPORAL_NAMESPACE"], "--namespace "+ns)
	bin := t.TempDir()
	if err := os.Symlink(cli, filepath.Join(bin, "temporal")); err != nil {
		t.Fatal(err)
	}
	run := func() {
		t.Helper()
		cmd := exec.Command("/bin/sh", "-c", script)
		cmd.Env = append(testenv.BaseEnv(t.TempDir()), "PATH="+bin+":"+os.Getenv("PATH"), "TEMPORAL_ADDRESS="+srv.HostPort)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("setup script: %v\n%s", err, out)
		}
	}
	run()
	run()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cl := dial(t)
	resp, err := cl.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: ns})
	if err != nil {
		t.Fatalf("namespace %s: %v", ns, err)
	}
	for _, sa := range []string{workflows.PipelineNameAttribute.GetName(), workflows.PipelineStatusAttribute.GetName()} {
		if got := resp.GetCustomAttributes()[sa]; got != enums.INDEXED_VALUE_TYPE_KEYWORD {
			t.Errorf("search attribute %s in %s is %v, want Keyword", sa, ns, got)
		}
	}
}
