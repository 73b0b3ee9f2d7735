package ocisim

import (
	"crypto/rsa"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Operation names, as OCI's API reference names them; Calls and
// Faults().Inject take these.
const (
	OpCreateCompartment      = "CreateCompartment"
	OpGetCompartment         = "GetCompartment"
	OpListCompartments       = "ListCompartments"
	OpGetImage               = "GetImage"
	OpChangeImageCompartment = "ChangeImageCompartment"
)

// Fixed OCIDs the emulator binary seeds, so example pipelines can name them.
const (
	DemoTenancyID = "ocid1.tenancy.oc1..aaaaaaaaimagepipedemotenancy000000000000000000000000"
	DemoImageID   = "ocid1.image.oc1.iad.aaaaaaaaimagepipedemogoldimage0000000000000000000000"
)

const (
	defaultActivationDelay = 2 * time.Second
	defaultPageSize        = 100
	maxBodyBytes           = 1 << 20
	apiVersionPrefix       = "/20160918/"
)

// Options configures a Server.
type Options struct {
	// Clock drives compartment activation and retry-token expiry; nil is
	// the wall clock. Signature dates are always checked by the wall clock.
	Clock simkit.Clock
	// ActivationDelay is how long a new compartment stays CREATING before
	// it becomes ACTIVE; zero means 2 s.
	ActivationDelay time.Duration
	// TenancyID is the root compartment every tree starts from; empty
	// means a random tenancy OCID.
	TenancyID string
	// PageSize is ListCompartments' page size when the caller sends no
	// limit; zero means 100.
	PageSize int
	// Images are seeded at start, as AddImage would add them.
	Images []Image
	// Keys are registered at start, as RegisterKey would register them.
	Keys map[string]*rsa.PublicKey
}

// Server is an in-memory OCI Identity and Core endpoint: one handler serves
// both services' paths, as the client points both SDK clients at one host.
// It is safe for concurrent use.
type Server struct {
	simkit.Kernel
	tenancy  string
	pageSize int
	routes   simkit.Router[handler]

	mu              sync.Mutex
	activationDelay time.Duration
	keys            map[string]*rsa.PublicKey
	compartments    []*compartment // creation order, which ListCompartments keeps
	images          map[string]*image
	tokens          map[string]tokenRecord
	failActivation  map[string]bool
}

// New returns an emulator with opts applied.
func New(opts Options) *Server {
	s := &Server{
		Kernel:          simkit.Kernel{Clock: opts.Clock, KeyHeader: "opc-retry-token"},
		tenancy:         opts.TenancyID,
		pageSize:        opts.PageSize,
		activationDelay: opts.ActivationDelay,
		keys:            map[string]*rsa.PublicKey{},
		images:          map[string]*image{},
		tokens:          map[string]tokenRecord{},
		failActivation:  map[string]bool{},
	}
	if s.tenancy == "" {
		s.tenancy = NewOCID("tenancy", "")
	}
	if s.pageSize <= 0 {
		s.pageSize = defaultPageSize
	}
	if s.activationDelay <= 0 {
		s.activationDelay = defaultActivationDelay
	}
	for id, pub := range opts.Keys {
		s.keys[id] = pub
	}
	for _, img := range opts.Images {
		s.AddImage(img)
	}
	s.routes.Handle("GET "+apiVersionPrefix+"compartments", OpListCompartments, s.listCompartments)
	s.routes.Handle("POST "+apiVersionPrefix+"compartments", OpCreateCompartment, s.createCompartment)
	s.routes.Handle("GET "+apiVersionPrefix+"compartments/{compartmentId}", OpGetCompartment, s.getCompartment)
	s.routes.Handle("GET "+apiVersionPrefix+"images/{imageId}", OpGetImage, s.getImage)
	s.routes.Handle("POST "+apiVersionPrefix+"images/{imageId}/actions/changeCompartment", OpChangeImageCompartment, s.changeImageCompartment)
	return s
}

// TenancyID is the tenancy (root compartment) OCID the emulator serves.
func (s *Server) TenancyID() string { return s.tenancy }

// SetActivationDelay changes how long compartments created from now on stay
// CREATING; zero makes them ACTIVE at once.
func (s *Server) SetActivationDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.activationDelay = max(d, 0)
}

// FailActivation makes the next compartment created with this name end
// INACTIVE instead of ACTIVE when its activation delay is over, the way a
// compartment the service could not set up is left.
func (s *Server) FailActivation(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failActivation[name] = true
}

// handler serves one operation, given the request body already read and
// the resource id segment of the path.
type handler func(w http.ResponseWriter, r *http.Request, body []byte, id string)

// ServeHTTP answers one request: request id, call count, injected fault,
// signature, then the operation.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := r.Header.Get("opc-request-id")
	if reqID == "" {
		reqID = strings.ToUpper(simkit.RandomHex(16))
	}
	w.Header().Set("opc-request-id", reqID)

	rt, status := s.routes.Match(r.Method, r.URL.EscapedPath())
	switch status {
	case http.StatusNotFound:
		writeError(w, http.StatusNotFound, CodeNotFound, "There is no operation supported at the URI path and HTTP method you specified in the request.")
		return
	case http.StatusMethodNotAllowed:
		writeError(w, http.StatusMethodNotAllowed, CodeMethodNotAllowed, "The target resource does not support the HTTP method.")
		return
	}
	if !s.Admit(w, r, rt.Op, writeFault) {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		writeError(w, http.StatusBadRequest, CodeCannotParseRequest, "The request body could not be read: "+err.Error())
		return
	}
	if err := s.authenticate(r, body); err != nil {
		writeError(w, http.StatusUnauthorized, CodeNotAuthenticated, "The required information to complete authentication was not provided or was incorrect: "+err.Error())
		return
	}
	id := pathID(r.URL.EscapedPath())
	rt.Handler(w, r, body, id)
}

// pathID is the resource id segment that follows the collection name.
func pathID(path string) string {
	parts := strings.Split(strings.TrimPrefix(path, apiVersionPrefix), "/")
	if len(parts) < 2 {
		return ""
	}
	return parts[1]
}

func (s *Server) now() time.Time { return s.Now() }
