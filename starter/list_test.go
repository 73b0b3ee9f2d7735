package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
)

// listJSON is starter list --json with args, decoded.
func listJSON(t *testing.T, args ...string) []listRow {
	t.Helper()
	code, out, errOut := starter(t, append([]string{"list", "--json"}, args...)...)
	if code != exitOK {
		t.Fatalf("list %v: exit %d\n%s%s", args, code, out, errOut)
	}
	var rows []listRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("list %v --json: %v\n%s", args, err, out)
	}
	return rows
}

func ids(rows []listRow) map[string]listRow {
	m := map[string]listRow{}
	for _, r := range rows {
		m[r.WorkflowID] = r
	}
	return m
}

// listPipelines runs a pipeline that succeeds and one that fails, both
// named name, and waits until the visibility store lists both.
func listPipelines(t *testing.T, name string) (ok, failed string) {
	t.Helper()
	stack(t)
	spec := strings.Replace(readFile(t, "../examples/oci-move.yaml"), "name: oci-move", "name: "+name, 1)
	ok, failed = testID(t)+"-ok", testID(t)+"-failed"
	if code, out, errOut := starter(t, "run", "-f", writeFile(t, spec), "--id", ok); code != exitOK {
		t.Fatalf("run: exit %d\n%s%s", code, out, errOut)
	}
	bad := strings.ReplaceAll(spec, ocisim.DemoImageID, "ocid1.image.oc1.iad.aaaaaaaanosuchimage")
	if code, out, errOut := starter(t, "run", "-f", writeFile(t, bad), "--id", failed); code != exitFailed {
		t.Fatalf("run: exit %d\n%s%s", code, out, errOut)
	}
	waitFor(t, "both pipelines to be listed as closed", func() bool {
		m := ids(listJSON(t, "--pipeline", name))
		return m[ok].Status == "succeeded" && m[failed].Status == "failed"
	})
	return ok, failed
}

func TestList_ShowsPipelinesOnlyInATableWithHeader(t *testing.T) {
	ok, failed := listPipelines(t, "list-table")
	code, out, errOut := starter(t, "list")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if h := strings.Fields(lines[0]); strings.Join(h, " ") != "ID PIPELINE STATUS STARTED DURATION" {
		t.Errorf("header %q", lines[0])
	}
	var okLine, failedLine string
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		switch f[0] {
		case ok:
			okLine = l
		case failed:
			failedLine = l
		}
		if strings.Contains(f[0], "/") {
			t.Errorf("lists a job wait or lock, not a pipeline: %s", l)
		}
	}
	if f := strings.Fields(okLine); len(f) < 5 || f[1] != "list-table" || f[2] != "succeeded" {
		t.Errorf("row of %s: %q\n%s", ok, okLine, out)
	}
	if f := strings.Fields(failedLine); len(f) < 5 || f[2] != "failed" {
		t.Errorf("row of %s: %q\n%s", failed, failedLine, out)
	}
}

func TestList_FiltersByStatusPipelineAndTimeAndAllShowsItsNameLocks(t *testing.T) {
	ok, failed := listPipelines(t, "list-filters")
	m := ids(listJSON(t, "--status", "failed"))
	if _, has := m[ok]; has {
		t.Errorf("--status failed lists %s, which succeeded", ok)
	}
	if r, has := m[failed]; !has || r.Pipeline != "list-filters" || r.Type != "ImagePipeline" || r.Duration == "" {
		t.Errorf("--status failed: row of %s %+v", failed, r)
	}
	if rows := listJSON(t, "--pipeline", "no-such-pipeline"); len(rows) != 0 {
		t.Errorf("--pipeline no-such-pipeline lists %v", rows)
	}
	recent := listJSON(t, "--since", "1h", "--pipeline", "list-filters")
	if len(recent) != 2 {
		t.Errorf("--since 1h lists %d of the two pipelines just run", len(recent))
	}
	// Once a second has passed since the later started, --since 1s lists neither.
	var latest time.Time
	for _, r := range recent {
		if r.Started.After(latest) {
			latest = r.Started
		}
	}
	time.Sleep(time.Until(latest.Add(1500 * time.Millisecond)))
	if rows := listJSON(t, "--since", "1s", "--pipeline", "list-filters"); len(rows) != 0 {
		t.Errorf("--since 1s lists %d pipelines started earlier: %+v (now %s)", len(rows), rows, time.Now().UTC())
	}
	// A pipeline's job waits are activities now, and its other workflows
	// are name locks: --all lists them, and status of one says whose it is,
	// not "unknown queryType". (Job waits of pipelines started before were
	// AwaitJob workflows, which status still describes the same way.)
	copyName := fmt.Sprintf("list-lock-%d", time.Now().UnixNano())
	lockSpec := `name: list-locks
steps:
  - id: copy
    uses: huawei.copy_image
    with: {image_id: 3b0a2f6e-9c41-4d2a-8f7e-5a6b7c8d9e01, name: ` + copyName + `}
`
	locker := testID(t) + "-locks"
	// The test's worker has only OCI configured: the copy fails, but only
	// once the step holds the copy's name.
	if code, out, errOut := starter(t, "run", "-f", writeFile(t, lockSpec), "--id", locker); code != exitFailed {
		t.Fatalf("run: exit %d\n%s%s", code, out, errOut)
	}
	var lock listRow
	waitFor(t, "the name lock to be listed with --all", func() bool {
		for _, r := range listJSON(t, "--all") {
			if r.Type == "NameLock" && strings.HasSuffix(r.WorkflowID, "/"+copyName) {
				lock = r
				return true
			}
		}
		return false
	})
	// The lock made the copy, which failed: status says so and exits as
	// for any failed workflow.
	code, out, errOut := starter(t, "status", lock.WorkflowID)
	if code != exitFailed || !strings.Contains(out, "state: failed") || !strings.Contains(out, "is not a pipeline: it is a name lock (NameLock) on the name huawei.image/"+copyName+", for pipeline "+locker) ||
		!strings.Contains(out, "starter status "+locker) {
		t.Errorf("status of a name lock: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if strings.Contains(out+errOut, "queryType") {
		t.Errorf("status of a name lock shows the query error:\n%s%s", out, errOut)
	}
	if code, _, errOut := starter(t, "watch", lock.WorkflowID); code != exitUsage || !strings.Contains(errOut, "name lock (NameLock)") {
		t.Errorf("watch of a name lock: exit %d\n%s", code, errOut)
	}
}

func TestList_BadFilterExitsTwoNamingTheFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--status", "exploded"}, `--status "exploded": one of canceled, continued-as-new, failed`},
		{[]string{"--since", "-1h"}, "--since -1h0m0s"},
		{[]string{"--pipeline", "x' OR 1=1"}, "--pipeline"},
		{[]string{"--limit", "0"}, "--limit 0"},
		{[]string{"gold"}, `unexpected argument "gold"`},
	} {
		code, _, errOut := starter(t, append([]string{"list"}, tc.args...)...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("list %v: exit %d, want %d naming %q\n%s", tc.args, code, exitUsage, tc.want, errOut)
		}
	}
}
