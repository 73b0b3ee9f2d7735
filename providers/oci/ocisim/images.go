package ocisim

import (
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/imagepipe/imagepipe/providers/simkit"
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

// Image is an image the emulator holds. AddImage needs ID and CompartmentID;
// the rest default (AVAILABLE, Oracle Linux 8, a fresh etag).
type Image struct {
	ID                     string
	CompartmentID          string
	DisplayName            string
	LifecycleState         string
	OperatingSystem        string
	OperatingSystemVersion string
	TimeCreated            time.Time
	ETag                   string
	// Moves counts the compartment changes that took effect, so a test can
	// prove a retried move happened once.
	Moves int
}

type image struct{ Image }

// imageJSON is Core's Image model on the wire, with its required fields.
type imageJSON struct {
	ID                     string            `json:"id"`
	CompartmentID          string            `json:"compartmentId"`
	DisplayName            string            `json:"displayName"`
	LifecycleState         string            `json:"lifecycleState"`
	OperatingSystem        string            `json:"operatingSystem"`
	OperatingSystemVersion string            `json:"operatingSystemVersion"`
	CreateImageAllowed     bool              `json:"createImageAllowed"`
	TimeCreated            string            `json:"timeCreated"`
	FreeformTags           map[string]string `json:"freeformTags"`
	DefinedTags            map[string]any    `json:"definedTags"`
}

// changeImageCompartmentDetails is ChangeImageCompartmentDetails, whose one
// field is compartmentId.
type changeImageCompartmentDetails struct {
	CompartmentID *string `json:"compartmentId"`
}

// AddImage seeds an image (an empty ID gets a random image OCID).
func (s *Server) AddImage(img Image) {
	if img.ID == "" {
		img.ID = NewOCID("image", "iad")
	}
	if img.LifecycleState == "" {
		img.LifecycleState = ImageAvailable
	}
	if img.OperatingSystem == "" {
		img.OperatingSystem = "Oracle Linux"
	}
	if img.OperatingSystemVersion == "" {
		img.OperatingSystemVersion = "8"
	}
	if img.TimeCreated.IsZero() {
		img.TimeCreated = s.Now()
	}
	img.ETag = newETag()
	img.Moves = 0
	s.mu.Lock()
	defer s.mu.Unlock()
	s.images[img.ID] = &image{img}
}

// Image returns the emulator's copy of image id.
func (s *Server) Image(id string) (Image, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	img, ok := s.images[id]
	if !ok {
		return Image{}, false
	}
	return img.Image, true
}

// TouchImage stands for someone else modifying image id: its etag changes,
// so an etag a caller read before is stale. It reports whether the image exists.
func (s *Server) TouchImage(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	img, ok := s.images[id]
	if ok {
		img.ETag = newETag()
	}
	return ok
}

func newETag() string { return simkit.RandomHex(16) }

func (img *image) wire() imageJSON {
	return imageJSON{
		ID:                     img.ID,
		CompartmentID:          img.CompartmentID,
		DisplayName:            img.DisplayName,
		LifecycleState:         img.LifecycleState,
		OperatingSystem:        img.OperatingSystem,
		OperatingSystemVersion: img.OperatingSystemVersion,
		CreateImageAllowed:     true,
		TimeCreated:            img.TimeCreated.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		FreeformTags:           map[string]string{},
		DefinedTags:            map[string]any{},
	}
}

func (s *Server) getImage(w http.ResponseWriter, _ *http.Request, _ []byte, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	img, ok := s.images[id]
	if !ok {
		writeNotFound(w, "image", id)
		return
	}
	w.Header().Set("etag", img.ETag)
	writeJSON(w, http.StatusOK, img.wire())
}

// changeImageCompartment follows the API reference: 204 with the new etag; if-match
// guards against a concurrent change; opc-retry-token makes a retry safe.
func (s *Server) changeImageCompartment(w http.ResponseWriter, r *http.Request, body []byte, id string) {
	var in changeImageCompartmentDetails
	if !decodeStrict(w, body, &in) {
		return
	}
	if in.CompartmentID == nil {
		writeError(w, http.StatusBadRequest, CodeMissingParameter, "Missing required parameter compartmentId.")
		return
	}
	if n := utf8.RuneCountInString(*in.CompartmentID); n < 1 || n > 255 {
		writeError(w, http.StatusBadRequest, CodeInvalidParameter,
			fmt.Sprintf("Parameter compartmentId must be between 1 and 255 characters long, got %d.", n))
		return
	}
	target := *in.CompartmentID

	s.mu.Lock()
	defer s.mu.Unlock()
	key, answered := s.checkRetryToken(w, r, OpChangeImageCompartment, body)
	if answered {
		return
	}
	img, ok := s.images[id]
	if !ok {
		writeNotFound(w, "image", id)
		return
	}
	if m := r.Header.Get("if-match"); m != "" && m != img.ETag {
		writeError(w, http.StatusPreconditionFailed, CodeNoEtagMatch,
			"The ETag specified in the request does not match the ETag for the resource.")
		return
	}
	if target != s.tenancy {
		c := s.find(target)
		if c == nil {
			// Unverified: the code Core gives a target compartment that does
			// not exist; the API Errors page names this one for a resource
			// named in the body.
			writeError(w, http.StatusBadRequest, CodeRelatedResourceNotAuthorizedOrNotFound,
				fmt.Sprintf("Compartment %s was not found or you are not authorized to access it.", target))
			return
		}
		if c.LifecycleState != CompartmentActive {
			// Unverified: moving into a compartment that is not ACTIVE yet.
			writeError(w, http.StatusConflict, CodeIncorrectState,
				fmt.Sprintf("Compartment %s is %s, not ACTIVE.", target, c.LifecycleState))
			return
		}
	}
	if img.CompartmentID != target {
		img.CompartmentID = target
		img.Moves++
		img.ETag = newETag()
	}
	ans := captured{status: http.StatusNoContent, etag: img.ETag}
	s.remember(key, r, body, ans)
	writeCaptured(w, ans)
}
