package huaweisim

import (
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Operation names, as IMS's API reference and SDK call them: the keys for
// Faults().Inject and Calls.
const (
	OpCopyImageInRegion = "CopyImageInRegion"
	OpShowJob           = "ShowJob"
	OpListImages        = "ListImages"
)

// Defaults used when Options leaves a field empty, so the emulator binary
// and tests agree on credentials without configuration.
const (
	DefaultAccessKey   = "IMSSIMACCESSKEY00001"
	DefaultSecretKey   = "huaweisim-secret-key-not-for-production"
	DefaultProjectID   = "5f2ae0b3c8d94e1f9a7b6c5d4e3f2a1b"
	DefaultJobDuration = 2 * time.Minute
	// MaxClockSkew is how far X-Sdk-Date may be from the emulator's wall
	// clock; the signing guide's troubleshooting asks for 15 minutes.
	MaxClockSkew = 15 * time.Minute
)

// maxBody bounds a request body, like the gateway's "Request entity too large".
const maxBody = 1 << 20

// Options configures a Server.
type Options struct {
	// Clock drives job progress and image timestamps; nil is the wall clock.
	// Signature dates are always checked against the wall clock, because
	// clients sign with theirs.
	Clock simkit.Clock
	// ProjectID is the one project (tenant) this emulator serves; requests
	// must name it in X-Project-Id. Empty means DefaultProjectID.
	ProjectID string
	// Credentials maps access keys to secret keys; empty means
	// DefaultAccessKey/DefaultSecretKey.
	Credentials map[string]string
	// JobDuration is how long a copy job takes on Clock; 0 means
	// DefaultJobDuration. SetJobDuration changes it later, 0 included.
	JobDuration time.Duration
	// MaxConcurrentCopies caps the copy jobs in progress for the project;
	// further copies get IMG.0060. 0 means no cap.
	MaxConcurrentCopies int
	// Images are seeded at start, as by AddImage.
	Images []Image
}

// Server is an in-memory IMS: an http.Handler safe for concurrent use.
type Server struct {
	simkit.Kernel
	simkit.JobPlan
	projectID string
	creds     map[string]string
	maxCopies int
	routes    simkit.Router[handler]

	mu        sync.Mutex
	images    map[string]*Image
	jobs      map[string]*job
	failNamed map[string]string
	override  map[string]string
	// seeded are the ids of Options.Images, which Holdings leaves out.
	seeded map[string]bool
}

// New returns an emulator configured by opts.
func New(opts Options) *Server {
	s := &Server{
		Kernel:    simkit.Kernel{Clock: opts.Clock},
		projectID: opts.ProjectID,
		creds:     map[string]string{},
		maxCopies: opts.MaxConcurrentCopies,
		images:    map[string]*Image{},
		jobs:      map[string]*job{},
		failNamed: map[string]string{},
		override:  map[string]string{},
		seeded:    map[string]bool{},
	}
	if s.projectID == "" {
		s.projectID = DefaultProjectID
	}
	for ak, sk := range opts.Credentials {
		s.creds[ak] = sk
	}
	if len(s.creds) == 0 {
		s.creds[DefaultAccessKey] = DefaultSecretKey
	}
	if opts.JobDuration == 0 {
		opts.JobDuration = DefaultJobDuration
	}
	s.SetJobDuration(opts.JobDuration)
	for _, img := range opts.Images {
		s.seeded[s.AddImage(img).ID] = true
	}
	s.routes.Handle("POST /v1/cloudimages/{image_id}/copy", OpCopyImageInRegion, func(w http.ResponseWriter, r *http.Request, reqID string, p map[string]string, body []byte) {
		s.copyImage(w, reqID, p["image_id"], body)
	})
	s.routes.Handle("GET /v1/{project_id}/jobs/{job_id}", OpShowJob, func(w http.ResponseWriter, r *http.Request, reqID string, p map[string]string, _ []byte) {
		s.showJob(w, reqID, p["project_id"], p["job_id"])
	})
	s.routes.Handle("GET /v2/cloudimages", OpListImages, func(w http.ResponseWriter, r *http.Request, _ string, _ map[string]string, _ []byte) {
		s.listImages(w, r.URL.Query())
	})
	return s
}

// handler serves one operation, given the request id, the path's
// parameters and the body already read and authenticated.
type handler func(w http.ResponseWriter, r *http.Request, reqID string, params map[string]string, body []byte)

// ProjectID is the project the emulator serves.
func (s *Server) ProjectID() string { return s.projectID }

// FailNextCopy makes the next accepted copy's job end FAIL with reason as
// its fail_reason (after its full duration, as a real failure would).
func (s *Server) FailNextCopy(reason string) { s.FailNextJob(reason) }

// FailCopiesNamed makes every copy to an image named name end FAIL with reason.
func (s *Server) FailCopiesNamed(name, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNamed[name] = reason
}

// OverrideJobStatus makes ShowJob report status for the job verbatim, e.g.
// a status IMS might add later, to see how a client copes.
func (s *Server) OverrideJobStatus(jobID, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.override[jobID] = status
}

// Images returns the images that exist now (copies in progress included,
// failed copies not), oldest first.
func (s *Server) Images() []Image {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(s.Now())
	out := make([]Image, 0, len(s.images))
	for _, img := range s.images {
		out = append(out, *img)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// AddImage stores img, filling empty fields with an active private Linux
// image of this project, and returns what was stored.
func (s *Server) AddImage(img Image) Image {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now().UTC()
	if img.ID == "" {
		img.ID = newUUID()
	}
	if img.Status == "" {
		img.Status = StatusActive
	}
	if img.ImageType == "" {
		img.ImageType = "private"
	}
	if img.Visibility == "" {
		img.Visibility = "private"
		if img.ImageType == "gold" {
			img.Visibility = "public"
		}
	}
	if img.Owner == "" && img.ImageType == "private" {
		img.Owner = s.projectID
	}
	if img.OSType == "" {
		img.OSType = "Linux"
	}
	if img.Platform == "" {
		img.Platform = "Ubuntu"
	}
	if img.MinDisk == 0 {
		img.MinDisk = 40
	}
	if img.CreatedAt.IsZero() {
		img.CreatedAt = now
	}
	if img.UpdatedAt.IsZero() {
		img.UpdatedAt = img.CreatedAt
	}
	stored := img
	s.images[img.ID] = &stored
	return img
}

// ServeHTTP answers like the API gateway in front of IMS: it routes, counts,
// applies injected faults, checks the AK/SK signature and project, then
// serves the operation.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := simkit.RandomHex(16)
	w.Header().Set("X-Request-Id", reqID)
	// The gateway knows an API by method and path together: another
	// method on a known path is no API either.
	rt, status := s.routes.Match(r.Method, "/"+strings.Trim(r.URL.Path, "/"))
	if status != http.StatusOK {
		writeGatewayError(w, reqID, http.StatusNotFound, "APIGW.0101",
			"The API does not exist or has not been published in the environment.")
		return
	}
	render := func(w http.ResponseWriter, _ *http.Request, f simkit.Fault) { writeFault(w, reqID, f) }
	if !s.Admit(w, r, rt.Op, render) {
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return // the client went away
	}
	if len(body) > maxBody {
		writeGatewayError(w, reqID, http.StatusRequestEntityTooLarge, "APIGW.0201", "Request entity too large.")
		return
	}
	if !s.authenticate(w, r, body, reqID) {
		return
	}
	rt.Handler(w, r, reqID, rt.Params, body)
}
