package main

import (
	"encoding/json"
	"strings"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/imagepipe/imagepipe/internal/testenv"
)

const gatedPipeline = `name: gated
steps:
  - id: gate
    uses: imagepipe.approval
    with: {message: "ship it?", approvers: [alice]}
`

// detachedRun starts file under id with --detach --json and returns the
// run's ID and whether it attached to a running one.
func detachedRun(t *testing.T, file, id string, extra ...string) (runID string, attached bool) {
	t.Helper()
	code, out, errOut := starter(t, append([]string{"run", "-f", file, "--id", id, "--detach", "--json"}, extra...)...)
	if code != exitOK {
		t.Fatalf("run %s: exit %d\n%s%s", file, code, out, errOut)
	}
	var res struct {
		RunID    string `json:"run_id"`
		Attached bool   `json:"attached"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.RunID == "" {
		t.Fatalf("run %s: output %q: %v", file, out, err)
	}
	return res.RunID, res.Attached
}

func testID(t *testing.T) string {
	return "pipeline-" + strings.ToLower(strings.NewReplacer("/", "-", "_", "-").Replace(t.Name()))
}

func TestRun_UnderARunningPipelinesIDIsRefusedNamingItAndWhatToDo(t *testing.T) {
	stack(t)
	gated := writeFile(t, gatedPipeline)
	id := testID(t)
	first, _ := detachedRun(t, gated, id)
	t.Cleanup(func() { starter(t, "cancel", id) })

	code, out, errOut := starter(t, "run", "-f", "../examples/oci-move.yaml", "--id", id)
	if code != exitConflict {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitConflict, out, errOut)
	}
	for _, want := range []string{id + " is already running pipeline \"gated\" from " + gated, "run " + first, "nothing started",
		"starter watch " + id, "starter run -f ../examples/oci-move.yaml --id <another ID>"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(out, "started") || strings.Contains(out, "Succeeded") {
		t.Errorf("the refused run printed progress as if it ran:\n%s", out)
	}

	// --attach joins only the same pipeline.
	code, out, errOut = starter(t, "run", "-f", "../examples/oci-move.yaml", "--id", id, "--attach")
	if code != exitConflict || !strings.Contains(errOut, "--attach: it is not the pipeline of ../examples/oci-move.yaml") {
		t.Errorf("--attach to another pipeline: exit %d\n%s%s", code, out, errOut)
	}
	if run, attached := detachedRun(t, gated, id, "--attach"); !attached || run != first {
		t.Errorf("--attach with the same file: run %s attached %v, want run %s attached", run, attached, first)
	}
	code, out, errOut = starter(t, "run", "-f", gated, "--id", id)
	if code != exitConflict || !strings.Contains(errOut, "it runs this same pipeline") || !strings.Contains(errOut, "--attach") {
		t.Errorf("same file without --attach: exit %d\n%s%s", code, out, errOut)
	}

	desc, err := testenv.Dial(t).DescribeWorkflowExecution(t.Context(), id, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := desc.GetWorkflowExecutionInfo().GetExecution().GetRunId(); got != first {
		t.Errorf("the running pipeline is run %s, want the first, %s", got, first)
	}
}

func TestRun_UnderAnEndedPipelinesIDStartsANewExecution(t *testing.T) {
	stack(t)
	gated := writeFile(t, gatedPipeline)
	id := testID(t)
	first, _ := detachedRun(t, gated, id)
	if code, out, errOut := starter(t, "cancel", id); code != exitOK {
		t.Fatalf("cancel: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := starter(t, "watch", id); code != exitFailed {
		t.Fatalf("watch of the cancelled run: exit %d\n%s%s", code, out, errOut)
	}

	second, attached := detachedRun(t, gated, id)
	t.Cleanup(func() { starter(t, "cancel", id) })
	if second == first || attached {
		t.Fatalf("second run %s (attached %v), want a new execution after %s", second, attached, first)
	}
	desc, err := testenv.Dial(t).DescribeWorkflowExecution(t.Context(), id, "")
	if err != nil {
		t.Fatal(err)
	}
	if info := desc.GetWorkflowExecutionInfo(); info.GetExecution().GetRunId() != second || info.GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		t.Errorf("latest run %s %s, want %s running", info.GetExecution().GetRunId(), info.GetStatus(), second)
	}
}
