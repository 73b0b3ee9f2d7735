package activities

import "strconv"

// Unit is the pipeline step, or the item of a fan-out step, an activity
// runs for. Every vendor activity's input embeds one, so the activity's
// errors, the worker's log lines and the pipeline's attempt reports name
// the step and item from typed fields, never by parsing a name back.
//
// Its JSON keeps "step" from the inputs recorded before it existed, which
// carried the unit's name alone there ("copy", or "copy[1:a]" for an
// item). Such an input decodes to a Unit whose StepID is that whole name
// and whose Item is nil: its UnitName is the same name as before, and it
// reads as a plain step of that name.
type Unit struct {
	// StepID is the step's id.
	StepID string `json:"step"`
	// Item is the item's index in a fan-out step; nil for a plain step.
	Item *int `json:"item,omitempty"`
	// Label is the item's label (pipeline.ItemLabel).
	Label string `json:"label,omitempty"`
}

// NewUnit is step's unit, or the unit of its item of index item and
// label when item >= 0.
func NewUnit(step string, item int, label string) Unit {
	if item < 0 {
		return Unit{StepID: step}
	}
	return Unit{StepID: step, Item: &item, Label: label}
}

// UnitName is the unit as messages, activity IDs, child workflow IDs and
// idempotency keys name it: "copy" for a step, "copy[1:a]" for its item 1
// labelled a. Running executions derive their keys from it, so it must
// not change.
func (u Unit) UnitName() string {
	if u.Item == nil {
		return u.StepID
	}
	return u.StepID + "[" + strconv.Itoa(*u.Item) + ":" + u.Label + "]"
}

// StepItem is the step's id and the item's index, -1 for a plain step:
// what the worker's interceptors read off any activity input that embeds
// a Unit (they declare the one-method interface themselves).
func (u Unit) StepItem() (string, int) {
	if u.Item == nil {
		return u.StepID, -1
	}
	return u.StepID, *u.Item
}
