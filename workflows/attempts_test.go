package workflows_test

import (
	"slices"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/workflows"
)

// A failed attempt's report lands on the step and item it names: by its
// step and item fields, as workers report now, or, from a worker that
// reported before those fields existed, by the unit its activity ID
// names. The other item shows nothing.
func TestAttemptSignal_LandsOnTheItemItNames(t *testing.T) {
	for _, c := range []struct {
		name   string
		report map[string]any
	}{
		{"typed", map[string]any{"step": "copies", "item": 1, "activity_id": "elsewhere#9", "attempt": 4, "error": "copy answered 503"}},
		{"typed without an activity id", map[string]any{"step": "copies", "item": 1, "attempt": 4, "error": "copy answered 503"}},
		{"from an older worker", map[string]any{"activity_id": "copies[1:b]#3", "attempt": 4, "error": "copy answered 503"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, options{jobDuration: time.Hour})
			var during workflows.Progress
			f.at(10*time.Minute, func() { f.env.SignalWorkflow(workflows.AttemptSignal, c.report) })
			f.at(20*time.Minute, func() {
				v, err := f.env.QueryWorkflow(workflows.ProgressQuery)
				if err != nil {
					t.Fatal(err)
				}
				if err := v.Get(&during); err != nil {
					t.Fatal(err)
				}
			})
			if _, err := f.run(t, parse(t, `name: attempts
steps:
  - id: copies
    uses: huawei.copy_image
    for_each: [a, b]
    with: {image_id: `+sourceImage+`, name: "copy-${{ item }}"}
`)); err != nil {
				t.Fatal(err)
			}
			sp, ok := during.Step("copies")
			if !ok || len(sp.Items) != 2 {
				t.Fatalf("progress while copying: %+v", during)
			}
			if it := sp.Items[1]; it.Attempts != 4 || it.LastError != "copy answered 503" {
				t.Errorf("item b shows attempts %d, error %q; want 4, copy answered 503", it.Attempts, it.LastError)
			}
			if it := sp.Items[0]; it.Attempts != 0 || it.LastError != "" || sp.Attempts != 0 {
				t.Errorf("the report landed elsewhere: item a %+v, step attempts %d", it, sp.Attempts)
			}
		})
	}
}

// An activity ID a step made names that step and item, labels with ':'
// or '#' in them included; an ID no step made names none.
func TestActivityUnit_ReadsTheUnitAStepsActivityIDNames(t *testing.T) {
	for _, c := range []struct {
		id   string
		want string
		step string
		item int
	}{
		{"copy#3", "copy", "copy", -1},
		{"copy[1:eu-west]#12", "copy[1:eu-west]", "copy", 1},
		{"copy[0:a:b#c]#4", "copy[0:a:b#c]", "copy", 0},
	} {
		u, ok := workflows.ActivityUnit(c.id)
		step, item := u.StepItem()
		if !ok || u.UnitName() != c.want || step != c.step || item != c.item {
			t.Errorf("%s names %q (step %q item %d, ok %v), want %q (step %q item %d)", c.id, u.UnitName(), step, item, ok, c.want, c.step, c.item)
		}
	}
	for _, id := range []string{"", "5", "#3", "copy[x:a]#3", "copy[1:a#3"} {
		if u, ok := workflows.ActivityUnit(id); ok {
			t.Errorf("%q names %+v, want no unit", id, u)
		}
	}
}

// A fan-out item's idempotency key is made of the item's unit name,
// "comps[1:b]", as before step identity was typed: a running execution's
// retried calls send the keys its first attempts sent.
func TestStepKey_AnItemsKeyIsMadeOfItsUnitName(t *testing.T) {
	f := newFixture(t, options{})
	if _, err := f.run(t, parse(t, `name: keys
steps:
  - id: comps
    uses: oci.create_compartment
    for_each: [a, b]
    with: {parent_compartment_id: `+tenancyID+`, name: "c-${{ item }}", description: d}
`)); err != nil {
		t.Fatal(err)
	}
	const wid, run = "default-test-workflow-id", "default-test-run-id" // the SDK test environment's
	keys := f.oci.Sim.Keys(ocisim.OpCreateCompartment)
	for _, want := range []string{
		workflows.IdempotencyKey(wid, run, "comps[0:a]", tenancyID+"/c-a"),
		workflows.IdempotencyKey(wid, run, "comps[1:b]", tenancyID+"/c-b"),
	} {
		if !slices.Contains(keys, want) {
			t.Errorf("the creates sent keys %v, not %s", keys, want)
		}
	}
}
