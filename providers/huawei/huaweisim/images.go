package huaweisim

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Image statuses ("Image Attributes"). A copy is queued while its job is
// INIT, saving while RUNNING, active on SUCCESS, and gone after FAIL.
const (
	StatusQueued = "queued"
	StatusSaving = "saving"
	StatusActive = "active"
)

// Image is an image record the emulator holds.
type Image struct {
	ID                  string
	Name                string
	Status              string
	Owner               string // owning project; empty for public (gold) images
	Visibility          string // private, public or shared
	ImageType           string // __imagetype: private, gold or shared
	Description         string
	OSType              string // __os_type: Linux, Windows or Other
	Platform            string // __platform, e.g. Ubuntu
	MinDisk             int    // GB
	CMKID               string // KMS key of an encrypted copy
	EnterpriseProjectID string
	SourceImageID       string // for a copy, the image it was copied from
	JobID               string // for a copy, the job that makes it
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// imageTime is how IMS writes image timestamps, e.g. "2018-09-06T14:03:27Z".
const imageTime = "2006-01-02T15:04:05Z"

// imageJSON is an image as ListImages renders it: the fields the official
// SDK's ImageInfo requires, and those a client filters on.
type imageJSON struct {
	ImageSize           string   `json:"__image_size"`
	ImageSourceType     string   `json:"__image_source_type"`
	ImageType           string   `json:"__imagetype"`
	IsRegistered        string   `json:"__isregistered"`
	OSType              string   `json:"__os_type"`
	OSBit               string   `json:"__os_bit"`
	Platform            string   `json:"__platform"`
	Description         string   `json:"__description,omitempty"`
	OriginalImageName   string   `json:"__originalimagename,omitempty"`
	SystemCMKID         string   `json:"__system__cmkid,omitempty"`
	ContainerFormat     string   `json:"container_format"`
	DiskFormat          string   `json:"disk_format"`
	CreatedAt           string   `json:"created_at"`
	UpdatedAt           string   `json:"updated_at"`
	ActiveAt            string   `json:"active_at"`
	EnterpriseProjectID string   `json:"enterprise_project_id,omitempty"`
	File                string   `json:"file"`
	ID                  string   `json:"id"`
	MinDisk             int      `json:"min_disk"`
	MinRAM              int      `json:"min_ram"`
	Name                string   `json:"name"`
	Owner               string   `json:"owner"`
	Protected           bool     `json:"protected"`
	Schema              string   `json:"schema"`
	Self                string   `json:"self"`
	Status              string   `json:"status"`
	Tags                []string `json:"tags"`
	VirtualEnvType      string   `json:"virtual_env_type"`
	Visibility          string   `json:"visibility"`
}

func (img *Image) json() imageJSON {
	active := ""
	if img.Status == StatusActive {
		active = img.UpdatedAt.UTC().Format(imageTime)
	}
	ep := img.EnterpriseProjectID
	if ep == "" && img.ImageType == "private" {
		ep = "0"
	}
	return imageJSON{
		ImageSize: "0", ImageSourceType: "uds", ImageType: img.ImageType, IsRegistered: "true",
		OSType: img.OSType, OSBit: "64", Platform: img.Platform, Description: img.Description,
		OriginalImageName: img.SourceImageID, SystemCMKID: img.CMKID,
		ContainerFormat: "bare", DiskFormat: "zvhd2",
		CreatedAt: img.CreatedAt.UTC().Format(imageTime), UpdatedAt: img.UpdatedAt.UTC().Format(imageTime),
		ActiveAt: active, EnterpriseProjectID: ep,
		File: "/v2/images/" + img.ID + "/file", ID: img.ID, MinDisk: img.MinDisk,
		Name: img.Name, Owner: img.Owner, Protected: img.ImageType == "gold",
		Schema: "/v2/schemas/image", Self: "/v2/images/" + img.ID, Status: img.Status,
		Tags: []string{}, VirtualEnvType: "FusionCompute", Visibility: img.Visibility,
	}
}

// visible reports whether the emulator's project may see img: its own
// images and public ones.
func (s *Server) visible(img *Image) bool {
	return img.Owner == s.projectID || img.Visibility == "public"
}

// listImages answers GET /v2/cloudimages with the exact-match filters a
// pipeline uses (name, id, status, owner, visibility, __imagetype), newest
// first, paged by limit (default 500) and marker (an image id).
func (s *Server) listImages(w http.ResponseWriter, q url.Values) {
	limit := 500
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeIMSError(w, http.StatusBadRequest, codeBadFormat, "The request message format is invalid.")
			return
		}
		limit = n
	}
	filters := map[string]func(*Image) string{
		"name":        func(i *Image) string { return i.Name },
		"id":          func(i *Image) string { return i.ID },
		"status":      func(i *Image) string { return i.Status },
		"owner":       func(i *Image) string { return i.Owner },
		"visibility":  func(i *Image) string { return i.Visibility },
		"__imagetype": func(i *Image) string { return i.ImageType },
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(s.Now())
	var matched []*Image
	for _, img := range s.images {
		if !s.visible(img) {
			continue
		}
		ok := true
		for key, field := range filters {
			if want := q.Get(key); want != "" && field(img) != want {
				ok = false
				break
			}
		}
		if ok {
			matched = append(matched, img)
		}
	}
	sort.Slice(matched, func(i, j int) bool {
		if !matched[i].CreatedAt.Equal(matched[j].CreatedAt) {
			return matched[i].CreatedAt.After(matched[j].CreatedAt)
		}
		return matched[i].ID > matched[j].ID
	})
	if marker := q.Get("marker"); marker != "" {
		at := -1
		for i, img := range matched {
			if img.ID == marker {
				at = i
				break
			}
		}
		if at < 0 {
			writeIMSError(w, http.StatusBadRequest, codeBadFormat, fmt.Sprintf("marker %s not found", marker))
			return
		}
		matched = matched[at+1:]
	}
	if len(matched) > limit {
		matched = matched[:limit]
	}
	out := make([]imageJSON, 0, len(matched))
	for _, img := range matched {
		out = append(out, img.json())
	}
	writeJSON(w, http.StatusOK, struct {
		Images []imageJSON `json:"images"`
	}{out})
}

// newUUID returns a random version-4-shaped UUID, the form IMS image ids take.
func newUUID() string {
	h := []byte(simkit.RandomHex(16))
	h[12] = '4'
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}
