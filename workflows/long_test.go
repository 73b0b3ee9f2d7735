package workflows_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/workflows"
)

func TestAwaitJob_ContinuesAsNewCarryingItsProgress(t *testing.T) {
	f := newFixture(t, options{jobDuration: time.Hour})
	job, err := f.fpp.Client.ImportImage(t.Context(), importInput())
	if err != nil {
		t.Fatal(err)
	}
	policy := workflows.PollPolicy{Initial: 10 * time.Second, Multiplier: 2, Max: 5 * time.Minute, Timeout: 2 * time.Hour, PollsPerRun: 3}
	f.env.ExecuteWorkflow(workflows.AwaitJob, workflows.AwaitJobInput{Step: "import", Kind: workflows.JobFPP, JobID: job.ID, Policy: policy})
	var can *workflow.ContinueAsNewError
	if err := f.env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("AwaitJob ended with %v, want to continue as new after 3 polls", err)
	}
	var next workflows.AwaitJobInput
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	if next.Polls != 3 || next.Runs != 1 || next.Delay != 80*time.Second || next.Deadline.IsZero() || next.JobID != job.ID {
		t.Fatalf("next run's input = %+v: want 3 polls, 1 run, the backoff at 80s (10s, 20s, 40s slept) and the deadline carried", next)
	}
}

func TestImagePipeline_DayLongJobsFinishAcrossContinueAsNew(t *testing.T) {
	f := newFixture(t, options{jobDuration: 24 * time.Hour})
	res, err := f.run(t, parse(t, `name: long
steps:
  - id: import
    uses: fpp.import_image
    with: {image_name: db19_gold, path: /u01/db}
`))
	if err != nil {
		t.Fatalf("pipeline failed: %v", err)
	}
	// 24 h of polls capped at 2 minutes is some 720 polls: more than one
	// run's 200, so the wait must have continued as new to get here.
	if polls := f.fpp.Sim.Calls("GetJob"); polls < 700 {
		t.Fatalf("polled %d times, want the ~720 of a day at the 2-minute cap", polls)
	}
	if st, _ := res.Step("import"); st.State != workflows.StepSucceeded {
		t.Fatalf("import = %+v", st)
	}
}

func TestImagePipeline_CancelStopsPollingAndRollsBack(t *testing.T) {
	f := newFixture(t, options{jobDuration: 2 * time.Hour})
	pollsAtCancel := -1
	f.at(30*time.Minute, func() {
		pollsAtCancel = f.fpp.Sim.Calls("GetJob")
		f.env.CancelWorkflow()
	})
	_, err := f.run(t, parse(t, `name: cancel
on_failure: rollback
steps:
  - id: compartment
    uses: oci.create_compartment
    with: {parent_compartment_id: `+tenancyID+`, name: staging, description: Staging}
  - id: move
    uses: oci.move_image
    with: {image_id: `+imageID+`, compartment_id: "${{ steps.compartment.outputs.compartment_id }}"}
  - id: import
    uses: fpp.import_image
    needs: [move]
    with: {image_name: db19_gold, path: /u01/db}
`))
	if !temporal.IsCanceledError(err) {
		t.Fatalf("err = %v, want the pipeline cancelled", err)
	}
	if pollsAtCancel <= 0 || f.fpp.Sim.Calls("GetJob") != pollsAtCancel {
		t.Errorf("FPP job polled %d times at cancel, %d in all: polling must stop at once", pollsAtCancel, f.fpp.Sim.Calls("GetJob"))
	}
	if img, _ := f.oci.Sim.Image(imageID); img.CompartmentID != tenancyID {
		t.Errorf("image in %s, want it moved back to the tenancy", img.CompartmentID)
	}
	p := f.progress(t)
	imp, _ := p.Step("import")
	if p.Status != workflows.StatusCanceled || imp.State != workflows.StepCanceled || len(p.Rollback) != 1 {
		t.Errorf("progress = %s, import %s, rollback %q", p.Status, imp.State, p.Rollback)
	}
}

func TestImagePipeline_ProgressShowsTheJobWhileItRuns(t *testing.T) {
	f := newFixture(t, options{jobDuration: 2 * time.Hour})
	// AwaitJob children report the job to the pipeline; a wait activity's
	// looks show on its pending activity (starter: TestJobWaits_*).
	f.awaitJobChildren()
	var mid workflows.Progress
	f.at(time.Hour, func() { mid = f.progress(t) })
	if _, err := f.run(t, parse(t, `name: watch
steps:
  - id: copy
    uses: huawei.copy_image
    with: {image_id: `+sourceImage+`, name: gold-copy}
`)); err != nil {
		t.Fatal(err)
	}
	st, _ := mid.Step("copy")
	if mid.Status != workflows.StatusRunning || st.State != workflows.StepRunning {
		t.Fatalf("at 1h: %s / %+v", mid.Status, st)
	}
	// IMS reports the copy's progress; halfway through it is near 50%.
	if st.Percent < 30 || st.Percent > 60 || !strings.Contains(st.Detail, "RUNNING") {
		t.Fatalf("at 1h the copy shows %d%% and %q, want about half done and IMS's state", st.Percent, st.Detail)
	}
}
