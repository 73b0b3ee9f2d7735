package workflows_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/workflows"
)

func TestImagePipeline_IndependentBranchesRunInParallel(t *testing.T) {
	f := newFixture(t, options{activation: 10 * time.Minute, jobDuration: 10 * time.Minute})
	res, err := f.run(t, parse(t, `name: branches
steps:
  - id: import
    uses: fpp.import_image
    with: {image_name: db19_gold, path: /u01/db}
  - id: compartment
    uses: oci.create_compartment
    with: {parent_compartment_id: `+tenancyID+`, name: gold-images, description: Gold images}
`))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := res.Step("import")
	b, _ := res.Step("compartment")
	if !a.StartedAt.Before(b.EndedAt) || !b.StartedAt.Before(a.EndedAt) {
		t.Fatalf("steps did not overlap: import %s..%s, compartment %s..%s", a.StartedAt, a.EndedAt, b.StartedAt, b.EndedAt)
	}
	// Both wait ten minutes; run in parallel they take about ten, not twenty.
	end := a.EndedAt
	if b.EndedAt.After(end) {
		end = b.EndedAt
	}
	if total := end.Sub(a.StartedAt); total >= 20*time.Minute {
		t.Fatalf("took %s of workflow time: the branches ran one after the other", total)
	}
}

func fanOutSpec(capLine string, n int) string {
	var items []string
	for i := range n {
		items = append(items, fmt.Sprintf("gold-copy-%d", i))
	}
	return `name: fan
` + capLine + `
steps:
  - id: copy
    uses: huawei.copy_image
    for_each: [` + strings.Join(items, ", ") + `]
    with: {image_id: ` + sourceImage + `, name: "${{ item }}"}
`
}

func TestImagePipeline_FanOutStaysUnderTheVendorCap(t *testing.T) {
	tests := []struct {
		name       string
		capLine    string
		wantCopies int  // copy requests IMS received
		overLimit  bool // true when the cap lets more through than IMS allows
	}{
		{name: "cap at IMS's limit sends each copy once", capLine: "concurrency: {huawei: 2}", wantCopies: 5},
		{name: "cap above IMS's limit gets throttled", capLine: "concurrency: {huawei: 5}", overLimit: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, options{jobDuration: time.Minute, imsMaxJobs: 2})
			var early workflows.Progress
			f.at(5*time.Second, func() { early = f.progress(t) })
			res, err := f.run(t, parse(t, fanOutSpec(tt.capLine, 5)))
			if err != nil {
				t.Fatalf("pipeline failed: %v", err)
			}
			calls := f.huawei.Sim.Calls("CopyImageInRegion")
			if tt.overLimit {
				if calls <= 5 {
					t.Fatalf("IMS saw %d copy requests; a cap above its limit should have drawn IMG.0060 and retries", calls)
				}
			} else if calls != tt.wantCopies {
				t.Fatalf("IMS saw %d copy requests, want %d (none refused for too many jobs)", calls, tt.wantCopies)
			} else if st, _ := early.Step("copy"); len(st.Items) != 5 || !strings.HasPrefix(st.Items[4].Detail, "queued: 2 huawei calls already running") {
				t.Fatalf("while the first two copy, the last item shows %+v, want it queued behind the cap", st.Items)
			}
			st, _ := res.Step("copy")
			if ids := strings.Split(st.Outputs["image_id"], ","); len(ids) != 5 || len(st.Items) != 5 {
				t.Fatalf("outputs %v, items %d: want 5 of each", st.Outputs, len(st.Items))
			}
			for _, it := range st.Items {
				if it.State != workflows.StepSucceeded || it.Outputs["image_id"] == "" {
					t.Errorf("item %+v", it)
				}
			}
		})
	}
}

func TestImagePipeline_FanOutItemFailureFailsTheStep(t *testing.T) {
	f := newFixture(t, options{jobDuration: time.Minute})
	f.huawei.Sim.FailCopiesNamed("gold-copy-1", "snapshot of source failed")
	_, err := f.run(t, parse(t, fanOutSpec("", 3)))
	if err == nil || !strings.Contains(err.Error(), "snapshot of source failed") || !strings.Contains(err.Error(), "copy[1:gold-copy-1]") {
		t.Fatalf("err = %v, want the failing item and IMS's reason", err)
	}
}

func approvalSpec(onFailure string) string {
	return `name: approve
on_failure: ` + onFailure + `
steps:
  - id: attributes
    uses: zstack.update_image
    with: {image_uuid: ` + zstackImage + `, name: gold-centos-approved, description: Release candidate}
  - id: compartment
    uses: oci.create_compartment
    with: {parent_compartment_id: ` + tenancyID + `, name: staging, description: Staging}
  - id: move
    uses: oci.move_image
    with: {image_id: ` + imageID + `, compartment_id: "${{ steps.compartment.outputs.compartment_id }}"}
  - id: gate
    uses: imagepipe.approval
    needs: [attributes, move]
    timeout: 2h
    with: {message: check the release notes, approvers: [alice, bob]}
`
}

// decide sends an approval update after d and records how it went.
func (f *fixture) decide(t *testing.T, d time.Duration, update string, in workflows.ApprovalInput) *updateOutcome {
	out := &updateOutcome{}
	f.at(d, func() {
		f.env.UpdateWorkflow(update, "", out, in)
	})
	return out
}

func TestImagePipeline_ApprovalApprovedRecordsWhoAndGoesOn(t *testing.T) {
	f := newFixture(t, options{jobDuration: time.Second})
	early := f.decide(t, time.Second, workflows.ApproveUpdate, workflows.ApprovalInput{Step: "gate", By: "alice"})
	stranger := f.decide(t, 30*time.Minute, workflows.ApproveUpdate, workflows.ApprovalInput{Step: "gate", By: "mallory"})
	ok := f.decide(t, time.Hour, workflows.ApproveUpdate, workflows.ApprovalInput{Step: "gate", By: "bob", Comment: "notes fine"})
	res, err := f.run(t, parse(t, approvalSpec("stop")))
	if err != nil {
		t.Fatalf("pipeline failed: %v", err)
	}
	if early.rejected == nil || !strings.Contains(early.rejected.Error(), "not waiting for approval") {
		t.Errorf("a decision before the gate was reached: %+v", early)
	}
	if stranger.rejected == nil || !strings.Contains(stranger.rejected.Error(), "mallory may not decide") {
		t.Errorf("a decision by someone not listed: %+v", stranger)
	}
	if !ok.done || ok.err != nil {
		t.Fatalf("bob's approval: %+v", ok)
	}
	gate, _ := res.Step("gate")
	if gate.Decision == nil || !gate.Decision.Approved || gate.Decision.By != "bob" || gate.Outputs["decided_by"] != "bob" {
		t.Fatalf("gate = %+v", gate)
	}
}

func TestImagePipeline_ApprovalRejectedRollsBackInReverseOrder(t *testing.T) {
	f := newFixture(t, options{jobDuration: time.Second})
	f.decide(t, time.Hour, workflows.RejectUpdate, workflows.ApprovalInput{Step: "gate", By: "alice", Comment: "notes missing"})
	_, err := f.run(t, parse(t, approvalSpec("rollback")))
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || !strings.Contains(err.Error(), "rejected by alice: notes missing") {
		t.Fatalf("err = %v, want the rejection", err)
	}
	// The image is back where it was, the attributes are what they were.
	if img, _ := f.oci.Sim.Image(imageID); img.CompartmentID != tenancyID || img.Moves != 2 {
		t.Errorf("image in %s after %d moves, want back in the tenancy after 2", img.CompartmentID, img.Moves)
	}
	zimg, _ := f.zstack.Sim.Image(zstackImage)
	if zimg.Name != zstackBefore || zimg.Description != "" {
		t.Errorf("zstack image = %q %q, want the name and description from before", zimg.Name, zimg.Description)
	}
	p := f.progress(t)
	if len(p.Rollback) != 2 || !strings.HasPrefix(p.Rollback[0], "move: moved image") || !strings.HasPrefix(p.Rollback[1], "attributes: restored") {
		t.Errorf("rollback = %q, want the move undone first (it completed last), then the attributes", p.Rollback)
	}
	for id, want := range map[string]string{"attributes": workflows.StepRolledBack, "move": workflows.StepRolledBack, "compartment": workflows.StepSucceeded, "gate": workflows.StepFailed} {
		if st, _ := p.Step(id); st.State != want {
			t.Errorf("step %s is %s, want %s", id, st.State, want)
		}
	}
}

// progress queries the pipeline's progress (also after it ended).
func (f *fixture) progress(t *testing.T) workflows.Progress {
	t.Helper()
	v, err := f.env.QueryWorkflow(workflows.ProgressQuery)
	if err != nil {
		t.Fatal(err)
	}
	var p workflows.Progress
	if err := v.Get(&p); err != nil {
		t.Fatal(err)
	}
	return p
}

// updateOutcome records how an update went; it is the test environment's
// update callbacks.
type updateOutcome struct {
	rejected error
	done     bool
	err      error
}

func (u *updateOutcome) Accept()                           {}
func (u *updateOutcome) Reject(err error)                  { u.rejected = err }
func (u *updateOutcome) Complete(_ interface{}, err error) { u.done, u.err = true, err }

func TestImagePipeline_ApprovalWithoutDecisionTimesOut(t *testing.T) {
	f := newFixture(t, options{jobDuration: time.Second})
	_, err := f.run(t, parse(t, approvalSpec("stop")))
	if err == nil || !strings.Contains(err.Error(), `step "gate": no decision within 2h0m0s`) {
		t.Fatalf("err = %v, want the approval to time out", err)
	}
}
