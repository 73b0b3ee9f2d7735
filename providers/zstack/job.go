package zstack

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// JobState is where an api-job stands. ZStack says it with the HTTP status
// of the poll: 202 running, 200 succeeded, 503 with the job's error failed.
type JobState string

// Job states.
const (
	JobRunning   JobState = "Running"
	JobSucceeded JobState = "Succeeded"
	JobFailed    JobState = "Failed"
)

// Job is one poll of an api-job. ZStack reports no percentage for api-jobs.
type Job struct {
	UUID  string   // the X-Job-UUID; quote it to ZStack support
	State JobState // JobRunning, JobSucceeded or JobFailed
	// Code and Reason say why the job failed: ZStack's error code (e.g.
	// SYS.1003 for an unknown image, SYS.1007 for an invalid argument,
	// ID.1001 for a dead session) and its description with the root cause's
	// details. An answer ZStack does not define is a failure quoting it.
	Code   string
	Reason string
	// Image is the updated image when the job succeeded.
	Image Image
}

// Done says the job will not change any more.
func (j Job) Done() bool { return j.State != JobRunning }

// Succeeded says the job finished and did what it was asked.
func (j Job) Succeeded() bool { return j.State == JobSucceeded }

// JobLocation is the api-job location of a job uuid on this client's
// endpoint, the place ZStack's answer would point to.
func (c *Client) JobLocation(jobUUID string) string {
	return c.base + "/api-jobs/" + jobUUID
}

// GetJob polls an api-job once. location is the one UpdateImage returned; only
// its job uuid is used, on this client's endpoint, because ZStack writes its
// own configured address into locations, which need not be reachable from
// here (ZStack's Java SDK rewrites them the same way). ZStack checks no
// session on this path, so none is sent. A job ZStack no longer holds
// (completed more than three hours ago, or never started) is a *vendorerr.Error 404.
//
// ZStack's RestServer answers a failed job with 503 and the job's error;
// its Java SDK takes every 503 on a poll as the job's result. This client
// does not: a 503 with SYS.1012 (the management node is unavailable) says
// where the poll landed, not what the job did, and a proxy or a node
// restarting says it for a moment. Such an answer, like any 503 without
// ZStack's envelope or with a Retry-After, 5xx, 429 or dropped connection,
// is an error, and the caller polls again. Only if SYS.1012 persists is it
// the job's own result (its node left while running it; whether the update
// applied is unknown): NodeUnavailable tells the caller which answer it got.
// Unverified: that anything in front of a real management node answers a
// poll with a passing 503 SYS.1012; RestServer itself writes only the job's
// recorded error there, which is final.
func (c *Client) GetJob(ctx context.Context, location string) (Job, error) {
	id, err := jobUUIDOf(location)
	if err != nil {
		return Job{}, err
	}
	a, err := c.send(ctx, http.MethodGet, "/api-jobs/"+url.PathEscape(id), "", "", nil)
	if err != nil {
		return Job{}, fmt.Errorf("get job %s: %w", id, err)
	}
	job := Job{UUID: id}
	switch {
	case a.status == http.StatusAccepted:
		job.State = JobRunning
	case a.status == http.StatusOK:
		img, err := decodeInventory(a.body)
		if err != nil {
			return Job{}, fmt.Errorf("get job %s: %w", id, err)
		}
		job.State, job.Image = JobSucceeded, img
	case a.status == http.StatusServiceUnavailable && a.header.Get("Retry-After") == "":
		// 503 is also what a proxy says when the node is down; only ZStack's
		// error envelope, which carries no Retry-After, means the job failed.
		ec, ok := decodeError(a.body)
		if !ok || ec.Code == CodeNodeUnavailable {
			return Job{}, vendorError("GetAPIJob", a, id)
		}
		job.State, job.Code, job.Reason = JobFailed, ec.Code, ec.reason()
	case a.status >= 200 && a.status < 300:
		job.State, job.Reason = JobFailed, fmt.Sprintf("unknown api-job answer: HTTP %d %s", a.status, strings.TrimSpace(string(a.body)))
	default:
		return Job{}, vendorError("GetAPIJob", a, id)
	}
	return job, nil
}

// jobUUIDOf takes the job uuid out of ".../api-jobs/{uuid}".
func jobUUIDOf(location string) (string, error) {
	u, err := url.Parse(location)
	if err != nil {
		return "", fmt.Errorf("get job: location %q: %w: %w", location, err, ErrInvalidInput)
	}
	_, id, ok := strings.Cut(u.Path, "/api-jobs/")
	id = strings.TrimSuffix(id, "/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return "", fmt.Errorf("get job: location %q has no /api-jobs/{uuid}: %w", location, ErrInvalidInput)
	}
	return id, nil
}
