package huaweisim

import (
	"net/http"
	"time"
)

// Job statuses of IMS's job query API.
const (
	JobInit    = "INIT"
	JobRunning = "RUNNING"
	JobSuccess = "SUCCESS"
	JobFail    = "FAIL"
)

// jobTypeCopyInRegion is the job_type IMS documents for an in-region copy.
const jobTypeCopyInRegion = "imsCopyImageInRegionJob"

// failedJobCode is the error_code a failed copy job carries.
// Unverified: which code real copy failures report; IMG.0061 is IMS's
// documented "Unknown system error.".
const failedJobCode = codeUnknownSystem

// jobTime is how the emulator writes begin_time and end_time.
// Unverified: IMS documents them only as "UTC format", and its example
// ("04-Jun-2015 18:11:06:586") predates the current API; clients should keep
// them as text.
const jobTime = "2006-01-02T15:04:05.000Z"

// job is a copy in progress or done. Its status is not stored but derived
// from the clock: INIT for the first tenth of its duration, RUNNING until
// the duration has passed, then SUCCESS, or FAIL when failReason is set.
type job struct {
	id         string
	created    time.Time
	duration   time.Duration
	imageID    string
	imageName  string
	failReason string
}

// status is the job's status at now and its progress as a fraction.
func (j *job) status(now time.Time) (string, float64) {
	elapsed := now.Sub(j.created)
	switch {
	case elapsed >= j.duration:
		if j.failReason != "" {
			return JobFail, 1
		}
		return JobSuccess, 1
	case elapsed < j.duration/10:
		return JobInit, 0
	default:
		return JobRunning, float64(elapsed) / float64(j.duration)
	}
}

func (j *job) done(now time.Time) bool {
	st, _ := j.status(now)
	return st == JobSuccess || st == JobFail
}

// settle brings every copy's image in line with its job at now: queued,
// saving, active, or removed when the job failed.
// Unverified: that IMS drops the half-made image of a failed copy rather
// than leaving it "killed"; clients here ignore killed images either way.
func (s *Server) settle(now time.Time) {
	for id, img := range s.images {
		j, ok := s.jobs[img.JobID]
		if !ok {
			continue
		}
		st, _ := j.status(now)
		next := img.Status
		switch st {
		case JobInit:
			next = StatusQueued
		case JobRunning:
			next = StatusSaving
		case JobSuccess:
			next = StatusActive
		case JobFail:
			delete(s.images, id)
			continue
		}
		if next != img.Status {
			img.Status = next
			img.UpdatedAt = now.UTC()
		}
	}
}

type jobEntities struct {
	ImageID        string   `json:"image_id,omitempty"`
	ImageName      string   `json:"image_name,omitempty"`
	ProcessPercent *float64 `json:"process_percent,omitempty"`
	CurrentTask    string   `json:"current_task,omitempty"`
}

type jobJSON struct {
	Status     string      `json:"status"`
	JobID      string      `json:"job_id"`
	JobType    string      `json:"job_type"`
	BeginTime  string      `json:"begin_time"`
	EndTime    string      `json:"end_time"`
	ErrorCode  *string     `json:"error_code"`
	FailReason *string     `json:"fail_reason"`
	Entities   jobEntities `json:"entities"`
}

// showJob answers GET /v1/{project_id}/jobs/{job_id}. While the job runs,
// entities carry the progress as a fraction (process_percent, as IMS's job
// progress API documents it); on success, the new image's id.
func (s *Server) showJob(w http.ResponseWriter, reqID, projectID, jobID string) {
	if projectID != s.projectID {
		// Unverified: the exact answer for a job path naming another project.
		writeGatewayError(w, reqID, http.StatusForbidden, codeGatewayForbidden,
			"The IAM user is not authorized to access the API.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	j, ok := s.jobs[jobID]
	if !ok {
		// Unverified: IMS's answer for an unknown job id.
		writeIMSError(w, http.StatusNotFound, codeJobQueryFailure, "An exception occurred during job query.")
		return
	}
	st, frac := j.status(now)
	out := jobJSON{
		Status:    st,
		JobID:     j.id,
		JobType:   jobTypeCopyInRegion,
		BeginTime: j.created.UTC().Format(jobTime),
		Entities:  jobEntities{ImageName: j.imageName},
	}
	switch st {
	case JobInit, JobRunning:
		out.Entities.ProcessPercent = &frac
		out.Entities.CurrentTask = "CopyImageTask"
	case JobSuccess:
		out.EndTime = j.created.Add(j.duration).UTC().Format(jobTime)
		out.Entities.ImageID = j.imageID
	case JobFail:
		out.EndTime = j.created.Add(j.duration).UTC().Format(jobTime)
		code, reason := failedJobCode, j.failReason
		out.ErrorCode, out.FailReason = &code, &reason
	}
	if forced, ok := s.override[jobID]; ok {
		out.Status = forced
	}
	writeJSON(w, http.StatusOK, out)
}
