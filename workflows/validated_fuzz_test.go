package workflows_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/workflows"
)

// Temporal's limits the property checks beyond what the test environment
// enforces itself (it refuses long activity IDs, bad retry policies and
// workflow tasks over the 1 s deadlock timeout): server v1.29.1's
// limit.maxIDLength for child workflow IDs, limit.blobSize.warn for the
// workflow's input and result.
const (
	maxIDLength     = 1000
	blobSizeWarn    = 512 << 10
	approvalCadence = time.Minute
)

// fakeVendors answer every vendor activity at once and with success: each
// job runs for one poll, then succeeds. A validated spec run against them
// must succeed, so what fails is the pipeline's own doing, never a vendor's.
type fakeVendors struct {
	mu    sync.Mutex
	polls map[string]int
}

// poll answers a job's first look with RUNNING at half way and any later
// look with success, so a wait reports progress and sleeps once.
func (f *fakeVendors) poll(_ context.Context, in activities.PollInput) (activities.JobStatus, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.polls[in.UnitName()+"/"+in.JobID]++
	if f.polls[in.UnitName()+"/"+in.JobID] == 1 {
		return activities.JobStatus{State: "RUNNING", Percent: 50}, nil
	}
	return activities.JobStatus{Done: true, Succeeded: true, State: "SUCCEEDED", Percent: 100,
		Outputs: map[string]string{"image_id": "copied-" + in.JobID, "name": "updated"}}, nil
}

func (f *fakeVendors) register(env *testsuite.TestWorkflowEnvironment) {
	workflows.Register(env, workflows.Default())
	on := func(name string, fn any) { env.OnActivity(name, mock.Anything, mock.Anything).Return(fn) }
	on("FPPImportImage", func(_ context.Context, in activities.FPPImportInput) (activities.FPPImportResult, error) {
		return activities.FPPImportResult{JobID: "1"}, nil
	})
	on("HuaweiCopyImage", func(_ context.Context, in activities.HuaweiCopyInput) (activities.HuaweiCopyResult, error) {
		return activities.HuaweiCopyResult{JobID: "job-" + in.Name}, nil
	})
	on("OCIFindCompartment", func(_ context.Context, in activities.FindCompartmentInput) (activities.Compartment, error) {
		return activities.Compartment{}, nil
	})
	on("OCICreateCompartment", func(_ context.Context, in activities.CreateCompartmentInput) (activities.Compartment, error) {
		return activities.Compartment{Found: true, ID: "ocid1.compartment.oc1..fake", Name: in.Name, LifecycleState: "CREATING"}, nil
	})
	on("OCIGetImage", func(_ context.Context, in activities.GetImageInput) (activities.Image, error) {
		return activities.Image{ID: in.ImageID, CompartmentID: "ocid1.compartment.oc1..before", LifecycleState: "AVAILABLE", ETag: "e1"}, nil
	})
	on("OCIChangeImageCompartment", func(_ context.Context, in activities.MoveImageInput) (activities.MoveImageResult, error) {
		return activities.MoveImageResult{ETag: "e2"}, nil
	})
	on("ZStackGetImage", func(_ context.Context, in activities.ZStackImageInput) (activities.ZStackImage, error) {
		return activities.ZStackImage{UUID: in.UUID, Name: "before", Platform: "Linux", Architecture: "x86_64"}, nil
	})
	on("ZStackUpdateImage", func(_ context.Context, in activities.ZStackUpdateInput) (activities.ZStackUpdateResult, error) {
		return activities.ZStackUpdateResult{Location: "job-" + in.UUID}, nil
	})
	for _, name := range []string{"FPPJobState", "HuaweiJobState", "HuaweiImageState", "OCICompartmentState", "ZStackJobState"} {
		on(name, f.poll)
	}
	on(workflows.WaitForJob, func(ctx context.Context, in activities.WaitInput) (activities.JobStatus, error) {
		return activities.WaitJob(ctx, f.poll, in)
	})
}

// runValidated runs a spec the default catalog's Parse accepted to its end, with
// every vendor answering at once and every approval granted, and reports
// what kept it from succeeding.
func runValidated(t testing.TB, spec *pipeline.Spec) error {
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(log.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	env := suite.NewTestWorkflowEnvironment()
	(&fakeVendors{polls: map[string]int{}}).register(env)

	var idErrs []string
	var mu sync.Mutex
	env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		mu.Lock()
		defer mu.Unlock()
		// A child's activities carry the child's workflow ID.
		if len(info.WorkflowExecution.ID) > maxIDLength {
			idErrs = append(idErrs, fmt.Sprintf("workflow ID of %d bytes: %.80s…", len(info.WorkflowExecution.ID), info.WorkflowExecution.ID))
		}
	})
	approveAll(env, spec)

	if b, err := json.Marshal(workflows.PipelineInput{Spec: *spec}); err != nil || len(b) > blobSizeWarn {
		return fmt.Errorf("workflow input: %d bytes, err %v", len(b), err)
	}
	env.ExecuteWorkflow(workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec})
	if !env.IsWorkflowCompleted() {
		return errors.New("the pipeline did not complete")
	}
	if len(idErrs) > 0 {
		return errors.New(strings.Join(idErrs, "; "))
	}
	if err := env.GetWorkflowError(); err != nil {
		return err
	}
	var res workflows.PipelineResult
	if err := env.GetWorkflowResult(&res); err != nil {
		return err
	}
	if b, _ := json.Marshal(res); len(b) > blobSizeWarn {
		return fmt.Errorf("workflow result: %d bytes", len(b))
	}
	if res.Status != workflows.StatusSucceeded {
		return fmt.Errorf("pipeline ended %s", res.Status)
	}
	return nil
}

// approveAll grants every approval step as soon as it waits, by the
// first approver it lists (anyone when none).
func approveAll(env *testsuite.TestWorkflowEnvironment, spec *pipeline.Spec) {
	var approvals []workflows.ApprovalInput
	for _, st := range spec.Steps {
		if st.Uses != pipeline.ActionApproval {
			continue
		}
		by := "fuzz"
		if l, ok := st.With["approvers"].([]any); ok && len(l) > 0 {
			by, _ = l[0].(string)
		}
		approvals = append(approvals, workflows.ApprovalInput{Step: st.ID, By: by})
	}
	if len(approvals) == 0 {
		return
	}
	var tick func()
	tick = func() {
		if env.IsWorkflowCompleted() {
			return
		}
		for _, a := range approvals {
			env.UpdateWorkflow(workflows.ApproveUpdate, "", &testsuite.TestUpdateCallback{
				OnAccept: func() {}, OnReject: func(error) {}, OnComplete: func(any, error) {},
			}, a)
		}
		env.RegisterDelayedCallback(tick, approvalCadence)
	}
	env.RegisterDelayedCallback(tick, approvalCadence)
}

// timedOut reports whether err is a step running past the timeout its spec
// gave it: the one way a validated spec may fail against vendors that
// always succeed (a one-second timeout can pass before a call returns).
func timedOut(err error) bool {
	var app *temporal.ApplicationError
	if errors.As(err, &app) && (app.Type() == workflows.ErrStepTimeout || app.Type() == workflows.ErrApprovalTimeout) {
		return true
	}
	var te *temporal.TimeoutError
	return errors.As(err, &te)
}

func hasTimeouts(spec *pipeline.Spec) bool {
	for _, st := range spec.Steps {
		if st.Timeout > 0 {
			return true
		}
	}
	return false
}

// checkValidatedRuns is the property: what Parse accepts runs to success.
func checkValidatedRuns(t *testing.T, data []byte) {
	spec, err := workflows.Default().Catalog().Parse("fuzz.yaml", data)
	if err != nil {
		return
	}
	err = runValidated(t, spec)
	if err == nil || (timedOut(err) && hasTimeouts(spec)) {
		return
	}
	t.Fatalf("Parse accepted a pipeline that does not run: %v\n%s", err, data)
}

// FuzzValidatedSpecRuns: every pipeline file Parse accepts runs
// ImagePipeline to success when its vendors succeed.
func FuzzValidatedSpecRuns(f *testing.F) {
	for _, p := range examplePaths(f) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(checkValidatedRuns)
}

func examplePaths(t testing.TB) []string {
	paths, err := filepath.Glob("../examples/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	return paths
}

// The pipelines at each cap run: the most units, the longest item labels,
// the most attempts, the slowest retries, every action at once.
func TestValidatedSpecs_AtTheCapsRunToSuccess(t *testing.T) {
	items := make([]string, pipeline.MaxUnits-2)
	for i := range items {
		items[i] = fmt.Sprintf("%s-%02d", strings.Repeat("t", pipeline.MaxItemLabelBytes-3), i)
	}
	longID := strings.Repeat("s", 63)
	for name, src := range map[string]string{
		"most units, longest labels and ids": `name: ` + strings.Repeat("p", 63) + `
description: ` + strings.Repeat("d", pipeline.MaxDescriptionBytes-2) + `
steps:
  - id: ` + longID + `
    uses: zstack.update_image
    for_each: [` + strings.Join(items, ", ") + `]
    retry: {max_attempts: 100, initial_interval: 1s, max_interval: 1s}
    with: {image_uuid: "${{ item }}", description: "for ${{ item }}"}
  - id: gate
    uses: imagepipe.approval
    with: {approvers: [alice]}
  - id: copy
    uses: huawei.copy_image
    needs: [` + longID + `]
    retry: {initial_interval: 1m}
    with: {image_id: src, name: "copy-${{ steps.gate.outputs.decided_by }}"}
`,
		"a hundred parallel steps": func() string {
			var b strings.Builder
			b.WriteString("name: wide\nconcurrency: {oci: 100, huawei: 100}\nsteps:\n")
			for i := range pipeline.MaxUnits {
				uses := []string{"oci.create_compartment", "huawei.copy_image", "fpp.import_image", "oci.move_image"}[i%4]
				with := map[string]string{
					"oci.create_compartment": "{parent_compartment_id: ocid1.tenancy.oc1..a, name: c%d, description: d}",
					"huawei.copy_image":      "{image_id: src, name: copy%d}",
					"fpp.import_image":       "{image_name: img%d, path: /u01/db}",
					"oci.move_image":         "{image_id: ocid1.image.oc1..i%d, compartment_id: ocid1.compartment.oc1..c}",
				}[uses]
				fmt.Fprintf(&b, "  - {id: s%d, uses: %s, with: %s}\n", i, uses, fmt.Sprintf(with, i))
			}
			return b.String()
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			spec, err := workflows.Default().Catalog().Parse("caps.yaml", []byte(src))
			if err != nil {
				t.Fatalf("Parse refused a pipeline at the caps: %v", err)
			}
			start := time.Now()
			if err := runValidated(t, spec); err != nil {
				t.Fatalf("pipeline at the caps did not run: %v", err)
			}
			t.Logf("%d steps ran in %s", len(spec.Steps), time.Since(start))
		})
	}
}

// The files that validate accepted and that then never progressed are
// refused now, each with a located problem; none reaches a worker.
func TestValidatedSpecs_FilesThatCouldNotRunAreRefused(t *testing.T) {
	for name, src := range map[string]string{
		"max_attempts wraps negative": "name: r\nsteps:\n  - {id: m, uses: oci.move_image, retry: {max_attempts: 2147483648}, with: {image_id: i, compartment_id: c}}\n",
		"max_attempts becomes 1":      "name: r\nsteps:\n  - {id: m, uses: oci.move_image, retry: {max_attempts: 4294967297}, with: {image_id: i, compartment_id: c}}\n",
		"item over the ID limit":      "name: r\nsteps:\n  - {id: m, uses: zstack.update_image, for_each: [" + strings.Repeat("x", 2000) + "], with: {image_uuid: \"${{ item }}\"}}\n",
		"initial past default max":    "name: r\nsteps:\n  - {id: m, uses: oci.move_image, retry: {initial_interval: 5m}, with: {image_id: i, compartment_id: c}}\n",
		"max under default initial":   "name: r\nsteps:\n  - {id: m, uses: oci.move_image, retry: {max_interval: 500ms}, with: {image_id: i, compartment_id: c}}\n",
		"blank approver":              "name: r\nsteps:\n  - {id: gate, uses: imagepipe.approval, with: {approvers: [\" \"]}}\n",
	} {
		t.Run(name, func(t *testing.T) {
			spec, err := workflows.Default().Catalog().Parse("bad.yaml", []byte(src))
			var ps pipeline.Problems
			if errors.As(err, &ps) && ps[0].Line > 0 {
				return
			}
			if err == nil {
				err = runValidated(t, spec)
			}
			t.Fatalf("validate accepted it, and the run: %v", err)
		})
	}
}
