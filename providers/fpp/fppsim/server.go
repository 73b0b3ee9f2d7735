package fppsim

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"path"
	"slices"
	"sync"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Operation names, as counted by Calls and matched by Faults().Inject.
const (
	OpImportImage  = "ImportImage"
	OpGetImage     = "GetImage"
	OpGetJob       = "GetJob"
	OpGetJobOutput = "GetJobOutput"
	OpListJobs     = "ListJobs"
)

// Defaults applied by New when Options leaves a field empty.
const (
	DefaultUsername    = "restuser"
	DefaultPassword    = "restpassword"
	DefaultJobDuration = 30 * time.Second
	DefaultNodeName    = "fppsim"
)

// basePath is where FPP mounts its REST API on port 8894.
const basePath = "/rhp-restapi/rhp"

// authRealm is sent in WWW-Authenticate.
//
// Unverified: FPP's documents do not show its 401 answer; the realm name is
// the emulator's own.
const authRealm = "rhp-restapi"

// Options configures a Server.
type Options struct {
	// Clock drives job progress; nil means the wall clock.
	Clock simkit.Clock
	// Username and Password are the REST user the server accepts
	// (DefaultUsername and DefaultPassword when empty).
	Username string
	Password string
	// JobDuration is how long an import job takes from acceptance to its
	// end (DefaultJobDuration when zero or negative).
	JobDuration time.Duration
	// NodeName prefixes each job output line, as the real server prefixes
	// the node that ran the step.
	NodeName string
	// Images are gold images that exist from the start.
	Images []Image
	// DetailedJobList makes each item of GET /jobs carry the job's status
	// and operation, as GET /jobs/{jobId} does. By default items carry
	// only links, jobId and an empty output, as in the documented example;
	// which of the two a real server sends is unverified, so clients
	// should be tested against both.
	DetailedJobList bool
	// ImageTypes are custom image types the server knows besides the
	// built-in ones (as made by rhpctl add imagetype); an import naming
	// any other type is refused.
	ImageTypes []string
}

// Server is the emulated FPP server. It is safe for concurrent use.
type Server struct {
	simkit.Kernel
	simkit.JobPlan
	user     string
	password string
	node     string
	detailed bool
	// imageTypes are the types an import may name: the built-in ones and
	// Options.ImageTypes.
	imageTypes map[string]bool
	routes     simkit.Router[http.HandlerFunc]

	mu         sync.Mutex
	lastJobID  int
	jobs       map[string]*job
	images     map[string]Image
	failByName map[string]string
}

// New returns a Server holding opts.Images and no jobs.
func New(opts Options) *Server {
	s := &Server{
		Kernel:     simkit.Kernel{Clock: opts.Clock},
		user:       opts.Username,
		password:   opts.Password,
		node:       opts.NodeName,
		detailed:   opts.DetailedJobList,
		jobs:       map[string]*job{},
		images:     map[string]Image{},
		failByName: map[string]string{},
		imageTypes: map[string]bool{},
	}
	for _, t := range append(slices.Clone(BuiltInImageTypes), opts.ImageTypes...) {
		s.imageTypes[t] = true
	}
	if s.user == "" && s.password == "" {
		s.user, s.password = DefaultUsername, DefaultPassword
	}
	if s.node == "" {
		s.node = DefaultNodeName
	}
	if opts.JobDuration <= 0 {
		opts.JobDuration = DefaultJobDuration
	}
	s.SetJobDuration(opts.JobDuration)
	for _, img := range opts.Images {
		s.images[img.Name] = img.withDefaults()
	}
	s.routes.Handle("POST "+basePath+"/images", OpImportImage, s.importImage)
	s.routes.Handle("GET "+basePath+"/images/{imageId}", OpGetImage, s.getImage)
	s.routes.Handle("GET "+basePath+"/jobs", OpListJobs, s.listJobs)
	s.routes.Handle("GET "+basePath+"/jobs/{jobId}", OpGetJob, s.getJob)
	s.routes.Handle("GET "+basePath+"/jobs/{jobId}/output", OpGetJobOutput, s.getJobOutput)
	return s
}

// ServeHTTP serves the FPP REST API. A path with "." or ".." segments,
// doubled or trailing slashes names no resource: it gets the errorResource
// 404 rather than http.ServeMux's HTML redirect, which is no FPP answer.
// Unverified: whether a real server normalises such paths first.
//
// A path known under another method names no resource either (the server
// answers 404, not 405), and HEAD is served as GET.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p := r.URL.Path; p != "/" && path.Clean(p) != p {
		writeError(w, r, http.StatusNotFound, CodeNotFound, "no such resource in the FPP emulator: "+r.Method+" "+p, "")
		return
	}
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	rt, status := s.routes.Match(method, r.URL.EscapedPath())
	if status != http.StatusOK {
		writeError(w, r, http.StatusNotFound, CodeNotFound, "no such resource in the FPP emulator: "+r.Method+" "+r.URL.Path, "")
		return
	}
	for name, v := range rt.Params {
		if u, err := url.PathUnescape(v); err == nil {
			v = u
		}
		r.SetPathValue(name, v)
	}
	s.serve(w, r, rt.Op, rt.Handler)
}

// serve counts, authenticates and applies injected faults before handing
// the request to h, in the order a real server would meet them: a caller
// with bad credentials never reaches the overloaded back end.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, op string, h http.HandlerFunc) {
	s.Record(op, r)
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Basic realm="`+authRealm+`"`)
		writeError(w, r, http.StatusUnauthorized, CodeUnauthorized,
			"The request is not authorized: the user name or password is missing or invalid.", "")
		return
	}
	if s.Inject(w, r, op, writeFault) {
		h(w, r)
	}
}

func (s *Server) authorized(r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return false
	}
	userOK := subtle.ConstantTimeCompare([]byte(user), []byte(s.user)) == 1
	passOK := subtle.ConstantTimeCompare([]byte(pass), []byte(s.password)) == 1
	return userOK && passOK
}

// baseURL is the absolute API root as the caller reached it, so Location
// headers and links work behind httptest's random port.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + basePath
}

// link is FPP's hypermedia link. The documents' schema names the address
// "href" while every documented example (and scripts written against real
// servers) read "uri"; the emulator follows the examples.
type link struct {
	URI string `json:"uri"`
	Rel string `json:"rel"`
}
