package oci

import (
	"context"
	"fmt"
	"time"

	"github.com/oracle/oci-go-sdk/v65/identity"
)

// Compartment lifecycle states (Identity API, Compartment.lifecycleState).
const (
	CompartmentCreating = "CREATING"
	CompartmentActive   = "ACTIVE"
	CompartmentInactive = "INACTIVE"
	CompartmentDeleting = "DELETING"
	CompartmentDeleted  = "DELETED"
)

// maxListPages bounds FindCompartment's walk, so a service that kept
// handing out page tokens could not hold an activity forever.
const maxListPages = 1000

// CreateCompartmentInput is a CreateCompartment request. RetryToken (1..64
// characters) is required: derive it from the workflow and step so every
// attempt of one step sends the same token.
type CreateCompartmentInput struct {
	ParentID     string
	Name         string
	Description  string
	FreeformTags map[string]string
	RetryToken   string
}

// Compartment is a compartment as the last call saw it. ETag is empty for
// compartments that came from a list, which carries none.
type Compartment struct {
	ID             string
	ParentID       string
	Name           string
	Description    string
	LifecycleState string
	ETag           string
	RequestID      string
	TimeCreated    time.Time
}

// Done reports whether the compartment has left CREATING: creation, the one
// asynchronous step here, is over one way or the other.
func (c Compartment) Done() bool { return c.LifecycleState != CompartmentCreating }

// Succeeded reports whether the compartment is ready to use.
func (c Compartment) Succeeded() bool { return c.LifecycleState == CompartmentActive }

// FailureReason says why a compartment that is Done is not usable; "" while
// it is CREATING or once it is ACTIVE. A state this package does not know is
// a failure that quotes the state.
func (c Compartment) FailureReason() string {
	switch c.LifecycleState {
	case CompartmentCreating, CompartmentActive:
		return ""
	case CompartmentInactive, CompartmentDeleting, CompartmentDeleted:
		return fmt.Sprintf("compartment %s is %s", c.ID, c.LifecycleState)
	default:
		return fmt.Sprintf("compartment %s is in unknown lifecycle state %q", c.ID, c.LifecycleState)
	}
}

// CreateCompartment creates a compartment under in.ParentID. The answer is
// CREATING; poll GetCompartment until Done. A retry with the same token and
// input gets the first answer back instead of a second compartment.
func (c *Client) CreateCompartment(ctx context.Context, in CreateCompartmentInput) (Compartment, error) {
	what := fmt.Sprintf("create compartment %q", in.Name)
	if err := checkRetryToken(what, in.RetryToken); err != nil {
		return Compartment{}, err
	}
	resp, err := c.identity.CreateCompartment(detach(ctx), identity.CreateCompartmentRequest{
		CreateCompartmentDetails: identity.CreateCompartmentDetails{
			CompartmentId: &in.ParentID,
			Name:          &in.Name,
			Description:   &in.Description,
			FreeformTags:  in.FreeformTags,
		},
		OpcRetryToken:   &in.RetryToken,
		RequestMetadata: noRetry(),
	})
	if err != nil {
		return Compartment{}, callError("CreateCompartment", what, resp.RawResponse, err)
	}
	return withID(what, fromSDKCompartment(resp.Compartment, deref(resp.Etag), deref(resp.OpcRequestId)))
}

// GetCompartment reads compartment id; this is the poll that follows
// CreateCompartment.
func (c *Client) GetCompartment(ctx context.Context, id string) (Compartment, error) {
	what := "get compartment " + id
	if id == "" {
		return Compartment{}, invalidInput(what, "compartment id is required")
	}
	resp, err := c.identity.GetCompartment(detach(ctx), identity.GetCompartmentRequest{
		CompartmentId:   &id,
		RequestMetadata: noRetry(),
	})
	if err != nil {
		return Compartment{}, callError("GetCompartment", what, resp.RawResponse, err)
	}
	return withID(what, fromSDKCompartment(resp.Compartment, deref(resp.Etag), deref(resp.OpcRequestId)))
}

// FindCompartment looks for a live compartment called name directly under
// parentID, following every page; DELETING and DELETED ones do not count, as
// they no longer hold the name. It lets a step that lost its retry token's
// 24 hours still find the compartment it made, and a step that lost a race
// for the name find the winner's.
func (c *Client) FindCompartment(ctx context.Context, parentID, name string) (Compartment, bool, error) {
	list, err := c.ListCompartments(ctx, parentID, name)
	if err != nil || len(list) == 0 {
		return Compartment{}, false, err
	}
	return list[0], true, nil
}

// ListCompartments lists the live compartments called name directly under
// parentID (ListCompartments with a name filter), following every page,
// in the service's order. Identity keeps names unique under a parent, so
// more than one means the service broke that rule.
func (c *Client) ListCompartments(ctx context.Context, parentID, name string) ([]Compartment, error) {
	what := fmt.Sprintf("find compartment %q in %s", name, parentID)
	if parentID == "" || name == "" {
		return nil, invalidInput(what, "parent id and name are required")
	}
	var out []Compartment
	var page *string
	for range maxListPages {
		resp, err := c.identity.ListCompartments(detach(ctx), identity.ListCompartmentsRequest{
			CompartmentId:   &parentID,
			Name:            &name,
			Page:            page,
			RequestMetadata: noRetry(),
		})
		if err != nil {
			return nil, callError("ListCompartments", what, resp.RawResponse, err)
		}
		for _, item := range resp.Items {
			if deref(item.Name) != name {
				continue
			}
			switch item.LifecycleState {
			case identity.CompartmentLifecycleStateDeleting, identity.CompartmentLifecycleStateDeleted:
				continue
			}
			c, err := withID(what, fromSDKCompartment(item, "", deref(resp.OpcRequestId)))
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
		if resp.OpcNextPage == nil || *resp.OpcNextPage == "" {
			return out, nil
		}
		page = resp.OpcNextPage
	}
	return nil, fmt.Errorf("%s: still more pages after %d", what, maxListPages)
}

// withID refuses a compartment the answer gave no id: every later step
// names it by id, and an empty one would be taken for the tenancy's.
func withID(what string, c Compartment) (Compartment, error) {
	if c.ID == "" {
		return Compartment{}, fmt.Errorf("%s: the answer names no compartment id (request id %s)", what, c.RequestID)
	}
	return c, nil
}

func fromSDKCompartment(m identity.Compartment, etag, requestID string) Compartment {
	out := Compartment{
		ID:             deref(m.Id),
		ParentID:       deref(m.CompartmentId),
		Name:           deref(m.Name),
		Description:    deref(m.Description),
		LifecycleState: string(m.LifecycleState),
		ETag:           etag,
		RequestID:      requestID,
	}
	if m.TimeCreated != nil {
		out.TimeCreated = m.TimeCreated.Time
	}
	return out
}
