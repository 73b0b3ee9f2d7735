package workflows_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/workflows"
)

// One step per vendor: the mutating call, the operation name the emulator
// counts it under, and how many resources it should leave behind.
type vendorCase struct {
	vendor    string
	spec      string
	op        string             // the emulator's name for the mutating call
	method    string             // its HTTP method
	path      string             // part of its path
	resources func(*fixture) int // what the step created or changed
}

func vendorCases() []vendorCase {
	return []vendorCase{
		{
			vendor: "oci", op: "CreateCompartment", method: http.MethodPost, path: "/compartments",
			spec: `name: one
steps:
  - id: step
    uses: oci.create_compartment
    with: {parent_compartment_id: ` + tenancyID + `, name: gold-images, description: Gold images}
`,
			resources: func(f *fixture) int { return len(f.oci.Sim.Compartments()) },
		},
		{
			vendor: "fpp", op: "ImportImage", method: http.MethodPost, path: "/rhp/images",
			spec: `name: one
steps:
  - id: step
    uses: fpp.import_image
    with: {image_name: db19_gold, path: /u01/app/oracle/product/19c/dbhome_1}
`,
			resources: func(f *fixture) int { return f.fpp.Sim.JobCount() },
		},
		{
			vendor: "huawei", op: "CopyImageInRegion", method: http.MethodPost, path: "/copy",
			spec: `name: one
steps:
  - id: step
    uses: huawei.copy_image
    with: {image_id: ` + sourceImage + `, name: gold-ubuntu-copy}
`,
			resources: func(f *fixture) int {
				n := 0
				for _, img := range f.huawei.Sim.Images() {
					if img.Name == "gold-ubuntu-copy" {
						n++
					}
				}
				return n
			},
		},
		{
			vendor: "zstack", op: "UpdateImage", method: http.MethodPut, path: "/actions",
			spec: `name: one
steps:
  - id: step
    uses: zstack.update_image
    with: {image_uuid: ` + zstackImage + `, name: gold-centos-v2, description: Approved}
`,
			resources: func(f *fixture) int { return f.zstack.Sim.AppliedUpdates(zstackImage) },
		},
	}
}

func (f *fixture) faults(vendor string) *simkit.Faults { return f.kernels[vendor].Faults() }

func (f *fixture) calls(vendor, op string) int { return f.kernels[vendor].Calls(op) }

func TestImagePipeline_EveryVendorStepCompletes(t *testing.T) {
	for _, vc := range vendorCases() {
		t.Run(vc.vendor, func(t *testing.T) {
			f := newFixture(t, options{activation: time.Minute, jobDuration: 20 * time.Minute})
			res, err := f.run(t, parse(t, vc.spec))
			if err != nil {
				t.Fatalf("pipeline failed: %v", err)
			}
			if got := vc.resources(f); got != 1 {
				t.Errorf("%d resources created or changed, want 1", got)
			}
			if st, _ := res.Step("step"); st.State != workflows.StepSucceeded {
				t.Errorf("step = %+v", st)
			}
		})
	}
}

func TestImagePipeline_ThrottledCallWaitsForRetryAfterThenSucceeds(t *testing.T) {
	const retryAfter = 45 * time.Second
	for _, vc := range vendorCases() {
		t.Run(vc.vendor, func(t *testing.T) {
			f := newFixture(t, options{jobDuration: time.Second, activation: time.Second})
			f.faults(vc.vendor).Inject(vc.op, simkit.Fault{Status: http.StatusTooManyRequests, RetryAfter: retryAfter}, 1)
			start := f.env.Now()
			var retriedAt time.Time
			f.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
				if info.Attempt == 2 && retriedAt.IsZero() {
					retriedAt = f.env.Now()
				}
			})
			if _, err := f.run(t, parse(t, vc.spec)); err != nil {
				t.Fatalf("pipeline failed: %v", err)
			}
			if got := f.calls(vc.vendor, vc.op); got != 2 {
				t.Errorf("%s called %d times, want 2 (throttled, then accepted)", vc.op, got)
			}
			if waited := retriedAt.Sub(start); waited < retryAfter {
				t.Errorf("retried after %s of workflow time, want at least the Retry-After of %s", waited, retryAfter)
			}
			if got := vc.resources(f); got != 1 {
				t.Errorf("%d resources, want 1", got)
			}
		})
	}
}

// The crash window: the vendor accepted the request, but its answer never
// reached the activity (worker crash, dropped connection), so Temporal runs
// the activity again.
func TestImagePipeline_LostAnswerAfterTheVendorAcceptedCreatesNoDuplicate(t *testing.T) {
	for _, vc := range vendorCases() {
		t.Run(vc.vendor, func(t *testing.T) {
			f := newFixture(t, options{
				activation: 30 * time.Second, jobDuration: 10 * time.Minute,
				wrap: map[string]testenv.Wrap{vc.vendor: testenv.LoseAnswer(vc.method, vc.path, 1)},
			})
			if _, err := f.run(t, parse(t, vc.spec)); err != nil {
				t.Fatalf("pipeline failed: %v", err)
			}
			if got := vc.resources(f); got != 1 {
				t.Fatalf("%d resources after a retried %s, want 1", got, vc.op)
			}
		})
	}
}

func TestImagePipeline_FailedVendorJobFailsTheStepWithTheVendorsReason(t *testing.T) {
	fail := map[string]func(*fixture, string){
		"oci":    func(f *fixture, _ string) { f.oci.Sim.FailActivation("gold-images") },
		"fpp":    func(f *fixture, r string) { f.fpp.Sim.FailNextImport(r) },
		"huawei": func(f *fixture, r string) { f.huawei.Sim.FailNextCopy(r) },
		"zstack": func(f *fixture, r string) { f.zstack.Sim.FailNextUpdate(r) },
	}
	for _, vc := range vendorCases() {
		t.Run(vc.vendor, func(t *testing.T) {
			f := newFixture(t, options{activation: time.Minute, jobDuration: 5 * time.Minute})
			reason := "backing store full on node 7"
			fail[vc.vendor](f, reason)
			res, err := f.run(t, parse(t, vc.spec))
			if err == nil {
				t.Fatalf("pipeline succeeded: %+v", res)
			}
			want := reason
			if vc.vendor == "oci" {
				want = "INACTIVE" // a compartment has no reason, only its state
			}
			if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), `step "step"`) {
				t.Fatalf("error does not name the step and %q:\n%v", want, err)
			}
		})
	}
}

func TestImagePipeline_FiveStepRolloutAcrossAllVendors(t *testing.T) {
	f := newFixture(t, options{activation: 2 * time.Minute, jobDuration: 40 * time.Minute})
	spec := parse(t, `name: gold-rollout
steps:
  - id: import
    uses: fpp.import_image
    with: {image_name: db19_gold, path: /u01/app/oracle/product/19c/dbhome_1}
  - id: copy
    uses: huawei.copy_image
    needs: [import]
    with: {image_id: `+sourceImage+`, name: "${{ steps.import.outputs.image_name }}-huawei"}
  - id: attributes
    uses: zstack.update_image
    with:
      image_uuid: `+zstackImage+`
      description: "copied to Huawei as ${{ steps.copy.outputs.image_id }}"
  - id: compartment
    uses: oci.create_compartment
    with: {parent_compartment_id: `+tenancyID+`, name: gold-images, description: Gold images}
  - id: move
    uses: oci.move_image
    with: {image_id: `+imageID+`, compartment_id: "${{ steps.compartment.outputs.compartment_id }}"}
`)
	res, err := f.run(t, spec)
	if err != nil {
		t.Fatalf("pipeline failed: %v", err)
	}
	copyStep, _ := res.Step("copy")
	var copied string
	for _, img := range f.huawei.Sim.Images() {
		if img.Name == "db19_gold-huawei" {
			copied = img.ID
		}
	}
	if copied == "" || copyStep.Outputs["image_id"] != copied {
		t.Fatalf("copy output %v, emulator copy id %q", copyStep.Outputs, copied)
	}
	zimg, _ := f.zstack.Sim.Image(zstackImage)
	if zimg.Description != "copied to Huawei as "+copied {
		t.Errorf("ZStack description = %q: the copy's output did not flow into it", zimg.Description)
	}
	for _, st := range res.Steps {
		if st.State != workflows.StepSucceeded {
			t.Errorf("step %s = %s", st.ID, st.State)
		}
	}
}
