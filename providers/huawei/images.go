package huawei

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// Image statuses IMS documents ("Image Attributes").
const (
	ImageQueued  = "queued" // metadata created, waiting for the image data
	ImageSaving  = "saving" // data being written to the backend store
	ImageActive  = "active" // usable
	ImageKilled  = "killed" // the upload failed
	ImageDeleted = "deleted"
)

// Image is the part of an IMS image record a pipeline needs.
type Image struct {
	ID          string
	Name        string
	Status      string // one of the Image* status constants
	Owner       string // the project that owns it
	Visibility  string // private, public or shared
	ImageType   string // __imagetype: gold, private, shared or market
	Description string
	CreatedAt   string // as IMS wrote it, UTC
	UpdatedAt   string
}

// Active reports whether the image is ready to use.
func (i Image) Active() bool { return i.Status == ImageActive }

type imageRecord struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Status      string `json:"status"`
	Owner       string `json:"owner"`
	Visibility  string `json:"visibility"`
	ImageType   string `json:"__imagetype"`
	Description string `json:"__description"`
	CreatedAt   string `json:"created_at"`
	UpdatedAt   string `json:"updated_at"`
}

type listImagesResponse struct {
	Images []imageRecord `json:"images"`
}

// FindImageByName looks for a private image of this project named exactly
// name (GET /v2/cloudimages?name=...&__imagetype=private), for
// check-before-create: IMS lists a copy under its new name from the moment
// the copy is accepted (queued, then saving, then active), so a retried step
// finds the first attempt's copy instead of starting another. Public images
// that happen to share the name are not matches.
//
// Images being deleted or whose upload failed (killed) do not count. When
// several match, an active one wins over one in progress, and the newest
// wins among equals. The bool is false when nothing matches.
func (c *Client) FindImageByName(ctx context.Context, name string) (Image, bool, error) {
	list, err := c.ListImagesByName(ctx, name)
	if err != nil {
		return Image{}, false, err
	}
	var best Image
	found := false
	for _, img := range list {
		if img.Status == ImageDeleted || img.Status == ImageKilled {
			continue
		}
		if !found || better(img, best) {
			best, found = img, true
		}
	}
	return best, found, nil
}

// ListImagesByName lists every private image of this project named
// exactly name, whatever its status, in IMS's order (one request, GET
// /v2/cloudimages?name=...&__imagetype=private). IMS does not keep image
// names unique, so this is how duplicates are counted.
func (c *Client) ListImagesByName(ctx context.Context, name string) ([]Image, error) {
	if name == "" {
		return nil, errors.New("find image by name: name is empty")
	}
	q := url.Values{}
	q.Set("name", name)
	q.Set("__imagetype", "private")
	var out listImagesResponse
	if err := c.call(ctx, OpListImages, http.MethodGet, "/v2/cloudimages", q, nil, &out); err != nil {
		return nil, fmt.Errorf("find image %q: %w", name, err)
	}
	var list []Image
	for _, r := range out.Images {
		// The name filter is exact on IMS; checking again keeps a lenient
		// server from handing back a near match.
		if r.Name == name {
			list = append(list, Image(r))
		}
	}
	return list, nil
}

// better reports whether a should be preferred over b.
func better(a, b Image) bool {
	if a.Active() != b.Active() {
		return a.Active()
	}
	return a.CreatedAt > b.CreatedAt
}
