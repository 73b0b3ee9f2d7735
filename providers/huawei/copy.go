package huawei

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// CopyImageInput is an in-region image copy (IMS "Replicating an Image
// Within a Region"). Optional fields are left out of the request when empty.
type CopyImageInput struct {
	// SourceImageID is the private image to copy.
	SourceImageID string
	// Name is the new image's name: 1 to 128 letters, digits, spaces, "-",
	// "_" or ".", not starting or ending with a space.
	Name string
	// Description is at most 1024 characters, without carriage returns or
	// angle brackets.
	Description string
	// CMKID is a KMS key id to encrypt the copy with.
	CMKID string
	// EnterpriseProjectID places the copy in an enterprise project ("0" is
	// the default one).
	EnterpriseProjectID string
}

type copyImageRequest struct {
	Name                string `json:"name"`
	Description         string `json:"description,omitempty"`
	CMKID               string `json:"cmk_id,omitempty"`
	EnterpriseProjectID string `json:"enterprise_project_id,omitempty"`
}

type jobAnswer struct {
	JobID string `json:"job_id"`
}

// CopyImage asks IMS to copy an image within the region and returns the id
// of the asynchronous job doing it; poll it with GetJob. The API has no
// idempotency token, so a retry after a lost answer starts a second copy:
// call FindImageByName first and copy only when it finds nothing.
func (c *Client) CopyImage(ctx context.Context, in CopyImageInput) (jobID string, err error) {
	if in.SourceImageID == "" {
		return "", errors.New("copy image: SourceImageID is empty")
	}
	var out jobAnswer
	err = c.call(ctx, OpCopyImageInRegion, http.MethodPost,
		"/v1/cloudimages/"+url.PathEscape(in.SourceImageID)+"/copy", nil,
		copyImageRequest{Name: in.Name, Description: in.Description, CMKID: in.CMKID, EnterpriseProjectID: in.EnterpriseProjectID},
		&out)
	if err != nil {
		return "", fmt.Errorf("copy image %s: %w", in.SourceImageID, err)
	}
	if out.JobID == "" {
		return "", fmt.Errorf("copy image %s: answer carried no job_id", in.SourceImageID)
	}
	return out.JobID, nil
}
