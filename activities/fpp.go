package activities

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/imagepipe/imagepipe/providers/fpp"
)

// FPPClient is what the FPP activities need of the FPP client.
type FPPClient interface {
	GetImage(ctx context.Context, name string) (fpp.Image, bool, error)
	ImportImage(ctx context.Context, in fpp.ImportImageInput) (fpp.Job, error)
	GetJob(ctx context.Context, jobID string) (fpp.Job, error)
}

// VendorFPP is the vendor as its error types and the registry name it.
const VendorFPP = "fpp"

// FPP are the FPP activities. A nil Client means the worker was started
// without FPP's configuration; the activities then fail without retry,
// saying so.
type FPP struct {
	Client FPPClient
}

// FPPImportInput is a gold image to import from a software home.
type FPPImportInput struct {
	Unit
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
// has no idempotency token, so it checks first, and the check costs two
// requests whatever FPP's history holds:
//
//  1. GET /images/{name}: an image of that name means an earlier attempt,
//     run or pipeline imported it; the step reuses it.
//  2. POST /images: accepted, the job is the step's to wait for. Refused
//     because the name is taken (409), an import of that name is running
//     under a job this attempt does not know: an earlier attempt's whose
//     answer was lost, or another pipeline's. The activity then fails with
//     ErrNameBusy, retryable after a delay that grows with the attempt, and
//     the next attempt checks again: it finds the image once that import
//     succeeded, or has its own import accepted if that one failed. FPP
//     refuses a second import of a name, so there is never a second image.
//
// The job list is no help here: GET /jobs gives every job FPP ever ran,
// as bare ids in the documented example, so finding the running import in
// it costs a request per past job.
//
// Unverified: FPP's documents do not say that an image becomes visible
// only when its import has succeeded, nor how a duplicate import is
// refused (409 is not in FPP's status-code table). The emulator assumes
// both; a server that lists the image while it is imported would make a
// retried step reuse it before its job ended.
func (a *FPP) FPPImportImage(ctx context.Context, in FPPImportInput) (FPPImportResult, error) {
	if a.Client == nil {
		return FPPImportResult{}, notConfigured(in.UnitName(), VendorFPP)
	}
	if _, found, err := a.Client.GetImage(ctx, in.ImageName); err != nil {
		return FPPImportResult{}, translate(in.UnitName(), "GetImage", err)
	} else if found {
		return FPPImportResult{Existing: true}, nil
	}
	job, err := a.Client.ImportImage(ctx, fpp.ImportImageInput{ImageName: in.ImageName, Path: in.Path, ImageType: in.ImageType, Client: in.Client})
	if fpp.NameTaken(err) {
		what := fmt.Sprintf("image %s is being imported by an FPP job this attempt did not start (an earlier attempt whose answer was lost, or another pipeline)", in.ImageName)
		return FPPImportResult{}, nameBusy(in.UnitName(), "ImportImage", what, importRunningWait(activity.GetInfo(ctx).Attempt), err)
	}
	if err != nil {
		return FPPImportResult{}, translate(in.UnitName(), "ImportImage", err)
	}
	return FPPImportResult{JobID: job.ID}, nil
}

// FPPFindImageInput names a gold image.
type FPPFindImageInput struct {
	Unit
	ImageName string `json:"image_name"`
}

// FPPImage is whether FPP holds a gold image of the name.
type FPPImage struct {
	Found bool   `json:"found"`
	Name  string `json:"name,omitempty"`
}

// FPPFindImage looks for a gold image by name (GET
// /rhp-restapi/rhp/images/{name}), the look FPPImportImage makes before it
// imports.
func (a *FPP) FPPFindImage(ctx context.Context, in FPPFindImageInput) (FPPImage, error) {
	if a.Client == nil {
		return FPPImage{}, notConfigured(in.UnitName(), VendorFPP)
	}
	_, found, err := a.Client.GetImage(ctx, in.ImageName)
	if err != nil {
		return FPPImage{}, translate(in.UnitName(), "GetImage", err)
	}
	if !found {
		return FPPImage{}, nil
	}
	return FPPImage{Found: true, Name: in.ImageName}, nil
}

// importRunningWait is how long attempt waits before looking again at an
// import someone else runs: the schedule the step would poll that job on
// (10 s, growing by half each time, at most 2 minutes).
func importRunningWait(attempt int32) time.Duration {
	d := 10 * time.Second
	for range max(attempt-1, 0) {
		d = d * 3 / 2
		if d >= 2*time.Minute {
			return 2 * time.Minute
		}
	}
	return d
}

// FPPJobState looks at an FPP job once (GET /rhp-restapi/rhp/jobs/{jobId}).
func (a *FPP) FPPJobState(ctx context.Context, in PollInput) (JobStatus, error) {
	if a.Client == nil {
		return JobStatus{}, notConfigured(in.UnitName(), VendorFPP)
	}
	job, err := a.Client.GetJob(ctx, in.JobID)
	if err != nil {
		return JobStatus{}, translate(in.UnitName(), "GetJob", err)
	}
	if job.Status == "" {
		return JobStatus{}, noStatus(in.UnitName(), "GetJob", in.JobID)
	}
	st := JobStatus{Done: job.Done(), Succeeded: job.Succeeded(), State: string(job.Status), Message: job.Reason}
	if job.ImageName != "" {
		st.Outputs = map[string]string{"image_name": job.ImageName}
	}
	return st, nil
}

// FPPSettings reach an FPP server's REST API (HTTPS, port 8894 by default,
// with the server's own CA), from IMAGEPIPE_FPP_*. The field names are
// fpp.Config's, so its errors name the variable (SettingVars.Refused).
type FPPSettings struct {
	Endpoint string `env:"ENDPOINT"`
	Username string `env:"USERNAME"`
	Password string `env:"PASSWORD"`
	// PasswordFile holds the password instead (a mounted secret).
	PasswordFile string `env:"PASSWORD_FILE,file" fileOf:"Password"`
	CAFile       string `env:"CA_FILE"`
}

// EnvPrefix starts FPP's variables.
func (s *FPPSettings) EnvPrefix() string { return "IMAGEPIPE_FPP_" }

// Where is the FPP server.
func (s *FPPSettings) Where() string { return s.Endpoint }

// Connect builds the FPP client and activities, or nothing when no
// endpoint is set.
func (s *FPPSettings) Connect(vars SettingVars) (any, any, error) {
	return connectAt(vars, s.Endpoint, "the FPP server's https://host:8894",
		func() (*fpp.Client, error) {
			return fpp.New(fpp.Config{Endpoint: s.Endpoint, Username: s.Username, Password: s.Password, CAFile: s.CAFile})
		},
		func(c *fpp.Client) any { return &FPP{Client: c} })
}
