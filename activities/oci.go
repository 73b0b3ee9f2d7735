package activities

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

// OCIClient is what the OCI activities need of the OCI client.
type OCIClient interface {
	FindCompartment(ctx context.Context, parentID, name string) (oci.Compartment, bool, error)
	CreateCompartment(ctx context.Context, in oci.CreateCompartmentInput) (oci.Compartment, error)
	GetCompartment(ctx context.Context, id string) (oci.Compartment, error)
	GetImage(ctx context.Context, id string) (oci.Image, error)
	ChangeImageCompartment(ctx context.Context, in oci.ChangeImageCompartmentInput) (oci.ChangeResult, error)
}

// VendorOCI is the vendor as its error types and the registry name it.
const VendorOCI = "oci"

// OCI are the OCI activities. A nil Client means the worker was started
// without OCI's configuration; the activities then fail without retry,
// saying so.
type OCI struct {
	Client OCIClient
}

// FindCompartmentInput names a compartment by its parent and name.
type FindCompartmentInput struct {
	Unit
	ParentID string `json:"parent_id"`
	Name     string `json:"name"`
}

// Compartment is an OCI compartment as a workflow sees it.
type Compartment struct {
	Found          bool   `json:"found"`
	ID             string `json:"id,omitempty"`
	Name           string `json:"name,omitempty"`
	LifecycleState string `json:"lifecycle_state,omitempty"`
	// Existing marks a compartment a create found already holding the
	// name (another pipeline won the race for it): reused, not created.
	Existing bool `json:"existing,omitempty"`
}

// Active reports whether the compartment can be used.
func (c Compartment) Active() bool { return c.LifecycleState == oci.CompartmentActive }

// Creating reports whether the compartment is still being created.
func (c Compartment) Creating() bool { return c.LifecycleState == oci.CompartmentCreating }

// OCIFindCompartment looks for a live compartment of the given name in the
// parent (ListCompartments), so a pipeline reuses one instead of failing on
// a duplicate name.
func (a *OCI) OCIFindCompartment(ctx context.Context, in FindCompartmentInput) (Compartment, error) {
	if a.Client == nil {
		return Compartment{}, notConfigured(in.UnitName(), VendorOCI)
	}
	c, found, err := a.Client.FindCompartment(ctx, in.ParentID, in.Name)
	if err != nil {
		return Compartment{}, translate(in.UnitName(), "ListCompartments", err)
	}
	if !found {
		return Compartment{}, nil
	}
	return Compartment{Found: true, ID: c.ID, Name: c.Name, LifecycleState: c.LifecycleState}, nil
}

// CreateCompartmentInput is a compartment to create. IdempotencyKey becomes
// the opc-retry-token, the same on every attempt of the step.
type CreateCompartmentInput struct {
	Unit
	ParentID       string            `json:"parent_id"`
	Name           string            `json:"name"`
	Description    string            `json:"description"`
	FreeformTags   map[string]string `json:"freeform_tags,omitempty"`
	IdempotencyKey string            `json:"idempotency_key"`
}

// OCICreateCompartment creates a compartment (it starts CREATING). A retry
// after the vendor accepted the first attempt replays that attempt's answer:
// the retry token makes the create happen once.
//
// A create that loses a race for the name (another pipeline created it
// between this step's look and its create) gets Identity's 409
// CompartmentAlreadyExists ("A compartment with name 'x' already exists.",
// as quoted in oracle/terraform-provider-oci#725). The name is the step's
// whichever pipeline made it, so the activity finds the winner's
// compartment and returns it as Existing; the step then waits for it to be
// ACTIVE like one it made. Should the list not show it yet (Identity's
// reads are eventually consistent), the activity retries.
func (a *OCI) OCICreateCompartment(ctx context.Context, in CreateCompartmentInput) (Compartment, error) {
	if a.Client == nil {
		return Compartment{}, notConfigured(in.UnitName(), VendorOCI)
	}
	if in.IdempotencyKey == "" {
		return Compartment{}, invalid(in.UnitName(), "create compartment %q without an idempotency key", in.Name)
	}
	c, err := a.Client.CreateCompartment(ctx, oci.CreateCompartmentInput{
		ParentID:     in.ParentID,
		Name:         in.Name,
		Description:  in.Description,
		FreeformTags: in.FreeformTags,
		RetryToken:   in.IdempotencyKey,
	})
	if vendorerr.Is(err, http.StatusConflict, oci.CodeCompartmentAlreadyExists) {
		return a.ociWinner(ctx, in, err)
	}
	if err != nil {
		return Compartment{}, translate(in.UnitName(), "CreateCompartment", err)
	}
	return Compartment{Found: true, ID: c.ID, Name: c.Name, LifecycleState: c.LifecycleState}, nil
}

// listLagWait is how long a create that lost a race waits before looking
// again when the winner's compartment is not listed yet.
const listLagWait = 5 * time.Second

// ociWinner finds the compartment that holds the name a create was refused
// for (refused is that answer).
func (a *OCI) ociWinner(ctx context.Context, in CreateCompartmentInput, refused error) (Compartment, error) {
	c, found, err := a.Client.FindCompartment(ctx, in.ParentID, in.Name)
	if err != nil {
		return Compartment{}, translate(in.UnitName(), "ListCompartments", err)
	}
	if !found {
		what := fmt.Sprintf("compartment %s exists in %s but is not listed yet", in.Name, in.ParentID)
		return Compartment{}, nameBusy(in.UnitName(), "CreateCompartment", what, listLagWait, refused)
	}
	return Compartment{Found: true, Existing: true, ID: c.ID, Name: c.Name, LifecycleState: c.LifecycleState}, nil
}

// GetCompartmentInput names an OCI compartment by its OCID.
type GetCompartmentInput struct {
	Unit
	CompartmentID string `json:"compartment_id"`
}

// OCIGetCompartment reads a compartment (GET
// /20160918/compartments/{compartmentId}), so a plan can say that a move's
// target does not exist. Unlike OCICompartmentState it believes a 404 at
// once: a plan reads compartments that existed before it started, not ones
// it just created.
func (a *OCI) OCIGetCompartment(ctx context.Context, in GetCompartmentInput) (Compartment, error) {
	if a.Client == nil {
		return Compartment{}, notConfigured(in.UnitName(), VendorOCI)
	}
	c, err := a.Client.GetCompartment(ctx, in.CompartmentID)
	if err != nil {
		return Compartment{}, translate(in.UnitName(), "GetCompartment", err)
	}
	return Compartment{Found: true, ID: c.ID, Name: c.Name, LifecycleState: c.LifecycleState}, nil
}

// OCICompartmentState reads a compartment's lifecycle state (GetCompartment)
// as a job: done when ACTIVE, failed when it went anywhere but ACTIVE.
// Identity is eventually consistent: a compartment just created can be
// NotAuthorizedOrNotFound for a while (the OCI SDK retries that answer for
// 240 s after an Identity change, identity_client.go:
// UpdateEndOfWindow(240 s)), so a 404 is retried until it has persisted
// over ambiguousPollAttempts attempts, about four minutes.
func (a *OCI) OCICompartmentState(ctx context.Context, in PollInput) (JobStatus, error) {
	if a.Client == nil {
		return JobStatus{}, notConfigured(in.UnitName(), VendorOCI)
	}
	c, err := a.Client.GetCompartment(ctx, in.JobID)
	if vendorerr.Is(err, http.StatusNotFound, "") {
		if _, believed := pollAttempt(ctx); !believed {
			return JobStatus{}, translatePassing(in.UnitName(), "GetCompartment", err)
		}
	}
	if err != nil {
		return JobStatus{}, translate(in.UnitName(), "GetCompartment", err)
	}
	if c.LifecycleState == "" {
		return JobStatus{}, noStatus(in.UnitName(), "GetCompartment", in.JobID)
	}
	st := JobStatus{Done: c.Done(), Succeeded: c.Succeeded(), State: c.LifecycleState, Message: c.FailureReason(),
		Outputs: map[string]string{"compartment_id": c.ID}}
	if st.Succeeded {
		st.Percent = 100
	}
	return st, nil
}

// GetImageInput names an image.
type GetImageInput struct {
	Unit
	ImageID string `json:"image_id"`
}

// Image is an OCI image as a workflow sees it: where it is and its etag.
type Image struct {
	ID             string `json:"id"`
	CompartmentID  string `json:"compartment_id"`
	LifecycleState string `json:"lifecycle_state"`
	ETag           string `json:"etag"`
}

// OCIGetImage reads an image's compartment and etag, for the if-match of the
// move that follows and for moving it back on rollback.
func (a *OCI) OCIGetImage(ctx context.Context, in GetImageInput) (Image, error) {
	if a.Client == nil {
		return Image{}, notConfigured(in.UnitName(), VendorOCI)
	}
	img, err := a.Client.GetImage(ctx, in.ImageID)
	if err != nil {
		return Image{}, translate(in.UnitName(), "GetImage", err)
	}
	return Image{ID: img.ID, CompartmentID: img.CompartmentID, LifecycleState: img.LifecycleState, ETag: img.ETag}, nil
}

// MoveImageInput moves an image. IfMatch is the etag read just before: if
// anyone changed the image since, the vendor refuses (412) and the step
// fails at once rather than overwrite their change.
type MoveImageInput struct {
	Unit
	ImageID        string `json:"image_id"`
	CompartmentID  string `json:"compartment_id"`
	IfMatch        string `json:"if_match"`
	IdempotencyKey string `json:"idempotency_key"`
}

// MoveImageResult is the image's new etag.
type MoveImageResult struct {
	ETag string `json:"etag"`
}

// OCIChangeImageCompartment moves an image to another compartment.
func (a *OCI) OCIChangeImageCompartment(ctx context.Context, in MoveImageInput) (MoveImageResult, error) {
	if a.Client == nil {
		return MoveImageResult{}, notConfigured(in.UnitName(), VendorOCI)
	}
	if in.IdempotencyKey == "" {
		return MoveImageResult{}, invalid(in.UnitName(), "move image %s without an idempotency key", in.ImageID)
	}
	res, err := a.Client.ChangeImageCompartment(ctx, oci.ChangeImageCompartmentInput{
		ImageID:       in.ImageID,
		CompartmentID: in.CompartmentID,
		IfMatch:       in.IfMatch,
		RetryToken:    in.IdempotencyKey,
	})
	if err != nil {
		return MoveImageResult{}, translate(in.UnitName(), "ChangeImageCompartment", err)
	}
	return MoveImageResult{ETag: res.ETag}, nil
}

// OCISettings sign OCI requests with an API key from an OCI SDK config
// file (the one the OCI CLI writes), or as the compute instance the worker
// runs on (an instance principal), with no key to keep; from
// IMAGEPIPE_OCI_*.
type OCISettings struct {
	// Auth is api_key (ConfigFile and Profile) or instance_principal.
	Auth       string `env:"AUTH" envDefault:"api_key"`
	ConfigFile string `env:"CONFIG_FILE"`
	Profile    string `env:"PROFILE" envDefault:"DEFAULT"`
	// Endpoint overrides the Identity and Core endpoints, e.g. to reach the
	// emulator; empty means the region's public endpoints.
	Endpoint string `env:"ENDPOINT"`
}

// OCI's ways to sign, the values of IMAGEPIPE_OCI_AUTH.
const (
	OCIAPIKey            = "api_key"
	OCIInstancePrincipal = "instance_principal"
)

// NewOCIInstancePrincipal is the OCI SDK's instance-principal client;
// tests replace it, having no OCI instance metadata service to reach.
var NewOCIInstancePrincipal = oci.NewInstancePrincipal

// EnvPrefix starts OCI's variables.
func (s *OCISettings) EnvPrefix() string { return "IMAGEPIPE_OCI_" }

// Where is the config file, or the instance principal.
func (s *OCISettings) Where() string {
	if s.Auth == OCIInstancePrincipal {
		return "instance principal"
	}
	return s.ConfigFile
}

// Connect builds the OCI client and activities, or nothing when signing
// by API key without a config file.
func (s *OCISettings) Connect(vars SettingVars) (any, any, error) {
	c, err := s.client(vars)
	if c == nil {
		return nil, nil, err
	}
	return c, &OCI{Client: c}, nil
}

func (s *OCISettings) client(vars SettingVars) (*oci.Client, error) {
	switch s.Auth {
	case OCIAPIKey:
	case OCIInstancePrincipal:
		return s.instancePrincipalClient(vars)
	default:
		return nil, &SettingsError{[]string{fmt.Sprintf("%s=%q: not a way to sign OCI requests; want %s (an API key from %s, the default) or %s (the compute instance's own identity)",
			vars.Of["Auth"], s.Auth, OCIAPIKey, vars.Of["ConfigFile"], OCIInstancePrincipal)}}
	}
	if s.ConfigFile == "" {
		return nil, vars.Unused("ConfigFile", "the path of an OCI config file (the one oci setup config writes)")
	}
	file := fmt.Sprintf("%s=%q", vars.Of["ConfigFile"], s.ConfigFile)
	cfg, err := oci.ReadConfigFile(s.ConfigFile, s.Profile)
	switch {
	case errors.Is(err, oci.ErrNoProfile):
		return nil, &SettingsError{[]string{fmt.Sprintf("%s=%q: %v; want a profile the file has, or unset it for DEFAULT", vars.Of["Profile"], s.Profile, err)}}
	case err != nil:
		return nil, &SettingsError{[]string{fmt.Sprintf("%s: %v; want the path of an OCI config file (the one oci setup config writes)", file, err)}}
	}
	if s.Endpoint != "" {
		cfg.Endpoint = s.Endpoint
	}
	client, err := oci.New(cfg)
	if err == nil {
		return client, nil
	}
	problems := &SettingsError{}
	for _, e := range Leaves(err) {
		var ce *oci.ConfigError
		switch {
		case errors.As(e, &ce) && ce.Field == "Endpoint" && s.Endpoint != "":
			problems.Add("%s: %s", vars.Of["Endpoint"], ce.Problem)
		case errors.As(e, &ce):
			problems.Add("%s, profile [%s], key %s: %s", file, s.Profile, ce.Key, ce.Problem)
		default:
			problems.Add("%s: %v", file, e)
		}
	}
	return nil, problems
}

// instancePrincipalClient signs as the compute instance. A config file or
// profile alongside is refused: it would be ignored, and whoever set it
// meant an API key.
func (s *OCISettings) instancePrincipalClient(vars SettingVars) (*oci.Client, error) {
	var set []string
	for _, field := range []string{"ConfigFile", "Profile"} {
		if vars.Set[field] {
			set = append(set, vars.Of[field])
		}
	}
	if len(set) > 0 {
		return nil, &SettingsError{[]string{fmt.Sprintf("%s=%s takes no config file, but %s is set; unset it, or set %s=%s to sign with the file's API key",
			vars.Of["Auth"], OCIInstancePrincipal, strings.Join(set, " and "), vars.Of["Auth"], OCIAPIKey)}}
	}
	client, err := NewOCIInstancePrincipal(oci.ProviderOptions{Endpoint: s.Endpoint})
	var ce *oci.ConfigError
	switch {
	case errors.As(err, &ce) && ce.Field == "Endpoint":
		return nil, &SettingsError{[]string{fmt.Sprintf("%s: %s", vars.Of["Endpoint"], ce.Problem)}}
	case err != nil:
		return nil, &SettingsError{[]string{fmt.Sprintf("%s=%s: %v", vars.Of["Auth"], OCIInstancePrincipal, err)}}
	}
	return client, nil
}
