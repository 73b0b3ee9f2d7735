package main

import (
	"os"
	"strings"
	"testing"

	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/imagepipe/imagepipe/workflows"
)

// recorded loads a history recorded from a real run (workflows/testdata).
func recorded(t *testing.T, name string) (h *historypb.History, id, runID string) {
	t.Helper()
	base := "../workflows/testdata/histories/" + name
	f, err := os.Open(base + ".json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err = client.HistoryFromJSON(f, client.HistoryJSONOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(base + ".id")
	if err != nil {
		t.Fatal(err)
	}
	return h, strings.TrimSpace(string(b)), h.GetEvents()[0].GetWorkflowExecutionStartedEventAttributes().GetOriginalExecutionRunId()
}

// Replayed here, a finished pipeline's history gives the progress the
// pipeline itself returned: what a worker's replay would answer.
func TestReplayProgress_GivesTheProgressTheRunEndedWith(t *testing.T) {
	for _, name := range []string{"gold-rollout--pipeline", "rejected-rollback--pipeline"} {
		t.Run(name, func(t *testing.T) {
			h, id, runID := recorded(t, name)
			got, err := replayProgress(h, id, runID)
			if err != nil {
				t.Fatal(err)
			}
			last := h.GetEvents()[len(h.GetEvents())-1]
			if done := last.GetWorkflowExecutionCompletedEventAttributes(); done != nil {
				var res workflows.PipelineResult
				if err := converter.GetDefaultDataConverter().FromPayloads(done.GetResult(), &res); err != nil {
					t.Fatal(err)
				}
				if got.Status != res.Progress.Status || len(got.Steps) != len(res.Progress.Steps) {
					t.Fatalf("replayed %+v\nwant %+v", got, res.Progress)
				}
				for i, s := range got.Steps {
					if s.State != res.Progress.Steps[i].State {
						t.Errorf("step %s replayed %s, ended %s", s.ID, s.State, res.Progress.Steps[i].State)
					}
				}
				return
			}
			if got.Status != workflows.StatusFailed || len(got.Rollback) == 0 {
				t.Errorf("replayed a rejected rollout as %s with rollback %v", got.Status, got.Rollback)
			}
		})
	}
}

// Cut short where a run was in the middle of creating a compartment, the
// history alone still names every step that called a vendor and how each
// call ended.
func TestStaysFromHistory_NamesEachStepsCallsAndHowTheyEnded(t *testing.T) {
	h, id, _ := recorded(t, "gold-rollout--pipeline")
	in, err := startedInput(h)
	if err != nil {
		t.Fatal(err)
	}
	h.Events = h.Events[:16] // up to compartment#3 OCICreateCompartment, scheduled, unanswered
	got := staysFromHistory(h, id, in.Spec)
	want := []string{
		"import (fpp.import_image): may have applied: from the history alone: FPPImportImage completed, wait for the fpp.job job with no answer recorded",
		"compartment (oci.create_compartment): may have applied: from the history alone: OCIFindCompartment completed, OCICreateCompartment with no answer recorded",
	}
	if len(got) != len(want) {
		t.Fatalf("stays %v, want %d", got, len(want))
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("stay %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
}

// A history this build's workflow code did not write (another version of
// imagepipe ran it) fails the replay instead of giving a wrong progress,
// so status falls back to the history's events.
func TestReplayProgress_HistoryOfOtherCodeFailsTheReplay(t *testing.T) {
	h, id, runID := recorded(t, "gold-rollout--pipeline")
	for _, ev := range h.GetEvents() {
		if a := ev.GetActivityTaskScheduledEventAttributes(); a != nil {
			a.ActivityType.Name = "SomeOtherVendorCall"
			break
		}
	}
	if p, err := replayProgress(h, id, runID); err == nil {
		t.Fatalf("replayed a foreign history to %+v", p)
	}
}
