package workflows

import (
	"fmt"
	"strings"
	"time"
)

// Step states, in Progress.
const (
	StepPending   = "pending"
	StepRunning   = "running"
	StepSucceeded = "succeeded"
	StepFailed    = "failed"
	StepSkipped   = "skipped"
)

// Progress is a pipeline's state as the ProgressQuery returns it, and its
// result when it ends.
type Progress struct {
	Pipeline string         `json:"pipeline"`
	Status   string         `json:"status"`
	Steps    []StepProgress `json:"steps"`
	Error    string         `json:"error,omitempty"`
}

// StepProgress is one step's state.
type StepProgress struct {
	ID      string `json:"id"`
	Uses    string `json:"uses"`
	State   string `json:"state"`
	Detail  string `json:"detail,omitempty"` // what it is doing now, e.g. "waiting for job 12: EXECUTING"
	Percent int    `json:"percent,omitempty"`
	Error   string `json:"error,omitempty"`
	// Outputs are what later steps can reference.
	Outputs   map[string]string `json:"outputs,omitempty"`
	StartedAt time.Time         `json:"started_at,omitzero"`
	EndedAt   time.Time         `json:"ended_at,omitzero"`
}

// Step returns the progress of the step with the given id.
func (p Progress) Step(id string) (StepProgress, bool) {
	for _, s := range p.Steps {
		if s.ID == id {
			return s, true
		}
	}
	return StepProgress{}, false
}

// markdown renders the progress for the web UI's current details.
func (p Progress) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**: %s\n\n", p.Pipeline, p.Status)
	for _, s := range p.Steps {
		fmt.Fprintf(&b, "- `%s` (%s): %s", s.ID, s.Uses, s.State)
		if s.Detail != "" {
			fmt.Fprintf(&b, " — %s", s.Detail)
		}
		if s.Error != "" {
			fmt.Fprintf(&b, " — %s", s.Error)
		}
		b.WriteString("\n")
	}
	return b.String()
}
