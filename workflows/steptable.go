package workflows

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/imagepipe/imagepipe/pipeline"
)

// The web UI renders a workflow's current details as Markdown (GitHub's
// dialect, tables included: UI 2.42's renderer is marked with gfm on), so
// a pipeline's page shows its steps as a table a person reads at a glance:
// what each step does, how it stands, how long it took, what it made and
// how many attempts its call needed. What a step is doing is shown only
// while it does it, so a finished step never carries a stale "job INIT,
// poll 1". Durations are workflow time (workflow.Now at each change), so
// the table is the same on every replay.

// stateMark is a state's sign in the table, the same signs the starter uses.
var stateMark = map[string]string{
	StepPending:    "·",
	StepRunning:    "»",
	StepWaiting:    "?",
	StepSucceeded:  "✓",
	StepFailed:     "✗",
	StepSkipped:    "-",
	StepCanceled:   "⊘",
	StepRolledBack: "↶",
}

// markdown renders the progress for the web UI's current details: a
// heading, the step table, the instructions of any approval waiting for a
// decision, the errors in full and what rollback did.
func (p Progress) markdown(workflowID, namespace string) string {
	md := p.render(workflowID, namespace, true)
	if len(md) > maxDetailsBytes {
		md = p.render(workflowID, namespace, false)
	}
	return md
}

// maxDetailsBytes is the default of the server's
// limit.userMetadataDetailsSize (server 1.29.1 declares it without
// enforcing it yet). A pipeline's table stays under it unless a fan-out
// step has many items; then the items are counted by state instead of
// listed (starter status lists them all).
const maxDetailsBytes = 20000

// render is markdown, with a row per fan-out item or, without items, a row
// counting them by state.
func (p Progress) render(workflowID, namespace string, items bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**: %s\n\n", p.Pipeline, p.Status)
	b.WriteString("| step | action | state | duration | outputs | attempts |\n")
	b.WriteString("|---|---|---|---|---|---|\n")
	for _, s := range p.Steps {
		state := stateCell(s.State, s.Percent, s.Detail, s.Wait)
		if s.State == StepWaiting && s.Approval != nil {
			state = stateMark[StepWaiting] + " waiting for approval" // how to give it follows the table
		}
		writeRow(&b, "`"+s.ID+"`", s.Uses, state,
			durationCell(s.StartedAt, s.EndedAt, s.Detail), stepOutputsCell(s), attemptsCell(s.Uses, s.Attempts, s.State, s.LastError))
		if !items && len(s.Items) > 0 {
			writeRow(&b, fmt.Sprintf("↳ %d items", len(s.Items)), "", itemCounts(s.Items), "", "", "")
			continue
		}
		for _, it := range s.Items {
			writeRow(&b, "↳ "+it.Item, "", stateCell(it.State, it.Percent, it.Detail, it.Wait),
				durationCell(it.StartedAt, it.EndedAt, ""), outputsCell(it.Outputs), attemptsCell(s.Uses, it.Attempts, it.State, it.LastError))
		}
	}
	for _, s := range p.Steps {
		if s.State == StepWaiting && s.Approval != nil {
			b.WriteString("\n")
			b.WriteString(approveHintMarkdown(ApproveHintInput{
				WorkflowID: workflowID, Step: s.ID, Message: s.Approval.Message,
				Approvers: s.Approval.Approvers, Deadline: s.Approval.Deadline,
				UIURL: WorkflowPath(namespace, workflowID),
			}))
		}
	}
	var errs []string
	for _, s := range p.Steps {
		if s.State == StepFailed && s.LastError != "" {
			errs = append(errs, fmt.Sprintf("- `%s` failed: %s", s.ID, oneLine(s.LastError)))
		}
		for _, it := range s.Items {
			if it.State == StepFailed && it.LastError != "" {
				errs = append(errs, fmt.Sprintf("- `%s` %s failed: %s", s.ID, it.Item, oneLine(it.LastError)))
			}
		}
	}
	if len(errs) > 0 {
		b.WriteString("\n**Errors**\n\n")
		b.WriteString(strings.Join(errs, "\n"))
		b.WriteString("\n")
	}
	if len(p.Rollback) > 0 {
		b.WriteString("\n**Rollback**\n\n")
		for _, r := range p.Rollback {
			fmt.Fprintf(&b, "- %s\n", oneLine(r))
		}
	}
	return b.String()
}

// itemCounts counts a fan-out step's items by state: "3 succeeded, 1 running".
func itemCounts(items []ItemProgress) string {
	n := map[string]int{}
	for _, it := range items {
		n[it.State]++
	}
	var parts []string
	for _, st := range []string{StepSucceeded, StepRunning, StepWaiting, StepPending, StepFailed, StepCanceled, StepSkipped, StepRolledBack} {
		if n[st] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[st], st))
		}
	}
	return strings.Join(parts, ", ")
}

func writeRow(b *strings.Builder, cells ...string) {
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" ")
		b.WriteString(cellText(c))
		b.WriteString(" |")
	}
	b.WriteString("\n")
}

// cellText keeps a value inside its table cell: a "|" would start a new
// cell and a line end would end the table.
func cellText(s string) string {
	return strings.ReplaceAll(oneLine(s), "|", `\|`)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// stateCell is the state, its percentage while it runs, and what the step
// is doing now: only while it runs or waits, so a finished step says
// nothing stale. A step waiting with a WaitForJob activity (wait, its ID)
// does not hear its job's percent, which would cost a history event per
// look: the cell says where the web UI shows it, on that pending activity
// (its last failure's message and its heartbeat details).
func stateCell(state string, percent int, detail, wait string) string {
	text := strings.TrimSpace(stateMark[state] + " " + state + PercentText(percent, state))
	if (state == StepRunning || state == StepWaiting) && detail != "" {
		text += ": " + detail
		if wait != "" {
			text += " (state and percent: Pending Activities, " + wait + ")"
		}
	}
	return text
}

// durationCell is how long a step (or item) ran or, while it runs, since
// when: the details change only when the progress does, so a running
// time would be stale between changes, a start time never is.
func durationCell(started, ended time.Time, detail string) string {
	switch {
	case detail == ReusedDetail:
		return "reused"
	case started.IsZero():
		return ""
	case ended.IsZero():
		return "since " + started.UTC().Format("15:04:05") + " UTC"
	}
	return HumanDuration(ended.Sub(started))
}

// stepOutputsCell is a step's outputs; a fan-out step's are on its items'
// rows, where they are not joined into one long list.
func stepOutputsCell(s StepProgress) string {
	if len(s.Items) > 0 {
		return ""
	}
	return outputsCell(s.Outputs)
}

// outputsCell lists outputs as key=value in key order, ids shortened: the
// full values are in the progress query and `starter status`.
func outputsCell(outs map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(outs)) {
		if outs[k] == "" {
			continue
		}
		parts = append(parts, k+"="+ShortID(outs[k]))
	}
	return strings.Join(parts, ", ")
}

// attemptsCell is the attempts of the step's vendor call, and while it is
// retried, the last attempt's error. Only failed attempts are reported to
// the pipeline, so a call that has run and none failed made one.
func attemptsCell(uses string, attempts int, state, lastErr string) string {
	if attempts == 0 {
		switch state {
		case StepPending, StepSkipped, StepCanceled:
			return ""
		}
		if uses == pipeline.ActionApproval {
			return ""
		}
		attempts = 1
	}
	text := fmt.Sprint(attempts)
	if lastErr != "" && (state == StepRunning || state == StepWaiting) {
		text += " (last: " + clip(oneLine(lastErr), 80) + ")"
	}
	return text
}

// clip cuts s to at most n runes, ending a cut one with "…".
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// ShortID shortens an identifier for a table cell while keeping what tells
// ids apart at a glance: a dotted id whose last part is a long unique
// string (a cloud resource id such as type.realm.region.unique) keeps
// everything up to that part and its end (compartment.oc1..…x7k2qa), a
// UUID or a long hex id its first eight characters, any other long value
// its start and end. Values that are short already are kept whole. The
// rule reads only the value's shape, so it needs no vendor's id format.
func ShortID(v string) string {
	const keep = 6
	if len(v) <= 20 {
		return v
	}
	if i := strings.LastIndex(v, "."); i >= 0 && isUniquePart(v[i+1:]) {
		return v[:i+1] + "…" + v[len(v)-keep:]
	}
	switch {
	case isHexID(v):
		return v[:8] + "…"
	case len(v) > 32:
		return clip(v, 16) + v[len(v)-keep:]
	}
	return v
}

// isUniquePart reports whether s, the last dotted part of an id, is long
// letters and digits only (more than twice what ShortID keeps of it): a
// generated unique string rather than a word of a name or a host
// ("example.com", "v2").
func isUniquePart(s string) bool {
	if len(s) <= 12 {
		return false
	}
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

// isHexID reports whether v is made of hex digits and dashes only: a UUID
// or a job id such as IMS's.
func isHexID(v string) bool {
	return strings.Trim(strings.ToLower(v), "0123456789abcdef-") == ""
}

// HumanDuration writes d the way a person reads it: "<1s", "45s",
// "1m 12s", "2h 05m", "3d 4h".
func HumanDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return "<1s"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm %02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh %02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return fmt.Sprintf("%dd %dh", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
}

// stamp records when each step and item started and ended, from the state
// changes published at now. Every state change is published at once, so the
// times are those of the changes; they are workflow time, the same on every
// replay.
func (p *Progress) stamp(now time.Time) {
	for i := range p.Steps {
		s := &p.Steps[i]
		for j := range s.Items {
			it := &s.Items[j]
			switch {
			case it.State == StepRunning || it.State == StepWaiting:
				if it.StartedAt.IsZero() {
					it.StartedAt = now
				}
			case ended(it.State) && !it.StartedAt.IsZero() && it.EndedAt.IsZero():
				it.EndedAt = now
			}
		}
	}
}

// ended reports whether state is one a step or item ends in.
func ended(state string) bool {
	switch state {
	case StepSucceeded, StepFailed, StepCanceled, StepRolledBack:
		return true
	}
	return false
}
