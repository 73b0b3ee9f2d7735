package simkit

import (
	"sync"
	"time"
)

// JobPlan is what a test has decided about an emulator's coming jobs: how
// long each takes, and which fail and why. An emulator with jobs embeds
// one, so SetJobDuration is the same call for every vendor, and reads it
// when it accepts a job; each vendor keeps its own named FailNext… call,
// which says in the vendor's words how the failure shows. The zero value
// plans jobs that end at once and succeed. It is safe for concurrent use.
type JobPlan struct {
	mu       sync.Mutex
	duration time.Duration
	failures []string
}

// SetJobDuration sets how long jobs accepted from now on take; zero or
// less makes them end by the next look.
func (p *JobPlan) SetJobDuration(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.duration = max(d, 0)
}

// JobDuration is how long a job accepted now takes.
func (p *JobPlan) JobDuration() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.duration
}

// FailNextJob queues a failure: the next job to take one ends failed with
// reason.
func (p *JobPlan) FailNextJob(reason string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.failures = append(p.failures, reason)
}

// TakeFailure takes the next queued failure for a job being accepted, or
// reports false when the job is to succeed.
func (p *JobPlan) TakeFailure() (reason string, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.failures) == 0 {
		return "", false
	}
	reason, p.failures = p.failures[0], p.failures[1:]
	return reason, true
}
