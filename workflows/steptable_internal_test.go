package workflows

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestHumanDuration_ReadsAsAPersonWritesIt(t *testing.T) {
	for d, want := range map[time.Duration]string{
		300 * time.Millisecond:           "<1s",
		45 * time.Second:                 "45s",
		72 * time.Second:                 "1m 12s",
		2*time.Hour + 5*time.Minute:      "2h 05m",
		76*time.Hour + 30*time.Minute:    "3d 4h",
		59*time.Minute + 59*time.Second:  "59m 59s",
		time.Hour + 999*time.Millisecond: "1h 00m",
	} {
		if got := HumanDuration(d); got != want {
			t.Errorf("HumanDuration(%s) = %q, want %q", d, got, want)
		}
	}
}

func TestShortID_KeepsWhatTellsIDsApart(t *testing.T) {
	for in, want := range map[string]string{
		"ocid1.compartment.oc1..aaaaaaaab3c1380395dc42afeaa54c92df53540394f1badf9b08147a0e2a": "ocid1.compartment.oc1..…7a0e2a",
		"ocid1.image.oc1.iad.aaaaaaaanosuchimage":                                             "ocid1.image.oc1.iad.…himage",
		"crn.volume.eu-2..k7q2mz8xw4n5p3r9t6y1u0i2o4a":                                        "crn.volume.eu-2..…0i2o4a",
		"images.example.com/gold/ubuntu-22.04-minimal":                                        "images.example.…inimal",
		"fd296122-5b8f-4c39-9a53-2f0e6f1c7a11":                                                "fd296122…",
		"edc89b490d7d4392898e19b2deb34797":                                                    "edc89b49…",
		"db19_gold":                                                                           "db19_gold",
		"gold-ubuntu-web-for-the-data-science-team-2026":                                      "gold-ubuntu-web…m-2026",
	} {
		if got := ShortID(in); got != want {
			t.Errorf("ShortID(%q) = %q, want %q", in, got, want)
		}
	}
}

// A value holding "|" or a line end stays in its cell instead of breaking
// the table.
func TestMarkdown_ValuesStayInTheirCells(t *testing.T) {
	p := Progress{Pipeline: "p", Status: StatusRunning, Steps: []StepProgress{{
		ID: "a", Uses: "oci.move_image", State: StepRunning, Detail: "moving a|b\nnext", Attempts: 2, LastError: "429 | slow down",
	}}}
	md := p.markdown("w", "default")
	var rows []string
	for _, l := range strings.Split(md, "\n") {
		if strings.HasPrefix(l, "| `a`") {
			rows = append(rows, l)
		}
	}
	if len(rows) != 1 || !strings.Contains(rows[0], `moving a\|b next`) || !strings.Contains(rows[0], `2 (last: 429 \| slow down)`) {
		t.Errorf("the step's row is %q in:\n%s", rows, md)
	}
}

// A fan-out of many items keeps the current details under the server's
// size for them: the items are counted by state instead of listed.
func TestMarkdown_ManyItemsAreCountedToStayUnderTheDetailsLimit(t *testing.T) {
	st := StepProgress{ID: "copy", Uses: "huawei.copy_image", State: StepRunning}
	for i := range 100 {
		state := StepSucceeded
		if i%4 == 0 {
			state = StepRunning
		}
		st.Items = append(st.Items, ItemProgress{
			// Labels may be up to 255 bytes (pipeline.MaxItemLabelBytes).
			Item: fmt.Sprintf("gold-ubuntu-%03d-%s", i, strings.Repeat("for-the-data-science-team-", 6)), State: state,
			Detail:  "waiting for huawei.job edc89b490d7d4392898e19b2deb34797: RUNNING 40%",
			Outputs: map[string]string{"image_id": "fd296122-5b8f-4c39-9a53-2f0e6f1c7a11", "job_id": "edc89b490d7d4392898e19b2deb34797"},
		})
	}
	p := Progress{Pipeline: "fan", Status: StatusRunning, Steps: []StepProgress{st}}
	md := p.markdown("pipeline-fan-1", "default")
	if len(md) > maxDetailsBytes {
		t.Fatalf("the details are %d bytes, over the server's %d", len(md), maxDetailsBytes)
	}
	if !strings.Contains(md, "| ↳ 100 items |  | 75 succeeded, 25 running |") {
		t.Errorf("the items are not counted by state:\n%s", md)
	}
	few := Progress{Pipeline: "fan", Status: StatusRunning, Steps: []StepProgress{{ID: "copy", Uses: "huawei.copy_image", State: StepRunning, Items: st.Items[:3]}}}
	if md := few.markdown("pipeline-fan-1", "default"); !strings.Contains(md, "↳ gold-ubuntu-001-for-the-data-science-team-") {
		t.Errorf("a few items are not listed one by one:\n%s", md)
	}
}
