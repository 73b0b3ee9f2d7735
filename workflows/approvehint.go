package workflows

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// ApproveHintInput is what a person needs to know to decide a waiting
// approval step. The web UI's current details and the notification of a
// pipeline waiting for approval both say it, in the same words.
type ApproveHintInput struct {
	WorkflowID string
	Step       string
	Message    string
	// Approvers may decide; none means anyone may.
	Approvers []string
	// Deadline is when the step fails undecided.
	Deadline time.Time
	// UIURL is the pipeline's page in the web UI (see WorkflowPath); empty
	// leaves the link out.
	UIURL string
}

// WorkflowPath is a workflow's page in the Temporal web UI, relative to
// the UI's address (IMAGEPIPE_UI_URL in the starter and the worker).
func WorkflowPath(namespace, workflowID string) string {
	if namespace == "" {
		namespace = "default"
	}
	return "/namespaces/" + url.PathEscape(namespace) + "/workflows/" + url.PathEscape(workflowID)
}

// ApproveCommands are the starter commands that approve and reject the
// step. The --by value is an approver's name when only one may decide,
// and a placeholder the person replaces otherwise.
func ApproveCommands(in ApproveHintInput) (approve, reject string) {
	by := "YOUR_NAME"
	if len(in.Approvers) == 1 {
		by = in.Approvers[0]
	}
	tail := fmt.Sprintf(" %s --step %s --by %s", shellWord(in.WorkflowID), shellWord(in.Step), shellWord(by))
	return "starter approve" + tail, "starter reject" + tail + ` --comment "why"`
}

// approversText says who may decide.
func approversText(approvers []string) string {
	if len(approvers) == 0 {
		return "anyone"
	}
	return strings.Join(approvers, ", ")
}

// ApproveHint is the plain-text instructions for a waiting approval step:
// what it asks, who may decide, the deadline, the commands and the link.
func ApproveHint(in ApproveHintInput) string {
	approve, reject := ApproveCommands(in)
	var b strings.Builder
	fmt.Fprintf(&b, "Step %q waits for approval", in.Step)
	if in.Message != "" {
		fmt.Fprintf(&b, ": %s", in.Message)
	}
	fmt.Fprintf(&b, "\nWho may approve: %s\n", approversText(in.Approvers))
	if !in.Deadline.IsZero() {
		fmt.Fprintf(&b, "Deadline: %s (undecided by then, the step fails)\n", deadlineText(in.Deadline))
	}
	fmt.Fprintf(&b, "Approve: %s\nReject:  %s\n", approve, reject)
	if in.UIURL != "" {
		fmt.Fprintf(&b, "Web UI: %s\n", in.UIURL)
	}
	return b.String()
}

// approveHintMarkdown is ApproveHint for the web UI's current details.
func approveHintMarkdown(in ApproveHintInput) string {
	approve, reject := ApproveCommands(in)
	var b strings.Builder
	fmt.Fprintf(&b, "**Approval needed: `%s`**", in.Step)
	if in.Message != "" {
		fmt.Fprintf(&b, ": %s", oneLine(in.Message))
	}
	b.WriteString("\n\n")
	fmt.Fprintf(&b, "- who may approve: %s\n", approversText(in.Approvers))
	if !in.Deadline.IsZero() {
		fmt.Fprintf(&b, "- deadline: %s (undecided by then, the step fails)\n", deadlineText(in.Deadline))
	}
	fmt.Fprintf(&b, "- approve: `%s`\n", approve)
	fmt.Fprintf(&b, "- reject: `%s`\n", reject)
	if in.UIURL != "" {
		fmt.Fprintf(&b, "- web UI: [%s](%s)\n", in.WorkflowID, in.UIURL)
	}
	return b.String()
}

func deadlineText(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// shellWord quotes s for a POSIX shell when it holds anything but the
// characters IDs, step names and user names are usually made of.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/@+=,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
