package activities

// JobStatus is one look at a vendor job, in the same shape for every vendor,
// so one awaiting workflow can poll them all.
type JobStatus struct {
	Done      bool   `json:"done"`
	Succeeded bool   `json:"succeeded"`
	State     string `json:"state"`             // the vendor's own word for it
	Percent   int    `json:"percent,omitempty"` // where the vendor reports it
	Message   string `json:"message,omitempty"` // the vendor's failure reason
	// Outputs are ids the job produced (e.g. the new image id).
	Outputs map[string]string `json:"outputs,omitempty"`
}

// PollInput names a vendor job to look at once.
type PollInput struct {
	Unit
	JobID string `json:"job_id"`
}
