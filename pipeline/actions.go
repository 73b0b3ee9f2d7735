package pipeline

import "reflect"

// ActionApproval waits for a person to approve or reject. It is the
// engine's own action, in every catalog; vendors' actions are named
// vendor.verb, one per documented vendor call.
const ActionApproval = "imagepipe.approval"

// InputType is the shape an action input takes in `with`.
type InputType string

// The input shapes a pipeline file can give.
const (
	TypeString     InputType = "string"
	TypeStringList InputType = "list of strings"
	TypeStringMap  InputType = "map of strings"
)

// Input describes one input of an action.
type Input struct {
	Name     string
	Type     InputType
	Required bool
	Doc      string
	// Rule is what the vendor accepts for a string input; nil when it
	// documents nothing to check before the call.
	Rule *Rule
}

// Action describes what a step's `uses` can name: its inputs, its outputs,
// and how rollback undoes it.
type Action struct {
	Name string
	// Vendor names the vendor the action calls, for concurrency caps and
	// metrics; "imagepipe" for steps that call no vendor.
	Vendor string
	// API is the vendor API's full name.
	API     string
	Doc     string
	Inputs  []Input
	Outputs []string
	// Inverse says what rollback does for a completed step of this action;
	// empty when the action has no natural inverse and rollback leaves it.
	Inverse string

	in, out reflect.Type // set by Declare
}

// Input returns the named input.
func (a Action) Input(name string) (Input, bool) {
	for _, in := range a.Inputs {
		if in.Name == name {
			return in, true
		}
	}
	return Input{}, false
}

// HasOutput reports whether the action produces the named output.
func (a Action) HasOutput(name string) bool {
	for _, o := range a.Outputs {
		if o == name {
			return true
		}
	}
	return false
}

// ApprovalInput is what an approval step takes.
type ApprovalInput struct {
	Message   string   `json:"message" doc:"what the approver is asked to check"`
	Approvers []string `json:"approvers" doc:"who may decide; anyone when empty"`
}

// ApprovalOutput is how an approval step was decided.
type ApprovalOutput struct {
	Decision  string `json:"decision"`
	DecidedBy string `json:"decided_by"`
	Comment   string `json:"comment"`
}

var approval = Declare[ApprovalInput, ApprovalOutput](Action{
	Name:   ActionApproval,
	Vendor: "imagepipe", API: "imagepipe",
	Doc: "Wait for a person to approve (the pipeline goes on) or reject (the step fails) through the workflow's approve and reject updates: starter approve|reject ID --step STEP --by NAME. The step's timeout (default 24h) bounds the wait; without a decision the step fails.",
}, map[string]*Rule{"approvers": approverName})
