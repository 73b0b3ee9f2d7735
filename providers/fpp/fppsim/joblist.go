package fppsim

import (
	"net/http"
	"slices"
	"strings"
)

// jobStatuses are the values GET /jobs documents for its status filter.
var jobStatuses = []string{
	StatusScheduled, StatusUnknown, StatusExecuting, StatusPaused,
	StatusAborted, StatusTerminated, StatusFailed, StatusSucceeded,
}

// jobCollection is the documented answer of GET /jobs: an "items" array
// and the collection's own links.
type jobCollection struct {
	Items []jobResource `json:"items"`
	Links []link        `json:"links"`
}

// listJobs serves GET /jobs ("Get all the jobs"), oldest job first.
//
// The 23ai documents list four optional filters: status and client are
// applied; jobTag and user are refused with 400 because the emulator keeps
// neither tags nor provisioning users, and answering as if they matched
// everything would mislead a test.
//
// Unverified: the order of a real server's items; the emulator sends them
// by ascending job id.
func (s *Server) listJobs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	for _, name := range []string{"jobTag", "user"} {
		if q.Has(name) {
			writeError(w, r, http.StatusBadRequest, CodeInvalidParameter,
				"The FPP emulator does not model the "+name+" filter of GET /jobs.", "")
			return
		}
	}
	status, client := q.Get("status"), q.Get("client")
	// Unverified: how a real server answers a status outside the
	// documented values; the emulator refuses it like a bad body field.
	if status != "" && !slices.Contains(jobStatuses, status) {
		writeError(w, r, http.StatusBadRequest, CodeInvalidParameter,
			"Query parameter status must be one of "+strings.Join(jobStatuses, ", ")+".", "")
		return
	}

	base := baseURL(r)
	s.mu.Lock()
	now := s.Now()
	s.settle(now)
	jobs := make([]*job, 0, len(s.jobs))
	for _, j := range s.jobs {
		jobs = append(jobs, j)
	}
	slices.SortFunc(jobs, func(a, b *job) int { return a.audit - b.audit })
	items := make([]jobResource, 0, len(jobs))
	for _, j := range jobs {
		reported := j.reportedStatus(now)
		if (status != "" && reported != status) || (client != "" && j.image.Client != client) {
			continue
		}
		item := jobResource{
			Links:  []link{{URI: base + "/jobs/" + j.id, Rel: "self"}},
			JobID:  j.id,
			Output: map[string]any{},
		}
		if s.detailed {
			item.Status, item.Operation = reported, j.operation
		}
		items = append(items, item)
	}
	s.mu.Unlock()

	self := base + "/jobs"
	if r.URL.RawQuery != "" {
		self += "?" + r.URL.RawQuery
	}
	writeJSON(w, http.StatusOK, jobCollection{
		Items: items,
		Links: []link{{URI: self, Rel: "self"}},
	})
}
