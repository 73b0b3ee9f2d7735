package fpp

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
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
// one request (GET /jobs, "Get all the jobs"). Its answer grows with every
// job the server ever ran, so imagepipe's check before an import does not
// use it; tests count imports with it.
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
