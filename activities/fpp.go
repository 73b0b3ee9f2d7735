package activities

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/providers/fpp"
)

// FPP is what the FPP activities need of the FPP client.
type FPP interface {
	GetImage(ctx context.Context, name string) (fpp.Image, bool, error)
	ImportImage(ctx context.Context, in fpp.ImportImageInput) (fpp.Job, error)
	GetJob(ctx context.Context, jobID string) (fpp.Job, error)
	FindImportJob(ctx context.Context, imageName string) (fpp.Job, bool, error)
}

func fppAnswer(err error) (vendorAnswer, bool) {
	e, ok := errors.AsType[*fpp.Error](err)
	if !ok {
		return vendorAnswer{}, false
	}
	return vendorAnswer{VendorErrorDetails: VendorErrorDetails{VendorFPP, e.Operation, e.StatusCode, e.Code, e.Message, e.RequestID}, retryAfter: e.RetryAfter}, true
}

// importRunningWait is how long a step waits before looking again when FPP
// says an import of the same image is already running.
const importRunningWait = 15 * time.Second

// FPPImportInput is a gold image to import from a software home.
type FPPImportInput struct {
	Step      string `json:"step"`
	ImageName string `json:"image_name"`
	Path      string `json:"path"`
	ImageType string `json:"image_type,omitempty"`
	Client    string `json:"client,omitempty"`
}

// FPPImportResult is the import job to wait for, or the image that already
// exists (Existing, no job).
type FPPImportResult struct {
	JobID    string `json:"job_id,omitempty"`
	Existing bool   `json:"existing"`
}

// FPPImportImage imports a gold image (POST /rhp-restapi/rhp/images). FPP
// has no idempotency token, so it checks first: an image of that name means
// an earlier attempt (or run) already imported it, and a running import job
// of that name is an earlier attempt whose answer was lost: the step waits
// for that job instead of importing again. Should FPP still answer that an
// import of the name is running (a race with another importer), the
// activity retries, and its next check finds that job.
func (a *Activities) FPPImportImage(ctx context.Context, in FPPImportInput) (FPPImportResult, error) {
	if a.FPP == nil {
		return FPPImportResult{}, notConfigured(in.Step, VendorFPP)
	}
	if _, found, err := a.FPP.GetImage(ctx, in.ImageName); err != nil {
		return FPPImportResult{}, translate(in.Step, "GetImage", err)
	} else if found {
		return FPPImportResult{Existing: true}, nil
	}
	if job, found, err := a.FPP.FindImportJob(ctx, in.ImageName); err != nil {
		return FPPImportResult{}, translate(in.Step, "ListJobs", err)
	} else if found && !job.Done() {
		return FPPImportResult{JobID: job.ID}, nil
	}
	job, err := a.FPP.ImportImage(ctx, fpp.ImportImageInput{ImageName: in.ImageName, Path: in.Path, ImageType: in.ImageType, Client: in.Client})
	if e, ok := errors.AsType[*fpp.Error](err); ok && e.StatusCode == http.StatusConflict {
		return FPPImportResult{}, temporal.NewApplicationErrorWithOptions(
			fmt.Sprintf("step %q: fpp: an import of image %s is already running (%s); waiting for it", in.Step, in.ImageName, e.Message),
			"fpp."+e.Code, temporal.ApplicationErrorOptions{NextRetryDelay: importRunningWait})
	}
	if err != nil {
		return FPPImportResult{}, translate(in.Step, "ImportImage", err)
	}
	return FPPImportResult{JobID: job.ID}, nil
}

// FPPJobState looks at an FPP job once (GET /rhp-restapi/rhp/jobs/{jobId}).
func (a *Activities) FPPJobState(ctx context.Context, in PollInput) (JobStatus, error) {
	if a.FPP == nil {
		return JobStatus{}, notConfigured(in.Step, VendorFPP)
	}
	job, err := a.FPP.GetJob(ctx, in.JobID)
	if err != nil {
		return JobStatus{}, translate(in.Step, "GetJob", err)
	}
	if job.Status == "" {
		return JobStatus{}, noStatus(in.Step, "GetJob", in.JobID)
	}
	st := JobStatus{Done: job.Done(), Succeeded: job.Succeeded(), State: string(job.Status), Message: job.Reason}
	if job.ImageName != "" {
		st.Outputs = map[string]string{"image_name": job.ImageName}
	}
	return st, nil
}
