package activities

import (
	"context"
	"fmt"

	"github.com/imagepipe/imagepipe/providers/zstack"
)

// ZStackClient is what the ZStack activities need of the ZStack client.
type ZStackClient interface {
	GetImage(ctx context.Context, uuid string) (zstack.Image, error)
	UpdateImage(ctx context.Context, in zstack.UpdateImageInput) (zstack.Update, error)
	GetJob(ctx context.Context, location string) (zstack.Job, error)
}

// VendorZStack is the vendor as its error types and the registry name it.
const VendorZStack = "zstack"

// ZStack are the ZStack activities. A nil Client means the worker was started
// without ZStack's configuration; the activities then fail without retry,
// saying so.
type ZStack struct {
	Client ZStackClient
}

// ZStackImage is the part of a ZStack image a pipeline changes, and so the
// part rollback restores.
type ZStackImage struct {
	UUID         string `json:"uuid"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	GuestOSType  string `json:"guest_os_type"`
	Platform     string `json:"platform"`
	Architecture string `json:"architecture"`
}

func zstackImage(img zstack.Image) ZStackImage {
	return ZStackImage{UUID: img.UUID, Name: img.Name, Description: img.Description, GuestOSType: img.GuestOSType, Platform: img.Platform, Architecture: img.Architecture}
}

// ZStackImageInput names an image.
type ZStackImageInput struct {
	Unit
	UUID string `json:"uuid"`
}

// ZStackGetImage reads an image's attributes (QueryImage), before an update
// changes them.
func (a *ZStack) ZStackGetImage(ctx context.Context, in ZStackImageInput) (ZStackImage, error) {
	if a.Client == nil {
		return ZStackImage{}, notConfigured(in.UnitName(), VendorZStack)
	}
	img, err := a.Client.GetImage(ctx, in.UUID)
	if err != nil {
		return ZStackImage{}, translate(in.UnitName(), "QueryImage", err)
	}
	return zstackImage(img), nil
}

// ZStackUpdateInput changes an image's attributes; nil ones stay as they
// are. IdempotencyKey becomes the X-Job-UUID, so a retry after ZStack
// accepted the update finds the first job instead of starting another.
type ZStackUpdateInput struct {
	Unit
	UUID           string   `json:"uuid"`
	Name           *string  `json:"name,omitempty"`
	Description    *string  `json:"description,omitempty"`
	GuestOSType    *string  `json:"guest_os_type,omitempty"`
	Platform       *string  `json:"platform,omitempty"`
	Architecture   *string  `json:"architecture,omitempty"`
	SystemTags     []string `json:"system_tags,omitempty"`
	UserTags       []string `json:"user_tags,omitempty"`
	IdempotencyKey string   `json:"idempotency_key"`
}

// ZStackJobLocation is where the api-job of an update sent with
// idempotencyKey can be polled, whether or not the update's answer arrived:
// the key names the job (X-Job-UUID), so rollback can wait for an update
// that may have landed.
func ZStackJobLocation(idempotencyKey string) string {
	return "/zstack/v1/api-jobs/" + zstack.JobUUIDFromKey(idempotencyKey)
}

// ZStackUpdateResult is the updated image when ZStack answered at once, or
// the api-job to wait for.
type ZStackUpdateResult struct {
	Done     bool        `json:"done"`
	Image    ZStackImage `json:"image"`
	Location string      `json:"location,omitempty"`
}

// ZStackUpdateImage updates an image (PUT /zstack/v1/images/{uuid}/actions,
// updateImage).
func (a *ZStack) ZStackUpdateImage(ctx context.Context, in ZStackUpdateInput) (ZStackUpdateResult, error) {
	if a.Client == nil {
		return ZStackUpdateResult{}, notConfigured(in.UnitName(), VendorZStack)
	}
	if in.IdempotencyKey == "" {
		return ZStackUpdateResult{}, invalid(in.UnitName(), "update image %s without an idempotency key", in.UUID)
	}
	up, err := a.Client.UpdateImage(ctx, zstack.UpdateImageInput{
		UUID: in.UUID, Name: in.Name, Description: in.Description, GuestOSType: in.GuestOSType,
		Platform: in.Platform, Architecture: in.Architecture, SystemTags: in.SystemTags, UserTags: in.UserTags,
		JobUUID: zstack.JobUUIDFromKey(in.IdempotencyKey),
	})
	if err != nil {
		return ZStackUpdateResult{}, translate(in.UnitName(), "UpdateImage", err)
	}
	return ZStackUpdateResult{Done: up.Done, Image: zstackImage(up.Image), Location: up.Location}, nil
}

// ZStackJobState polls a ZStack api-job once (GET its location). Any error
// on the poll is retried, SYS.1012 included (see zstack.Client.GetJob); a
// SYS.1012 that persists over ambiguousPollAttempts attempts is the job's
// own end: the node that ran it left, and whether it applied is unknown.
func (a *ZStack) ZStackJobState(ctx context.Context, in PollInput) (JobStatus, error) {
	if a.Client == nil {
		return JobStatus{}, notConfigured(in.UnitName(), VendorZStack)
	}
	job, err := a.Client.GetJob(ctx, in.JobID)
	if zstack.NodeUnavailable(err) {
		if n, believed := pollAttempt(ctx); believed {
			return JobStatus{Done: true, State: string(zstack.JobFailed), Message: fmt.Sprintf(
				"%v, on %d polls in a row: the job ended with the management node that ran it, and whether it applied is unknown", err, n)}, nil
		}
	}
	if err != nil {
		return JobStatus{}, translate(in.UnitName(), "GetAPIJob", err)
	}
	st := JobStatus{Done: job.Done(), Succeeded: job.Succeeded(), State: string(job.State)}
	if !job.Succeeded() && job.Done() {
		st.Message = job.Code + " " + job.Reason
	}
	if job.Succeeded() {
		st.Percent = 100
		st.Outputs = map[string]string{"image_uuid": job.Image.UUID, "name": job.Image.Name}
	}
	return st, nil
}

// ZStackSettings are a ZStack management node and an account, from
// IMAGEPIPE_ZSTACK_*. The field names are zstack.Config's, so its errors
// name the variable (SettingVars.Refused).
type ZStackSettings struct {
	Endpoint    string `env:"ENDPOINT"`
	AccountName string `env:"ACCOUNT"`
	Password    string `env:"PASSWORD"`
	// PasswordFile holds the password instead (a mounted secret).
	PasswordFile string `env:"PASSWORD_FILE,file" fileOf:"Password"`
}

// EnvPrefix starts ZStack's variables.
func (s *ZStackSettings) EnvPrefix() string { return "IMAGEPIPE_ZSTACK_" }

// Where is the management node.
func (s *ZStackSettings) Where() string { return s.Endpoint }

// Connect builds the ZStack client and activities, or nothing when no
// endpoint is set.
func (s *ZStackSettings) Connect(vars SettingVars) (any, any, error) {
	return connectAt(vars, s.Endpoint, "the management node's http(s)://host:port",
		func() (*zstack.Client, error) {
			return zstack.New(zstack.Config{Endpoint: s.Endpoint, AccountName: s.AccountName, Password: s.Password})
		},
		func(c *zstack.Client) any { return &ZStack{Client: c} })
}
