package workflows

import (
	"time"

	"github.com/imagepipe/imagepipe/activities"
)

// Step and item states, in Progress.
const (
	StepPending    = "pending"
	StepRunning    = "running"
	StepWaiting    = "waiting" // an approval waiting for a decision
	StepSucceeded  = "succeeded"
	StepFailed     = "failed"
	StepSkipped    = "skipped"
	StepCanceled   = "canceled"
	StepRolledBack = "rolled_back"
)

// Progress is a pipeline's state as the ProgressQuery returns it, and its
// result when it ends.
type Progress struct {
	Pipeline string         `json:"pipeline"`
	Status   string         `json:"status"`
	Steps    []StepProgress `json:"steps"`
	Error    string         `json:"error,omitempty"`
	// Rollback lists what rollback did, in the order it did it.
	Rollback []string `json:"rollback,omitempty"`
}

// StepProgress is one step's state. A fan-out step also lists its items.
type StepProgress struct {
	ID       string `json:"id"`
	Uses     string `json:"uses"`
	State    string `json:"state"`
	Detail   string `json:"detail,omitempty"` // what it is doing now, e.g. "waiting for <kind> <job id>: <state>"
	Percent  int    `json:"percent,omitempty"`
	Attempts int    `json:"attempts,omitempty"` // attempts of the vendor call now running or last run
	// LastError is the last failed attempt's error while the call is retried,
	// or the step's error once it failed.
	LastError string `json:"last_error,omitempty"`
	// Outputs are what later steps can reference.
	Outputs  map[string]string `json:"outputs,omitempty"`
	Items    []ItemProgress    `json:"items,omitempty"`
	Decision *Decision         `json:"decision,omitempty"`
	// Approval is what an approval step waits for, while it waits.
	Approval *ApprovalWait `json:"approval,omitempty"`
	// Wait is the ID of the WaitForJob activity the step waits for its
	// job with, while it waits (see Step.waitJob).
	Wait      string    `json:"wait,omitempty"`
	StartedAt time.Time `json:"started_at,omitzero"`
	EndedAt   time.Time `json:"ended_at,omitzero"`
}

// ItemProgress is one fan-out item of a step.
type ItemProgress struct {
	Item      string            `json:"item"`
	State     string            `json:"state"`
	Detail    string            `json:"detail,omitempty"`
	Percent   int               `json:"percent,omitempty"`
	Attempts  int               `json:"attempts,omitempty"`
	LastError string            `json:"last_error,omitempty"`
	Outputs   map[string]string `json:"outputs,omitempty"`
	Wait      string            `json:"wait,omitempty"` // as StepProgress.Wait
	StartedAt time.Time         `json:"started_at,omitzero"`
	EndedAt   time.Time         `json:"ended_at,omitzero"`
}

// ApprovalWait is an approval step waiting for a decision: what it asks,
// who may decide, and until when.
type ApprovalWait struct {
	Message   string    `json:"message,omitempty"`
	Approvers []string  `json:"approvers,omitempty"`
	Deadline  time.Time `json:"deadline"`
}

// Decision is who approved or rejected an approval step, and why.
type Decision struct {
	Approved bool      `json:"approved"`
	By       string    `json:"by"`
	Comment  string    `json:"comment,omitempty"`
	At       time.Time `json:"at"`
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

// PercentText is a running step's (or job's) percent as the step table,
// the watch and the web UI's details show it (activities.PercentText);
// nothing once it is not running.
func PercentText(p int, state string) string {
	if state != StepRunning {
		return ""
	}
	return activities.PercentText(p)
}
