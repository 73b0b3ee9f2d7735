package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/imagepipe/imagepipe/workflows"
)

// renderer shows progress: in place on a terminal, a line per change when
// piped, JSON lines for scripts. A call being retried shows on its step's
// (or item's) line, its attempts and last error as the pipeline's progress
// has them from the worker's attempt reports: the one way retries reach
// the starter.
type renderer interface {
	update(p workflows.Progress)
	final(p workflows.Progress)
}

func newRenderer(w io.Writer, asJSON bool) renderer {
	if asJSON {
		return &jsonRenderer{enc: json.NewEncoder(w)}
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return &ttyRenderer{w: w, size: func() (int, int, error) { return term.GetSize(int(f.Fd())) }}
	}
	return &lineRenderer{w: w, seen: map[string]string{}}
}

var stateMark = map[string]string{
	workflows.StepPending:    "·",
	workflows.StepRunning:    "»",
	workflows.StepWaiting:    "?",
	workflows.StepSucceeded:  "✓",
	workflows.StepFailed:     "✗",
	workflows.StepSkipped:    "-",
	workflows.StepCanceled:   "⊘",
	workflows.StepRolledBack: "↶",
}

func stepLine(s workflows.StepProgress) string {
	return unitLine(fmt.Sprintf("%-14s %-24s", s.ID, s.Uses), s.State, s.Percent, s.Detail, withoutStepPrefix(s.ID, s.LastError), s.Outputs, took(s.StartedAt, s.EndedAt))
}

func itemLine(it workflows.ItemProgress) string {
	return "  " + unitLine(fmt.Sprintf("%-37s", "["+it.Item+"]"), it.State, it.Percent, it.Detail, it.LastError, it.Outputs, took(it.StartedAt, it.EndedAt))
}

// took is how long a step (or item) that has ended ran, in workflow time:
// "in 1m 12s". A running step shows none, so that a piped watch prints a
// line when a step changes, not every second.
func took(started, ended time.Time) string {
	if started.IsZero() || ended.IsZero() {
		return ""
	}
	return "in " + workflows.HumanDuration(ended.Sub(started))
}

func unitLine(name, state string, percent int, detail, lastErr string, outs map[string]string, took string) string {
	line := fmt.Sprintf("%s %s %s", stateMark[state], name, state)
	line += workflows.PercentText(percent, state)
	if took != "" {
		line += " " + took
	}
	switch {
	case lastErr != "" && state != workflows.StepSucceeded:
		line += ": " + lastErr
	case detail != "" && (doing(state) || detail == workflows.ReusedDetail):
		line += ": " + detail
	case state == workflows.StepSucceeded && len(outs) > 0:
		line += " " + outputs(outs)
	}
	return line
}

// doing reports whether a step in state is doing something its detail
// describes; a finished step's detail (an item's last job report) is stale.
func doing(state string) bool {
	return state == workflows.StepRunning || state == workflows.StepWaiting
}

// lines renders every step, and the items of fan-out steps.
func lines(p workflows.Progress) []string {
	var out []string
	for _, s := range p.Steps {
		out = append(out, stepLine(s))
		for _, it := range s.Items {
			out = append(out, itemLine(it))
		}
	}
	for _, r := range p.Rollback {
		out = append(out, "↶ rollback: "+r)
	}
	return out
}

func outputs(m map[string]string) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return "(" + strings.Join(parts, " ") + ")"
}

// ttyRenderer redraws the step table in place. Each line is cut to the
// terminal's width and the table to its height, both read at every redraw
// (and a resize redraws at once, see notifyResize), so that the cursor
// climbs back exactly over what it drew: a wrapped line, or a table taller
// than the screen, would leave the old table behind and the header
// repeated. A window made narrower rewraps the lines already drawn, so the
// climb counts the rows the last table takes at the new width, not the
// lines it had. tmux rewraps so (the tmux test resizes its window).
// Unverified: that VTE, iTerm2, kitty and Windows Terminal rewrap the same
// way (none is here to try). A terminal that cuts lines instead (xterm)
// loses a few lines above the table to the climb.
type ttyRenderer struct {
	w io.Writer
	// size is the terminal's columns and rows.
	size func() (cols, rows int, err error)
	// drawn is the width in cells of each line of the last table.
	drawn []int
}

// rowsAt is how many rows the last table takes on a terminal cols wide.
func (t *ttyRenderer) rowsAt(cols int) int {
	rows := 0
	for _, w := range t.drawn {
		if cols <= 0 || w <= cols {
			rows++
			continue
		}
		rows += (w + cols - 1) / cols
	}
	return rows
}

func (t *ttyRenderer) draw(p workflows.Progress) {
	out := []string{fmt.Sprintf("pipeline %s: %s", p.Pipeline, p.Status)}
	for _, l := range lines(p) {
		out = append(out, "  "+l)
	}
	cols, rows := 0, 0
	if t.size != nil {
		if c, r, err := t.size(); err == nil {
			cols, rows = c, r
		}
	}
	if rows > 1 && len(out) > rows-1 {
		// The last row stays free for the cursor; the cursor cannot
		// climb above the screen's top.
		hidden := len(out) - (rows - 2)
		out = append(out[:rows-2], fmt.Sprintf("  … %d more lines (starter status shows all)", hidden))
	}
	for i := range out {
		out[i] = cut(out[i], cols)
	}
	var b strings.Builder
	if climb := t.rowsAt(cols); climb > 0 {
		fmt.Fprintf(&b, "\x1b[%dA\x1b[J", climb)
	}
	b.WriteString(strings.Join(out, "\n"))
	b.WriteString("\n")
	// One write, so that the terminal never shows half a table.
	_, _ = io.WriteString(t.w, b.String())
	t.drawn = t.drawn[:0]
	for _, l := range out {
		t.drawn = append(t.drawn, cells(l))
	}
}

func (t *ttyRenderer) update(p workflows.Progress) { t.draw(p) }
func (t *ttyRenderer) final(p workflows.Progress)  { t.draw(p) }

// lineRenderer prints a line whenever a step's state or detail changes.
type lineRenderer struct {
	w    io.Writer
	seen map[string]string
}

func (l *lineRenderer) update(p workflows.Progress) {
	now := time.Now().Format("15:04:05")
	for i, line := range lines(p) {
		key := strings.Fields(line)[1] + "#" + fmt.Sprint(i)
		if l.seen[key] != line {
			l.seen[key] = line
			fmt.Fprintf(l.w, "%s %s\n", now, line)
		}
	}
}

func (l *lineRenderer) final(p workflows.Progress) {
	l.update(p)
	fmt.Fprintf(l.w, "pipeline %s: %s\n", p.Pipeline, p.Status)
}

// jsonRenderer writes one JSON object per progress change, then the result.
type jsonRenderer struct {
	enc  *json.Encoder
	last string
}

func (j *jsonRenderer) update(p workflows.Progress) {
	b, _ := json.Marshal(p)
	if string(b) == j.last {
		return
	}
	j.last = string(b)
	_ = j.enc.Encode(map[string]any{"type": "progress", "progress": p})
}

func (j *jsonRenderer) final(p workflows.Progress) {
	_ = j.enc.Encode(map[string]any{"type": "result", "status": p.Status, "progress": p})
}
