package main

import (
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/workflows"
)

func TestStaysFromProgress_ListsWhatNoRollbackUndid(t *testing.T) {
	p := workflows.Progress{Steps: []workflows.StepProgress{
		{ID: "import", Uses: pipeline.ActionFPPImportImage, State: workflows.StepSucceeded},
		{ID: "moved", Uses: pipeline.ActionOCIMoveImage, State: workflows.StepSucceeded},
		{ID: "undone", Uses: pipeline.ActionOCIMoveImage, State: workflows.StepRolledBack},
		{ID: "gate", Uses: pipeline.ActionApproval, State: workflows.StepWaiting},
		{ID: "attrs", Uses: pipeline.ActionZStackUpdateImage, State: workflows.StepRunning},
		{ID: "later", Uses: pipeline.ActionOCICreateCompartment, State: workflows.StepPending},
		{ID: "skipped", Uses: pipeline.ActionOCICreateCompartment, State: workflows.StepSkipped},
		{ID: "refused", Uses: pipeline.ActionOCICreateCompartment, State: workflows.StepFailed, LastError: "409 conflict"},
		{ID: "copy", Uses: pipeline.ActionHuaweiCopyImage, State: workflows.StepRunning, Items: []workflows.ItemProgress{
			{Item: "a", State: workflows.StepSucceeded},
			{Item: "b", State: workflows.StepCanceled},
			{Item: "c", State: workflows.StepPending},
		}},
	}}
	want := []string{
		"import (fpp.import_image): applied: succeeded; rollback has no inverse for it",
		"moved (oci.move_image): applied: succeeded and was not rolled back",
		"attrs (zstack.update_image): may have applied: it was running when the pipeline ended",
		"refused (oci.create_compartment): may have applied: it failed (409 conflict)",
		"copy[a] (huawei.copy_image): applied: succeeded; rollback has no inverse for it",
		"copy[b] (huawei.copy_image): may have applied: it was cancelled while running",
	}
	got := staysFromProgress(p)
	if len(got) != len(want) {
		t.Fatalf("stays:\n%v\nwant %d of them", got, len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i].String(), want[i]) {
			t.Errorf("stay %d:\n got %s\nwant %s...", i, got[i], want[i])
		}
	}
}
