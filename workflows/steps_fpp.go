package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
)

// JobFPP is an FPP job (an image import).
const JobFPP = "fpp.job"

// A gold image import copies a whole software home: minutes to hours.
var fppImportPolicy = PollPolicy{Initial: 10 * time.Second, Multiplier: 1.5, Max: 2 * time.Minute, Timeout: 24 * time.Hour, PollsPerRun: ProductionPollsPerRun}

// FPPVendor is Oracle Fleet Patching and Provisioning: gold image imports.
func FPPVendor() Vendor {
	var a *activities.FPP
	return Vendor{
		Name:       activities.VendorFPP,
		Actions:    []Action{WithPlan(NewAction(pipeline.FPPImportImage, fppImportImage), fppPlanImport)},
		Jobs:       []JobKind{{Kind: JobFPP, Poll: a.FPPJobState, Policy: fppImportPolicy}},
		Activities: &activities.FPP{},
		Settings:   func() activities.Settings { return &activities.FPPSettings{} },
		Emulator:   fppsim.Emulated,
	}
}

// fppImportImage imports a gold image and waits for FPP's job; an image of
// that name that already exists is the step's result.
func fppImportImage(ctx workflow.Context, s *Step, in pipeline.FPPImportImageInput) (pipeline.FPPImportImageOutput, error) {
	res, err := fppImportCall(ctx, s, activities.FPPImportInput{
		Unit: s.Unit(), ImageName: in.ImageName, Path: in.Path, ImageType: in.ImageType, Client: in.Client,
	})
	if err != nil {
		return pipeline.FPPImportImageOutput{}, err
	}
	if !res.Existing {
		if _, err := s.Await(ctx, JobFPP, res.JobID); err != nil {
			return pipeline.FPPImportImageOutput{}, err
		}
	}
	return pipeline.FPPImportImageOutput{ImageName: in.ImageName, JobID: res.JobID}, nil
}

// fppImportWaitChange marks the workflow change that made a step keep
// waiting while FPP imports its image under a job the step does not know,
// instead of failing once the import activity's retries ran out.
const fppImportWaitChange = "fpp-import-waits-for-a-running-import"

// fppBusyMaxWait caps the pause between two import calls that both found
// the image being imported by someone else. Each call already retries for
// up to an hour on its own (no history), so this bounds a day's wait to
// some hundred calls even when the step's retry settings make each call
// short.
const fppBusyMaxWait = 10 * time.Minute

// fppImportCall runs the FPPImportImage activity until FPP has either
// accepted the step's import or holds the image. While FPP refuses the
// import because another job imports the name (an earlier attempt whose
// answer was lost, or another pipeline: the activity's ErrNameBusy), the
// activity retries by itself; should its retries run out (the call's hour,
// the step's max_attempts), the step calls it again after a durable pause,
// for as long as an import may take (fppImportPolicy.Timeout). Every call
// checks again: the image is there once that import succeeded, and the
// step imports it itself if that import failed.
func fppImportCall(ctx workflow.Context, s *Step, in activities.FPPImportInput) (activities.FPPImportResult, error) {
	var a *activities.FPP
	var res activities.FPPImportResult
	summary := "import gold image " + in.ImageName
	err := s.Call(ctx, summary, a.FPPImportImage, in, &res)
	if !isNameBusy(err) || s.run.changeVersion(ctx, fppImportWaitChange) == workflow.DefaultVersion {
		return res, err
	}
	deadline := workflow.Now(ctx).Add(fppImportPolicy.Timeout)
	for wait := fppImportPolicy.Initial; isNameBusy(err) && workflow.Now(ctx).Before(deadline); wait = min(2*wait, fppBusyMaxWait) {
		s.Detail(ctx, "waiting for the running import of %s", in.ImageName)
		if serr := workflow.NewTimerWithOptions(ctx, wait, workflow.TimerOptions{Summary: "look again at " + in.ImageName}).Get(ctx, nil); serr != nil {
			return res, serr
		}
		err = s.Call(ctx, summary, a.FPPImportImage, in, &res)
	}
	return res, err
}

// isNameBusy reports whether err is a vendor's refusal of a create because
// another job holds the name.
func isNameBusy(err error) bool {
	var appErr *temporal.ApplicationError
	return errors.As(err, &appErr) && appErr.Type() == activities.ErrNameBusy
}

// fppPlanImport plans fppImportImage with its own first look (GET
// /images/{name}): an image of the name is reused, none is imported.
func fppPlanImport(ctx workflow.Context, p *PlanStep, in pipeline.FPPImportImageInput) (Plan, error) {
	create := Plan{Verb: PlanCreate, Summary: fmt.Sprintf("import gold image %s from %s", in.ImageName, in.Path),
		Outputs: map[string]string{"image_name": in.ImageName}}
	if !Known(in.ImageName) {
		return create, nil
	}
	var a *activities.FPP
	var img activities.FPPImage
	if err := p.Read(ctx, "find gold image "+in.ImageName, a.FPPFindImage, activities.FPPFindImageInput{Unit: p.Unit(), ImageName: in.ImageName}, &img); err != nil {
		return Plan{}, err
	}
	if !img.Found {
		return create, nil
	}
	return Plan{Verb: PlanReuse, Resource: in.ImageName, Summary: "reuse gold image " + in.ImageName,
		Outputs: map[string]string{"image_name": in.ImageName, "job_id": ""}}, nil
}
