package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/workflows"
)

// gatedRollback is a pipeline whose only step waits for an approval, with
// a step timeout and rollback on failure, as examples/nightly-refresh.yaml.
const gatedRollback = `name: gated-rollback
on_failure: rollback
steps:
  - id: release
    uses: imagepipe.approval
    timeout: 12h
    with: {message: "promote?", approvers: [release-manager]}
`

// waitGate waits until step of pipeline id waits for its decision.
func waitGate(t *testing.T, id, step string) {
	t.Helper()
	waitFor(t, "step "+step+" to wait", func() bool {
		_, out, _ := starter(t, "status", id, "--json")
		var rep statusReport
		if json.Unmarshal([]byte(out), &rep) != nil {
			return false // not started yet
		}
		s, ok := rep.Progress.Step(step)
		return ok && s.State == workflows.StepWaiting
	})
}

// Cancelling a pipeline while its approval waits says it was cancelled,
// not that the approval timed out, and shows no raw SDK error.
func TestCancel_WhileAnApprovalWaitsSaysCancelledNotTimedOut(t *testing.T) {
	stack(t)
	id := testID(t)
	file := writeFile(t, gatedRollback)
	type result struct {
		code        int
		out, errOut string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errOut := starter(t, "run", "-f", file, "--id", id)
		done <- result{code, out, errOut}
	}()
	waitGate(t, id, "release")
	code, out, errOut := starter(t, "cancel", id)
	if code != exitOK || !strings.Contains(out, "cancel requested for "+id) {
		t.Fatalf("cancel: exit %d\n%s%s", code, out, errOut)
	}
	r := <-done
	t.Logf("run: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.out, r.errOut)
	if r.code != exitFailed || !strings.Contains(r.errOut, "pipeline gated-rollback was cancelled") {
		t.Errorf("run: exit %d, want %d saying it was cancelled\nstderr:\n%s", r.code, exitFailed, r.errOut)
	}
	for _, bad := range []string{"ApprovalTimeout", "no decision within", "canceled error", "CanceledError", "workflow execution error"} {
		if strings.Contains(r.out+r.errOut, bad) {
			t.Errorf("run's output says %q:\nstdout:\n%s\nstderr:\n%s", bad, r.out, r.errOut)
		}
	}
	code, out, errOut = starter(t, "status", id)
	if code != exitFailed || !strings.Contains(errOut, "was cancelled") || strings.Contains(out+errOut, "no decision within") {
		t.Errorf("status: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// A second cancel changes nothing and says so, exiting 1: while the first
// is carried out or once the pipeline has ended.
func TestCancel_TwiceSaysItIsAlreadyCancellingOrEndedAndExitsOne(t *testing.T) {
	stack(t)
	id := testID(t)
	detachedRun(t, writeFile(t, gatedRollback), id)
	waitGate(t, id, "release")
	if code, out, errOut := starter(t, "cancel", id); code != exitOK {
		t.Fatalf("first cancel: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := starter(t, "cancel", id)
	if code != exitFailed || !strings.Contains(errOut, "cancel "+id+": nothing done: it ") ||
		!(strings.Contains(errOut, "already cancelling") || strings.Contains(errOut, "already ended (canceled")) {
		t.Fatalf("second cancel: exit %d, want %d saying it is already cancelling or ended\nstdout:\n%s\nstderr:\n%s", code, exitFailed, out, errOut)
	}
	waitClosed(t, testenv.Dial(t), id)
	code, _, errOut = starter(t, "cancel", id)
	if code != exitFailed || !strings.Contains(errOut, "already ended (canceled at ") {
		t.Fatalf("cancel once ended: exit %d\n%s", code, errOut)
	}
}

// An ID with no workflow behind it is said so, with exit 4, by every
// command that takes one.
func TestUnknownID_EveryCommandSaysNoPipelineAndExitsFour(t *testing.T) {
	stack(t)
	for _, args := range [][]string{
		{"watch", "nope"},
		{"status", "nope"},
		{"status", "nope", "--json"},
		{"cancel", "nope"},
		{"approve", "nope", "--step", "gate", "--by", "alice"},
	} {
		code, out, errOut := starter(t, args...)
		if code != exitNotFound || !strings.Contains(errOut, "no pipeline nope in namespace default") {
			t.Errorf("%v: exit %d, want %d saying there is no pipeline nope\nstdout:\n%s\nstderr:\n%s", args, code, exitNotFound, out, errOut)
		}
		if strings.Contains(out+errOut, "workflow not found") || strings.Contains(out, "pipeline  failed") {
			t.Errorf("%v: shows the raw answer:\n%s%s", args, out, errOut)
		}
	}
}
