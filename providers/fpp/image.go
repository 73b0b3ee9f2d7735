package fpp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

// ImportImageInput is the ImportImageBody of an import from a software home.
type ImportImageInput struct {
	// ImageName names the new gold image.
	ImageName string
	// Path is the absolute path of the software home to import (the
	// ORACLE_HOME for a database image).
	Path string
	// ImageType is ORACLEDBSOFTWARE (the server's default),
	// ORACLEGISOFTWARE, ORACLEGGSOFTWARE, EXAPATCHSOFTWARE, LINUXOS,
	// SOFTWARE or a custom image type name.
	ImageType string
	// Client is the FPP client cluster holding Path; empty means the
	// server's own cluster.
	Client string
	// PathOwner is the user with read access to the files under Path.
	PathOwner string
	// State is TESTABLE, RESTRICTED or PUBLISHED (the server's default).
	State string
	// Location is the compressed image file on the target, for imports
	// from a zip instead of a home.
	Location string
}

type importImageBody struct {
	ImageName string `json:"imageName"`
	Path      string `json:"path,omitempty"`
	ImageType string `json:"imageType,omitempty"`
	Client    string `json:"client,omitempty"`
	PathOwner string `json:"pathOwner,omitempty"`
	State     string `json:"state,omitempty"`
	Location  string `json:"location,omitempty"`
}

// ImportImage schedules the import of a gold image and returns its job.
// The server validates the input; a refused import is a *vendorerr.Error (400 for
// a bad field).
func (c *Client) ImportImage(ctx context.Context, in ImportImageInput) (Job, error) {
	ans, err := c.call(ctx, OpImportImage, http.MethodPost, "/images", importImageBody(in))
	if err != nil {
		return Job{}, wrap(err, "import image %s", in.ImageName)
	}
	var res jobResource
	if len(ans.body) > 0 {
		if err := json.Unmarshal(ans.body, &res); err != nil {
			return Job{}, fmt.Errorf("import image %s: decode answer: %w", in.ImageName, err)
		}
	}
	job := res.job()
	if job.ID == "" {
		job.ID = jobIDFromLocation(ans.header.Get("Location"))
	}
	if job.ID == "" {
		return Job{}, fmt.Errorf("import image %s: answer %d names no job", in.ImageName, ans.status)
	}
	// The documented 202 body carries no status: an accepted job is
	// scheduled, and an empty status would read as an unknown one.
	if job.Status == "" {
		job.Status = JobScheduled
	}
	if job.ImageName == "" {
		job.ImageName = in.ImageName
	}
	return job, nil
}

// Image is a gold image's configuration (imageResource).
type Image struct {
	// ID is the image name.
	ID string
	// Type is the image type (ORACLEDBSOFTWARE, …) and State its state
	// (TESTABLE, RESTRICTED or PUBLISHED).
	Type  string
	State string
	// HomePath is where the server stores the image's software home.
	HomePath string
	// Version and Platform describe the imported software.
	Version  string
	Platform string
	// Owner owns the image's files; ClientName is the client cluster the
	// image was imported from, if any.
	Owner      string
	ClientName string
	// Size is imageSize as sent. Unverified: the documents give no unit;
	// the documented example (7873 for a database home) reads as MB.
	Size int64
	// Complete reports whether the server considers the image whole.
	Complete bool
	// ParentImage and Patches say what the image was built from.
	ParentImage string
	Patches     []string
}

type imageResource struct {
	ImageID     string   `json:"imageId"`
	ImageType   string   `json:"imageType"`
	ImageState  string   `json:"imageState"`
	HomePath    string   `json:"homePath"`
	Version     string   `json:"version"`
	Platform    string   `json:"platform"`
	Owner       string   `json:"owner"`
	ClientName  string   `json:"clientName"`
	ImageSize   int64    `json:"imageSize"`
	Complete    bool     `json:"complete"`
	ParentImage string   `json:"parentImage"`
	Patches     []string `json:"patches"`
}

// GetImage reads gold image name. It reports false, and no error, when the
// server has no such image: the check a retried import makes before
// importing again.
func (c *Client) GetImage(ctx context.Context, name string) (Image, bool, error) {
	if name == "" {
		return Image{}, false, errors.New("get image: image name is empty")
	}
	ans, err := c.call(ctx, OpGetImage, http.MethodGet, "/images/"+url.PathEscape(name), nil)
	if vendorerr.Is(err, http.StatusNotFound, "") {
		return Image{}, false, nil
	}
	if err != nil {
		return Image{}, false, wrap(err, "get image %s", name)
	}
	var res imageResource
	if err := json.Unmarshal(ans.body, &res); err != nil {
		return Image{}, false, fmt.Errorf("get image %s: decode answer: %w", name, err)
	}
	img := Image{
		ID:          res.ImageID,
		Type:        res.ImageType,
		State:       res.ImageState,
		HomePath:    res.HomePath,
		Version:     res.Version,
		Platform:    res.Platform,
		Owner:       res.Owner,
		ClientName:  res.ClientName,
		Size:        res.ImageSize,
		Complete:    res.Complete,
		ParentImage: res.ParentImage,
		Patches:     res.Patches,
	}
	if img.ID == "" {
		img.ID = name
	}
	return img, true, nil
}
