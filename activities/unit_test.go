package activities_test

import (
	"encoding/json"
	"testing"

	"github.com/imagepipe/imagepipe/activities"
)

// A unit is named as steps and items always were, which activity IDs,
// child workflow IDs and running executions' idempotency keys are made
// of: "copy" for a step, "copy[1:a]" for its item 1 labelled a.
func TestUnit_NamesAStepAndAnItemAsBefore(t *testing.T) {
	for _, c := range []struct {
		unit activities.Unit
		name string
		step string
		item int
	}{
		{activities.NewUnit("copy", -1, ""), "copy", "copy", -1},
		{activities.NewUnit("copy", 0, "a"), "copy[0:a]", "copy", 0},
		{activities.NewUnit("copy", 1, "eu-west"), "copy[1:eu-west]", "copy", 1},
	} {
		if got := c.unit.UnitName(); got != c.name {
			t.Errorf("%+v names %q, want %q", c.unit, got, c.name)
		}
		if step, item := c.unit.StepItem(); step != c.step || item != c.item {
			t.Errorf("%+v is step %q item %d, want %q %d", c.unit, step, item, c.step, c.item)
		}
	}
}

// An input recorded before units existed carried the unit's name alone
// in "step": it decodes to a plain step of that name, so its messages
// name it as they did; one written now decodes to the same unit.
func TestUnit_InputsRecordedBeforeDecodeToTheSameName(t *testing.T) {
	var old activities.PollInput
	if err := json.Unmarshal([]byte(`{"step":"copy[1:a]","job_id":"j-1"}`), &old); err != nil {
		t.Fatal(err)
	}
	if old.UnitName() != "copy[1:a]" || old.Item != nil || old.JobID != "j-1" {
		t.Errorf("an old poll input decodes to %+v named %q, want copy[1:a] with no item", old, old.UnitName())
	}
	in := activities.PollInput{Unit: activities.NewUnit("copy", 1, "a"), JobID: "j-1"}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"step":"copy","item":1,"label":"a","job_id":"j-1"}` {
		t.Errorf("a poll input encodes as %s", b)
	}
	var back activities.PollInput
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.UnitName() != "copy[1:a]" {
		t.Errorf("decoded again it names %q", back.UnitName())
	}
}
