package zstacksim

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Operation names, for Faults().Inject and Calls.
const (
	OpLogInByAccount  = "LogInByAccount"
	OpValidateSession = "ValidateSession"
	OpQueryImage      = "QueryImage"
	OpUpdateImage     = "UpdateImage"
	OpGetAPIJob       = "GetAPIJob"
	OpLogOut          = "LogOut"
)

// ContextPath is where a ZStack management node serves its REST API.
const ContextPath = "/zstack"

// Defaults for zero Options fields. SessionTTL and JobRetention are ZStack's
// defaults (identity session.timeout = 7200 s, rest completedApi.expiredPeriod
// = 10800 s).
const (
	DefaultSessionTTL   = 2 * time.Hour
	DefaultJobDuration  = 2 * time.Second
	DefaultJobRetention = 3 * time.Hour
	DefaultAPITimeout   = 30 * time.Minute
)

// Options configure a Server.
type Options struct {
	// Clock drives session expiry and job progress; nil is the wall clock.
	Clock simkit.Clock
	// Accounts maps account names to plain passwords; the server keeps their
	// SHA-512 hex digests, as ZStack does. Empty means ZStack's initial
	// account, admin/password.
	Accounts map[string]string
	// SessionTTL is how long a login stays valid.
	SessionTTL time.Duration
	// JobDuration is how long an accepted UpdateImage runs.
	JobDuration time.Duration
	// JobRetention is how long after creation a completed job can still be
	// polled and its X-Job-UUID stays taken.
	JobRetention time.Duration
	// APITimeout is reported as "apiTimeout" (milliseconds) with each 202.
	// Unverified: ZStack's default per-API timeout; only the field is known.
	APITimeout time.Duration
	// Synchronous makes UpdateImage answer 200 {"inventory"} at once, as the
	// API page shows, instead of 202 and a job.
	Synchronous bool
	// Images seeds the image table.
	Images []Image
	// BaseURL is the server's own address as it writes it into job
	// locations, e.g. "http://10.0.0.5:8080/zstack"; empty means
	// "http://" + the request's Host + ContextPath.
	BaseURL string
}

// Server is the emulator, an http.Handler safe for concurrent use.
type Server struct {
	simkit.Kernel
	simkit.JobPlan
	routes simkit.Router[operation]

	mu       sync.Mutex
	opts     Options
	accounts map[string]account
	sessions map[string]session
	images   map[string]*Image
	applied  map[string]int
	jobs     map[string]*job
	jobSeq   int
}

// New returns a Server holding opts' accounts and images.
func New(opts Options) *Server {
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = DefaultSessionTTL
	}
	if opts.JobDuration <= 0 {
		opts.JobDuration = DefaultJobDuration
	}
	if opts.JobRetention <= 0 {
		opts.JobRetention = DefaultJobRetention
	}
	if opts.APITimeout <= 0 {
		opts.APITimeout = DefaultAPITimeout
	}
	if len(opts.Accounts) == 0 {
		opts.Accounts = map[string]string{"admin": "password"}
	}
	s := &Server{
		Kernel:   simkit.Kernel{Clock: opts.Clock, KeyHeader: "X-Job-UUID"},
		opts:     opts,
		accounts: map[string]account{},
		sessions: map[string]session{},
		images:   map[string]*Image{},
		applied:  map[string]int{},
		jobs:     map[string]*job{},
	}
	s.SetJobDuration(opts.JobDuration)
	for name, pw := range opts.Accounts {
		s.accounts[name] = account{uuid: simkit.RandomHex(16), passwordHash: PasswordHash(pw)}
	}
	for _, img := range opts.Images {
		s.AddImage(img)
	}
	api := ContextPath + "/v1/"
	s.routes.Handle("PUT "+api+"accounts/login", OpLogInByAccount, operation{serve: s.logIn, hasBody: true})
	s.routes.Handle("DELETE "+api+"accounts/sessions/{id}", OpLogOut, operation{serve: s.logOut})
	s.routes.Handle("GET "+api+"accounts/sessions/{id}/valid", OpValidateSession, operation{serve: s.validateSession})
	s.routes.Handle("GET "+api+"images/{id}", OpQueryImage, operation{serve: s.queryImage})
	s.routes.Handle("PUT "+api+"images/{id}/actions", OpUpdateImage, operation{serve: s.updateImage, hasBody: true})
	s.routes.Handle("GET "+api+"api-jobs/{id}", OpGetAPIJob, operation{serve: s.getJob})
	return s
}

// operation is how one API is served: its handler, and whether it reads a
// JSON body.
type operation struct {
	serve   func(r *http.Request, id string, body map[string]any) reply
	hasBody bool
}

// ServeHTTP routes a request the way ZStack's RestServer does: by path
// first (one trailing slash is ignored), so a call with the wrong method is
// counted and meets injected faults before it is refused. An injected 503
// is ZStack's error envelope with SYS.1012 (management node unavailable)
// unless the fault names another code; injected on OpGetAPIJob with
// another code (say SYS.1006), it reads, as on the real wire, like a
// failed job.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt, status := s.routes.Match(r.Method, strings.TrimSuffix(r.URL.Path, "/"))
	if status == http.StatusNotFound {
		textReply(http.StatusNotFound, "no api mapping to %s", strings.TrimPrefix(r.URL.Path, ContextPath)).write(w)
		return
	}
	render := func(w http.ResponseWriter, _ *http.Request, f simkit.Fault) { faultReply(f).write(w) }
	if !s.Admit(w, r, rt.Op, render) {
		return
	}
	if status == http.StatusMethodNotAllowed {
		if rt.Op == OpGetAPIJob {
			textReply(http.StatusMethodNotAllowed, "only GET method is allowed for querying job status").write(w)
			return
		}
		textReply(http.StatusMethodNotAllowed, "The method[%s] is not allowed for the path[%s]", r.Method, r.URL.Path).write(w)
		return
	}
	var body map[string]any
	if rt.Handler.hasBody {
		var rep *reply
		if body, rep = readBody(r); rep != nil {
			rep.write(w)
			return
		}
	}
	rt.Handler.serve(r, rt.Params["id"], body).write(w)
}

// readBody parses a JSON object body. ZStack treats an empty body as {} and
// fails a malformed one with 500 and the parser's message.
func readBody(r *http.Request) (map[string]any, *reply) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		rep := textReply(http.StatusBadRequest, "read body: %v", err)
		return nil, &rep
	}
	body := map[string]any{}
	if len(bytes.TrimSpace(raw)) == 0 {
		return body, nil
	}
	// Numbers keep their text, as Gson hands a number to a String field.
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	err = dec.Decode(&body)
	if err == nil {
		// Gson's fromJson insists the document is consumed whole; More
		// alone misses a stray closing bracket.
		if _, tail := dec.Token(); tail != io.EOF {
			err = errors.New("JSON document was not fully consumed")
		}
	}
	if err != nil {
		rep := textReply(http.StatusInternalServerError, "%v", err)
		return nil, &rep
	}
	return body, nil
}

// bearer returns the session uuid of an "Authorization: OAuth {uuid}" header,
// or RestServer's 400 for a missing or foreign one.
func bearer(r *http.Request) (string, *reply) {
	auth := strings.TrimSpace(r.Header.Get("Authorization"))
	if auth == "" {
		rep := textReply(http.StatusBadRequest, "missing header 'Authorization'")
		return "", &rep
	}
	rest, ok := strings.CutPrefix(auth, "OAuth")
	if !ok {
		rep := textReply(http.StatusBadRequest, "Authorization type must be 'OAuth'")
		return "", &rep
	}
	return strings.TrimSpace(rest), nil
}

func (s *Server) baseURL(r *http.Request) string {
	if s.opts.BaseURL != "" {
		return strings.TrimSuffix(s.opts.BaseURL, "/")
	}
	return "http://" + r.Host + ContextPath
}
