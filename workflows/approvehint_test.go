package workflows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/workflows"
)

// The plain-text instructions (a notification's) name the step, who may
// decide, the deadline, commands that run as shown, and the link.
func TestApproveHint_SaysHowToDecideInCommandsThatRunAsShown(t *testing.T) {
	in := workflows.ApproveHintInput{
		WorkflowID: "pipeline-nightly-refresh-20261201T020000.000Z", Step: "release",
		Message: "Promote db19_nightly_20261201?", Approvers: []string{"release-manager"},
		Deadline: time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC),
		UIURL:    "http://localhost:8233" + workflows.WorkflowPath("default", "pipeline-nightly-refresh-20261201T020000.000Z"),
	}
	got := workflows.ApproveHint(in)
	for _, want := range []string{
		`Step "release" waits for approval: Promote db19_nightly_20261201?`,
		"Who may approve: release-manager",
		"Deadline: 2026-12-01 14:00:00 UTC",
		"Approve: starter approve pipeline-nightly-refresh-20261201T020000.000Z --step release --by release-manager\n",
		`Reject:  starter reject pipeline-nightly-refresh-20261201T020000.000Z --step release --by release-manager --comment "why"`,
		"Web UI: http://localhost:8233/namespaces/default/workflows/pipeline-nightly-refresh-20261201T020000.000Z",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the instructions lack %q:\n%s", want, got)
		}
	}
	// Several approvers, or none: the person puts their own name; a value
	// a shell would split is quoted.
	in.Approvers, in.Step = []string{"alice", "bob"}, "gate one"
	approve, _ := workflows.ApproveCommands(in)
	if want := "starter approve pipeline-nightly-refresh-20261201T020000.000Z --step 'gate one' --by YOUR_NAME"; approve != want {
		t.Errorf("approve = %q, want %q", approve, want)
	}
	in.Approvers = []string{"Jane O'Neil"}
	if approve, _ := workflows.ApproveCommands(in); !strings.HasSuffix(approve, `--by 'Jane O'\''Neil'`) {
		t.Errorf("approve = %q, want the name quoted for a shell", approve)
	}
	in.Approvers = nil
	if got := workflows.ApproveHint(in); !strings.Contains(got, "Who may approve: anyone") {
		t.Errorf("without approvers:\n%s", got)
	}
}
