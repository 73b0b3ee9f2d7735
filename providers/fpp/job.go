package fpp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// JobStatus is jobResource.status as the server sent it.
type JobStatus string

// The documented job statuses.
const (
	JobScheduled  JobStatus = "SCHEDULED"
	JobExecuting  JobStatus = "EXECUTING"
	JobPaused     JobStatus = "PAUSED"
	JobUnknown    JobStatus = "UNKNOWN"
	JobAborted    JobStatus = "ABORTED"
	JobTerminated JobStatus = "TERMINATED"
	JobFailed     JobStatus = "FAILED"
	JobSucceeded  JobStatus = "SUCCEEDED"
)

// Job is one FPP job's state, read once.
type Job struct {
	// ID is the job id to poll.
	ID string
	// Status is the status as sent; one the package does not know ends
	// the job as a failure.
	Status JobStatus
	// Operation is the server's description of the job, e.g.
	// "importIntoImage{image=DB1, schedule=…, path=/u01/db}".
	Operation string
	// ImageName is the image the job creates, read from Operation.
	ImageName string
	// Reason says why a job that is Done but not Succeeded ended: the last
	// line of its output, or the status itself when that is all there is.
	Reason string
}

// Done reports whether the job has stopped changing. PAUSED is not done:
// a paused job can be resumed. FPP's own UNKNOWN, like any status this
// package does not know, is treated as a final failure rather than polled
// forever.
func (j Job) Done() bool {
	switch j.Status {
	case JobScheduled, JobExecuting, JobPaused:
		return false
	}
	return true
}

// Succeeded reports whether the job finished its work.
func (j Job) Succeeded() bool { return j.Status == JobSucceeded }

// jobResource is the documented job body.
type jobResource struct {
	JobID     flexString `json:"jobId"`
	Status    string     `json:"status"`
	Operation string     `json:"operation"`
	Output    struct {
		Output string `json:"output"`
	} `json:"output"`
}

func (r jobResource) job() Job {
	return Job{
		ID:        string(r.JobID),
		Status:    JobStatus(r.Status),
		Operation: r.Operation,
		ImageName: operationImage(r.Operation),
	}
}

// operationImage reads image= from an operation such as
// "importIntoImage{image=DB_Image1, schedule=…, path=…}".
func operationImage(op string) string {
	_, rest, ok := strings.Cut(op, "image=")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(rest, ",}"); i >= 0 {
		rest = rest[:i]
	}
	return strings.TrimSpace(rest)
}

// GetJob reads job jobID's state once. For a job that ended badly it also
// reads the job output, where FPP writes why.
func (c *Client) GetJob(ctx context.Context, jobID string) (Job, error) {
	if jobID == "" {
		return Job{}, errors.New("get job: job id is empty")
	}
	ans, err := c.call(ctx, OpGetJob, http.MethodGet, "/jobs/"+url.PathEscape(jobID), nil)
	if err != nil {
		return Job{}, wrap(err, "get job %s", jobID)
	}
	var res jobResource
	if err := json.Unmarshal(ans.body, &res); err != nil {
		return Job{}, fmt.Errorf("get job %s: decode answer: %w", jobID, err)
	}
	job := res.job()
	if job.ID == "" {
		job.ID = jobID
	}
	switch job.Status {
	case JobScheduled, JobExecuting, JobPaused, JobSucceeded:
		return job, nil
	case JobFailed, JobAborted, JobTerminated, JobUnknown:
	default:
		job.Reason = fmt.Sprintf("job %s has unknown status %q", job.ID, job.Status)
		return job, nil
	}
	out := res.Output.Output
	if out == "" {
		if out, err = c.GetJobOutput(ctx, jobID); err != nil {
			return Job{}, err
		}
	}
	job.Reason = lastLine(out)
	if job.Reason == "" {
		job.Reason = fmt.Sprintf("job %s ended with status %s", job.ID, job.Status)
	}
	return job, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// jobOutputResource is the documented job output body.
type jobOutputResource struct {
	Output string `json:"output"`
}

// GetJobOutput reads the output job jobID has written so far, one line per
// step, as one string.
func (c *Client) GetJobOutput(ctx context.Context, jobID string) (string, error) {
	if jobID == "" {
		return "", errors.New("get job output: job id is empty")
	}
	ans, err := c.call(ctx, OpGetJobOutput, http.MethodGet, "/jobs/"+url.PathEscape(jobID)+"/output", nil)
	if err != nil {
		return "", wrap(err, "get job %s output", jobID)
	}
	var res jobOutputResource
	if err := json.Unmarshal(ans.body, &res); err != nil {
		return "", fmt.Errorf("get job %s output: decode answer: %w", jobID, err)
	}
	return res.Output, nil
}

// jobIDFromLocation reads the job id from a Location such as
// https://host:8894/rhp-restapi/rhp/jobs/17.
func jobIDFromLocation(loc string) string {
	u, err := url.Parse(loc)
	if err != nil || !strings.Contains(u.Path, "/jobs/") {
		return ""
	}
	id := path.Base(strings.TrimRight(u.Path, "/"))
	if id == "jobs" || id == "." || id == "/" {
		return ""
	}
	return id
}
