package huawei

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// JobStatus is an IMS asynchronous job's status.
type JobStatus string

// The statuses IMS documents for its job query API.
const (
	JobInit    JobStatus = "INIT"
	JobRunning JobStatus = "RUNNING"
	JobSuccess JobStatus = "SUCCESS"
	JobFail    JobStatus = "FAIL"
)

// Job is one look at an IMS asynchronous job.
type Job struct {
	ID     string
	Type   string // job_type, e.g. "imsCopyImageInRegionJob"
	Status JobStatus
	// Percent is the progress, 0 to 100, from entities.process_percent
	// (which IMS reports as a fraction); 0 while IMS reports none, 100 once
	// the job succeeded.
	Percent float64
	// ImageID is the image the job produced (entities.image_id): for a copy,
	// the new image.
	ImageID   string
	ImageName string
	// ErrorCode and FailReason say why the job failed: the job's own
	// error_code and fail_reason, else those in its entities. For a status
	// this client does not know, FailReason quotes it.
	ErrorCode  string
	FailReason string
	// BeginTime and EndTime are as IMS wrote them ("UTC format").
	BeginTime string
	EndTime   string
}

// Done reports whether the job will not change any more: it succeeded,
// failed, or is in a status this client does not know (treated as failed).
func (j Job) Done() bool {
	return j.Status != JobInit && j.Status != JobRunning
}

// Succeeded reports whether the job finished successfully.
func (j Job) Succeeded() bool {
	return j.Status == JobSuccess
}

type jobResponse struct {
	Status     string  `json:"status"`
	JobID      string  `json:"job_id"`
	JobType    string  `json:"job_type"`
	BeginTime  string  `json:"begin_time"`
	EndTime    string  `json:"end_time"`
	ErrorCode  *string `json:"error_code"`
	FailReason *string `json:"fail_reason"`
	Entities   struct {
		ImageID        string   `json:"image_id"`
		ImageName      string   `json:"image_name"`
		ProcessPercent *float64 `json:"process_percent"`
		ErrorCode      string   `json:"error_code"`
		Error          string   `json:"error"`
	} `json:"entities"`
}

// GetJob looks at an asynchronous job once (GET /v1/{project_id}/jobs/{job_id}).
// It does not wait: the workflow polls with durable timers.
func (c *Client) GetJob(ctx context.Context, jobID string) (Job, error) {
	if jobID == "" {
		return Job{}, errors.New("get job: job id is empty")
	}
	var out jobResponse
	path := "/v1/" + url.PathEscape(c.projectID) + "/jobs/" + url.PathEscape(jobID)
	if err := c.call(ctx, OpShowJob, http.MethodGet, path, nil, nil, &out); err != nil {
		return Job{}, fmt.Errorf("get job %s: %w", jobID, err)
	}
	j := Job{
		ID:         out.JobID,
		Type:       out.JobType,
		Status:     JobStatus(out.Status),
		ImageID:    out.Entities.ImageID,
		ImageName:  out.Entities.ImageName,
		ErrorCode:  deref(out.ErrorCode),
		FailReason: deref(out.FailReason),
		BeginTime:  out.BeginTime,
		EndTime:    out.EndTime,
	}
	if j.ID == "" {
		j.ID = jobID
	}
	if p := out.Entities.ProcessPercent; p != nil {
		j.Percent = min(max(*p*100, 0), 100)
	}
	switch j.Status {
	case JobInit, JobRunning:
	case JobSuccess:
		j.Percent = 100
	case JobFail:
		if j.ErrorCode == "" {
			j.ErrorCode = out.Entities.ErrorCode
		}
		if j.FailReason == "" {
			j.FailReason = out.Entities.Error
		}
		if j.FailReason == "" {
			j.FailReason = "IMS reported the job as FAIL without a reason"
		}
	default:
		j.FailReason = fmt.Sprintf("unknown job status %q", out.Status)
	}
	return j, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
