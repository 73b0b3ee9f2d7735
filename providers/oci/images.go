package oci

import (
	"context"
	"fmt"

	"github.com/oracle/oci-go-sdk/v65/core"
)

// Image lifecycle states (Core API, Image.lifecycleState).
const (
	ImageProvisioning = "PROVISIONING"
	ImageImporting    = "IMPORTING"
	ImageAvailable    = "AVAILABLE"
	ImageExporting    = "EXPORTING"
	ImageDisabled     = "DISABLED"
	ImageDeleted      = "DELETED"
)

// Image is an image as GetImage saw it. ETag feeds
// ChangeImageCompartmentInput.IfMatch.
type Image struct {
	ID             string
	CompartmentID  string
	DisplayName    string
	LifecycleState string
	ETag           string
	RequestID      string
}

// ChangeImageCompartmentInput moves ImageID into CompartmentID. IfMatch,
// when set, is the etag the caller read: the move happens only if nobody
// changed the image since (else 412 NoEtagMatch). RetryToken (1..64
// characters) is required.
type ChangeImageCompartmentInput struct {
	ImageID       string
	CompartmentID string
	IfMatch       string
	RetryToken    string
}

// ChangeResult is the answer to a move: the image's new etag and the
// request id.
type ChangeResult struct {
	ETag      string
	RequestID string
}

// GetImage reads image id.
func (c *Client) GetImage(ctx context.Context, id string) (Image, error) {
	what := "get image " + id
	if id == "" {
		return Image{}, invalidInput(what, "image id is required")
	}
	resp, err := c.compute.GetImage(detach(ctx), core.GetImageRequest{
		ImageId:         &id,
		RequestMetadata: noRetry(),
	})
	if err != nil {
		return Image{}, callError("GetImage", what, resp.RawResponse, err)
	}
	if resp.Id == nil || *resp.Id == "" {
		return Image{}, fmt.Errorf("%s: the answer names no image id (request id %s)", what, deref(resp.OpcRequestId))
	}
	return Image{
		ID:             deref(resp.Id),
		CompartmentID:  deref(resp.CompartmentId),
		DisplayName:    deref(resp.DisplayName),
		LifecycleState: string(resp.LifecycleState),
		ETag:           deref(resp.Etag),
		RequestID:      deref(resp.OpcRequestId),
	}, nil
}

// ChangeImageCompartment moves an image to another compartment of the same
// tenancy. It is synchronous (204). A retry with the same token and target
// gets the first answer again, even though the first move made IfMatch stale.
func (c *Client) ChangeImageCompartment(ctx context.Context, in ChangeImageCompartmentInput) (ChangeResult, error) {
	what := fmt.Sprintf("move image %s to %s", in.ImageID, in.CompartmentID)
	if in.ImageID == "" || in.CompartmentID == "" {
		return ChangeResult{}, invalidInput(what, "image id and compartment id are required")
	}
	if err := checkRetryToken(what, in.RetryToken); err != nil {
		return ChangeResult{}, err
	}
	resp, err := c.compute.ChangeImageCompartment(detach(ctx), core.ChangeImageCompartmentRequest{
		ImageId: &in.ImageID,
		ChangeImageCompartmentDetails: core.ChangeImageCompartmentDetails{
			CompartmentId: &in.CompartmentID,
		},
		IfMatch:         optional(in.IfMatch),
		OpcRetryToken:   &in.RetryToken,
		RequestMetadata: noRetry(),
	})
	if err != nil {
		return ChangeResult{}, callError("ChangeImageCompartment", what, resp.RawResponse, err)
	}
	return ChangeResult{ETag: deref(resp.Etag), RequestID: deref(resp.OpcRequestId)}, nil
}
