package fpp

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// jobCollection is the documented answer of GET /jobs: an "items" array of
// jobs "with at least an Id property" and a self link each.
type jobCollection struct {
	Items []jobListItem `json:"items"`
}

type jobListItem struct {
	jobResource
	Links []struct {
		// The schema names the address href, every example uri.
		URI  string `json:"uri"`
		Href string `json:"href"`
		Rel  string `json:"rel"`
	} `json:"links"`
}

// selfJobID reads the job id from the item's self link, for an item that
// left jobId out.
func (it jobListItem) selfJobID() string {
	for _, l := range it.Links {
		if l.Rel == "self" {
			return jobIDFromLocation(cmp.Or(l.URI, l.Href))
		}
	}
	return ""
}

// ListJobs reads every job the server keeps, in the server's order, with
// one request (GET /jobs, "Get all the jobs").
//
// The documented example lists each job with its jobId alone, so Status,
// Operation and ImageName are empty unless the server sends them; an
// empty Status is not an answer to Done or Succeeded, and GetJob reads
// it. Reason is never set: ListJobs reads no job output.
func (c *Client) ListJobs(ctx context.Context) ([]Job, error) {
	ans, err := c.call(ctx, OpListJobs, http.MethodGet, "/jobs", nil)
	if err != nil {
		return nil, wrap(err, "list jobs")
	}
	var res jobCollection
	if err := json.Unmarshal(ans.body, &res); err != nil {
		return nil, fmt.Errorf("list jobs: decode answer: %w", err)
	}
	jobs := make([]Job, 0, len(res.Items))
	for i, item := range res.Items {
		job := item.job()
		if job.ID == "" {
			job.ID = item.selfJobID()
		}
		if job.ID == "" {
			return nil, fmt.Errorf("list jobs: item %d names no job", i)
		}
		jobs = append(jobs, job)
	}
	return jobs, nil
}

// FindImportJob finds the job importing gold image imageName, so that a
// retried import waits for the job an earlier attempt started instead of
// being refused while that job runs (FPP has no idempotency token, and
// the image does not exist until the job ends). It returns the newest
// import of imageName that has not ended badly, that is one SCHEDULED,
// EXECUTING, PAUSED or SUCCEEDED, and false when there is none.
//
// Newest is the highest job id when every id is a whole number (FPP
// documents job ids as unique integers), else the last in the server's
// list. An import is a job whose operation is named import…
// ("importIntoImage{image=DB1, …}") and whose image= is imageName.
//
// It makes one ListJobs request and then, newest first and only for jobs
// the list does not describe, one GET /jobs/{jobId} each until it finds
// the job: against a server that lists bare ids, as the documented
// example does, finding nothing costs a request per job the server keeps.
// A job that vanishes between the two requests is skipped. A SUCCEEDED
// job is returned even if its image has since been deleted; confirm with
// GetImage.
func (c *Client) FindImportJob(ctx context.Context, imageName string) (Job, bool, error) {
	if imageName == "" {
		return Job{}, false, errors.New("find import job: image name is empty")
	}
	jobs, err := c.ListJobs(ctx)
	if err != nil {
		return Job{}, false, wrap(err, "find import job of %s", imageName)
	}
	for _, job := range newestFirst(jobs) {
		if job.Operation != "" && !importsImage(job, imageName) {
			continue
		}
		if job.Operation == "" || job.Status == "" {
			detail, found, err := c.jobDetail(ctx, job.ID)
			if err != nil {
				return Job{}, false, wrap(err, "find import job of %s", imageName)
			}
			if !found || !importsImage(detail, imageName) {
				continue
			}
			job = detail
		}
		switch job.Status {
		case JobScheduled, JobExecuting, JobPaused, JobSucceeded:
			return job, true, nil
		}
	}
	return Job{}, false, nil
}

// importsImage reports whether job is an import of image name.
//
// Unverified: the documents show only importIntoImage among operation
// names; any operation named import… is taken as one, so that a server
// naming it differently is not missed, while jobs that merely use an
// image (a working copy's "image=") are not.
func importsImage(job Job, name string) bool {
	opName, _, _ := strings.Cut(job.Operation, "{")
	return job.ImageName == name && strings.Contains(strings.ToLower(opName), "import")
}

// newestFirst orders jobs by descending numeric id when every id is a
// whole number, else reverses the server's order.
func newestFirst(jobs []Job) []Job {
	type numbered struct {
		n   uint64
		job Job
	}
	nums := make([]numbered, 0, len(jobs))
	for _, job := range jobs {
		n, err := strconv.ParseUint(job.ID, 10, 64)
		if err != nil {
			out := slices.Clone(jobs)
			slices.Reverse(out)
			return out
		}
		nums = append(nums, numbered{n, job})
	}
	slices.SortStableFunc(nums, func(a, b numbered) int { return cmp.Compare(b.n, a.n) })
	out := make([]Job, len(nums))
	for i, nj := range nums {
		out[i] = nj.job
	}
	return out
}

// jobDetail reads job jobID's status and operation once, without the job
// output GetJob reads for a failure; false when the server has no such
// job (any more).
func (c *Client) jobDetail(ctx context.Context, jobID string) (Job, bool, error) {
	ans, err := c.call(ctx, OpGetJob, http.MethodGet, "/jobs/"+url.PathEscape(jobID), nil)
	var apiErr *Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		return Job{}, false, nil
	}
	if err != nil {
		return Job{}, false, wrap(err, "get job %s", jobID)
	}
	var res jobResource
	if err := json.Unmarshal(ans.body, &res); err != nil {
		return Job{}, false, fmt.Errorf("get job %s: decode answer: %w", jobID, err)
	}
	job := res.job()
	if job.ID == "" {
		job.ID = jobID
	}
	return job, true, nil
}
