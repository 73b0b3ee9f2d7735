package fppsim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Job status values, as documented for jobResource.status.
const (
	StatusScheduled  = "SCHEDULED"
	StatusUnknown    = "UNKNOWN"
	StatusExecuting  = "EXECUTING"
	StatusPaused     = "PAUSED"
	StatusAborted    = "ABORTED"
	StatusTerminated = "TERMINATED"
	StatusFailed     = "FAILED"
	StatusSucceeded  = "SUCCEEDED"
)

// failAfter is the share of the job's steps a failing import gets through
// before its reason is written, so the output of a failed job shows where
// it stopped.
const failAfter = 0.55

// importSteps is the output an import job writes as it progresses; at is
// the fraction of the job duration after which the line appears.
var importSteps = []struct {
	at   float64
	text string // formatted with the job's audit id, image name, owner
}{
	{0.10, "Audit ID: %[1]d"},
	{0.15, `Creating a new ACFS file system for image "%[2]s" ...`},
	{0.30, "Copying files..."},
	{0.50, "Copying home contents..."},
	{0.70, "Changing the home ownership to user %[3]s..."},
	{0.90, "Changing the home ownership back to user %[3]s..."},
}

// job is one accepted import.
type job struct {
	id        string
	audit     int
	image     Image
	operation string
	start     time.Time
	duration  time.Duration
	// failReason, when set, makes the job end FAILED with it.
	failReason string
	// rawStatus, when set, is reported instead of the real status.
	rawStatus string
	// settled is set once the job's outcome has been applied to the image
	// store, so an image is added exactly once.
	settled bool
}

// status is the job's real status at now.
func (j *job) status(now time.Time) string {
	elapsed := now.Sub(j.start)
	switch {
	case elapsed < j.duration/10:
		return StatusScheduled
	case elapsed < j.duration:
		return StatusExecuting
	case j.failReason != "":
		return StatusFailed
	default:
		return StatusSucceeded
	}
}

// reportedStatus is what GET /jobs/{id} shows.
func (j *job) reportedStatus(now time.Time) string {
	if j.rawStatus != "" {
		return j.rawStatus
	}
	return j.status(now)
}

// outputLines is the job output written so far.
func (j *job) outputLines(now time.Time, node string) []string {
	progress := 1.0
	if j.duration > 0 {
		progress = float64(now.Sub(j.start)) / float64(j.duration)
	}
	status := j.status(now)
	var lines []string
	for _, step := range importSteps {
		if progress < step.at || (j.failReason != "" && step.at > failAfter) {
			break
		}
		lines = append(lines, fmt.Sprintf(step.text, j.audit, j.image.Name, j.image.Owner))
	}
	switch status {
	case StatusSucceeded:
		lines = append(lines, fmt.Sprintf("Image %q imported.", j.image.Name))
	case StatusFailed:
		lines = append(lines, j.failReason)
	}
	for i, l := range lines {
		lines[i] = node + ": " + l
	}
	return lines
}

// settle applies the outcome of every job that has ended by now: a
// succeeded import adds its image, a failed one leaves nothing behind.
// Callers hold s.mu.
func (s *Server) settle(now time.Time) {
	for _, j := range s.jobs {
		if j.settled {
			continue
		}
		switch j.status(now) {
		case StatusSucceeded:
			s.images[j.image.Name] = j.image
			j.settled = true
		case StatusFailed:
			j.settled = true
		}
	}
}

// importInFlight is the job still importing an image called name, if any.
// Callers hold s.mu and have settled.
func (s *Server) importInFlight(name string) *job {
	for _, j := range s.jobs {
		if !j.settled && j.image.Name == name {
			return j
		}
	}
	return nil
}

// FailNextImport makes the next accepted import's job end FAILED, with
// reason as the last line of its output.
func (s *Server) FailNextImport(reason string) { s.FailNextJob(reason) }

// FailImport makes the next accepted import of imageName end FAILED with
// reason, whatever other imports run meanwhile.
func (s *Server) FailImport(imageName, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failByName[imageName] = reason
}

// SetJobStatus makes GET /jobs/{jobID} report raw as the job's status from
// now on (a test hook for statuses a client does not know). The job still
// completes by the clock underneath. It reports whether the job exists.
func (s *Server) SetJobStatus(jobID, raw string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[jobID]
	if ok {
		j.rawStatus = raw
	}
	return ok
}

// JobStatus is the status GET /jobs/{jobID} would report now, and whether
// the job exists.
func (s *Server) JobStatus(jobID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[jobID]
	if !ok {
		return "", false
	}
	return j.reportedStatus(s.Now()), true
}

// JobCount is how many import jobs the server has accepted.
func (s *Server) JobCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.jobs)
}

// newJob registers an import of img. Callers hold s.mu.
func (s *Server) newJob(img Image, now time.Time) *job {
	s.lastJobID++
	j := &job{
		id:       strconv.Itoa(s.lastJobID),
		audit:    s.lastJobID,
		image:    img,
		start:    now,
		duration: s.JobDuration(),
		operation: fmt.Sprintf("importIntoImage{image=%s, schedule=%s, path=%s}",
			img.Name, now.UTC().Format(time.RFC3339), img.Path),
	}
	if reason, ok := s.failByName[img.Name]; ok {
		j.failReason = reason
		delete(s.failByName, img.Name)
	} else if reason, ok := s.TakeFailure(); ok {
		j.failReason = reason
	}
	s.jobs[j.id] = j
	return j
}

// jobResource is the documented job body. Output stays an empty object as
// in every documented example; the text is served by /output.
type jobResource struct {
	Links     []link         `json:"links"`
	JobID     string         `json:"jobId"`
	Status    string         `json:"status,omitempty"`
	Operation string         `json:"operation,omitempty"`
	Output    map[string]any `json:"output"`
}

// jobOutputResource is the documented job output body.
type jobOutputResource struct {
	Links   []link `json:"links"`
	Output  string `json:"output"`
	HasMore bool   `json:"hasMore"`
	Offset  int    `json:"offset"`
	Limit   int    `json:"limit"`
}

func (s *Server) getJob(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("jobId")
	s.mu.Lock()
	now := s.Now()
	s.settle(now)
	j, ok := s.jobs[id]
	var res jobResource
	if ok {
		res = jobResource{
			Links:     []link{{URI: baseURL(r) + "/jobs/" + id, Rel: "self"}},
			JobID:     id,
			Status:    j.reportedStatus(now),
			Operation: j.operation,
			Output:    map[string]any{},
		}
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, r, http.StatusNotFound, CodeNotFound, fmt.Sprintf("Job %q does not exist.", id), "")
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) getJobOutput(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("jobId")
	offset, okOffset := nonNegative(r.URL.Query().Get("offset"))
	limit, okLimit := nonNegative(r.URL.Query().Get("limit"))
	if !okOffset || !okLimit {
		writeError(w, r, http.StatusBadRequest, CodeInvalidParameter,
			"Query parameters limit and offset must be non-negative integers.", "")
		return
	}
	s.mu.Lock()
	now := s.Now()
	s.settle(now)
	j, ok := s.jobs[id]
	var lines []string
	if ok {
		lines = j.outputLines(now, s.node)
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, r, http.StatusNotFound, CodeNotFound, fmt.Sprintf("Job %q does not exist.", id), "")
		return
	}
	// limit and offset count lines; a zero limit means all of them.
	page := lines[min(offset, len(lines)):]
	hasMore := false
	if limit > 0 && limit < len(page) {
		page, hasMore = page[:limit], true
	}
	writeJSON(w, http.StatusOK, jobOutputResource{
		Links:   []link{{URI: baseURL(r) + "/jobs/" + id + "/output", Rel: "self"}},
		Output:  strings.Join(page, "\n"),
		HasMore: hasMore,
		Offset:  offset,
		Limit:   limit,
	})
}

func nonNegative(v string) (int, bool) {
	if v == "" {
		return 0, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 0
}
