package zstacksim

import (
	"cmp"
	"net/http"
	"slices"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// JobState is where an api-job stands, in ZStack's AsyncRestState words.
type JobState string

// Job states.
const (
	JobProcessing JobState = "processing"
	JobDone       JobState = "done"
)

// Job is what the emulator recorded about one accepted UpdateImage.
type Job struct {
	UUID      string     // the X-Job-UUID, sent or generated
	ImageUUID string     // the image the PUT named
	State     JobState   // JobProcessing until the clock passes its duration
	Succeeded bool       // when JobDone: whether the update took effect
	Error     *ErrorCode // why it failed, when JobDone and not Succeeded
	Result    Image      // the inventory it answered with, when Succeeded
	// SystemTags and UserTags are the tags the request carried, recorded
	// only: ZStack's UpdateImage handler does not apply them.
	SystemTags []string
	UserTags   []string
}

type job struct {
	Job
	seq     int
	created time.Time
	readyAt time.Time
	fields  updateFields
	refused *ErrorCode // found by the API mediator before the job ran
	failure string     // injected by FailNextUpdate
}

// FailNextUpdate makes the next UpdateImage that the mediator accepts fail
// when it runs, with SYS.1006 and reason as the details.
func (s *Server) FailNextUpdate(reason string) { s.FailNextJob(reason) }

// Job returns the recorded job with that X-Job-UUID, settled by the clock.
func (s *Server) Job(uuid string) (Job, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(s.Now())
	j, ok := s.jobs[uuid]
	if !ok {
		return Job{}, false
	}
	return j.Job, true
}

// updateImage serves PUT /v1/images/{uuid}/actions with {"updateImage": {...},
// "systemTags": [...], "userTags": [...]}, in RestServer's order: action key,
// Authorization, X-Job-UUID; then the API mediator's checks (parameters,
// session, resource) fail the job rather than the request.
func (s *Server) updateImage(r *http.Request, uuid string, body map[string]any) reply {
	params, ok := body["updateImage"].(map[string]any)
	if !ok {
		return textReply(http.StatusBadRequest, "the body doesn't contain action mapping to the URL[/v1/images/%s/actions]", uuid)
	}
	sess, bad := bearer(r)
	if bad != nil {
		return *bad
	}
	fields, bad := parseUpdateFields(params, body)
	if bad != nil {
		return *bad
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	s.settle(now)

	jobUUID := r.Header.Get("X-Job-UUID")
	if len(r.Header.Values("X-Job-UUID")) > 0 {
		if len(jobUUID) != 32 {
			return textReply(http.StatusBadRequest, "Invalid header[X-Job-UUID], it must be a UUID with '-' stripped")
		}
		if _, dup := s.jobs[jobUUID]; dup {
			return textReply(http.StatusBadRequest, "Duplicate job uuid[%s]", jobUUID)
		}
	} else {
		jobUUID = simkit.RandomHex(16)
	}

	// Unverified: the order in which ZStack's interceptors run; the emulator
	// checks parameters, then the session, then that the image exists.
	refused := fields.validate()
	if refused == nil {
		refused = s.checkSession(sess, now)
	}
	if refused == nil {
		if _, ok := s.images[uuid]; !ok {
			refused = newErrorCode(CodeResourceNotFound, "invalid field[uuid], resource[uuid:%s, type:ImageVO] not found", uuid)
		}
	}

	s.jobSeq++
	j := &job{
		Job: Job{UUID: jobUUID, ImageUUID: uuid, State: JobProcessing,
			SystemTags: fields.systemTags, UserTags: fields.userTags},
		seq: s.jobSeq, created: now, readyAt: now.Add(s.JobDuration()), fields: fields, refused: refused,
	}
	if refused != nil {
		j.readyAt = now
	} else if reason, ok := s.TakeFailure(); ok {
		j.failure = reason
	}

	if s.opts.Synchronous {
		if refused != nil {
			return errorReply(http.StatusServiceUnavailable, refused)
		}
		j.readyAt = now
		s.jobs[jobUUID] = j
		s.complete(j, now)
		return jobAnswer(j)
	}
	s.jobs[jobUUID] = j
	return jsonReply(http.StatusAccepted, map[string]any{
		"location":   s.baseURL(r) + "/v1/api-jobs/" + jobUUID,
		"apiTimeout": s.opts.APITimeout.Milliseconds(),
	})
}

// getJob serves GET /v1/api-jobs/{uuid}. RestServer checks no session here.
func (s *Server) getJob(_ *http.Request, uuid string, _ map[string]any) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(s.Now())
	j, ok := s.jobs[uuid]
	if !ok {
		return textReply(http.StatusNotFound, "the job has been expired")
	}
	if j.State == JobProcessing {
		return jsonReply(http.StatusAccepted, map[string]any{})
	}
	return jobAnswer(j)
}

func jobAnswer(j *job) reply {
	if !j.Succeeded {
		return errorReply(http.StatusServiceUnavailable, j.Error)
	}
	return jsonReply(http.StatusOK, map[string]any{"inventory": j.Result})
}

// settle finishes, in the order they were due, the jobs whose time has come,
// and forgets completed jobs older than the retention period, as ZStack's
// cleanup thread does. Callers hold s.mu.
func (s *Server) settle(now time.Time) {
	var due []*job
	for id, j := range s.jobs {
		if j.State == JobDone && !now.Before(j.created.Add(s.opts.JobRetention)) {
			delete(s.jobs, id)
			continue
		}
		if j.State == JobProcessing && !now.Before(j.readyAt) {
			due = append(due, j)
		}
	}
	slices.SortFunc(due, func(a, b *job) int {
		return cmp.Or(a.readyAt.Compare(b.readyAt), cmp.Compare(a.seq, b.seq))
	})
	for _, j := range due {
		s.complete(j, j.readyAt)
	}
}

// complete runs ImageBase.updateImage: every field sent replaces the stored
// one; absent fields stay as they are.
func (s *Server) complete(j *job, at time.Time) {
	j.State = JobDone
	img, ok := s.images[j.ImageUUID]
	switch {
	case j.refused != nil:
		j.Error = j.refused
		return
	case j.failure != "":
		j.Error = newErrorCode(CodeOperationError, "%s", j.failure)
		return
	case !ok:
		j.Error = newErrorCode(CodeResourceNotFound, "invalid field[uuid], resource[uuid:%s, type:ImageVO] not found", j.ImageUUID)
		return
	}
	if j.fields.apply(img) {
		img.LastOpDate = zstackTime(at)
	}
	s.applied[j.ImageUUID]++
	j.Succeeded = true
	j.Result = *img
}
