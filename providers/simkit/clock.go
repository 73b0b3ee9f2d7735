package simkit

import (
	"sync"
	"time"
)

// Clock tells an emulator the time. Tests running under Temporal's
// time-skipping environment pass the environment's clock so vendor jobs
// finish in workflow time; nil means the wall clock.
type Clock func() time.Time

// Now reads the clock, falling back to the wall clock when c is nil.
func (c Clock) Now() time.Time {
	if c == nil {
		return time.Now()
	}
	return c()
}

// ManualClock is a clock that moves only when told to, so a test can make
// a vendor job, a session or a retry token expire without waiting. Pass its
// Now as an emulator's Options.Clock. It is safe for concurrent use.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a clock standing at start.
func NewManualClock(start time.Time) *ManualClock { return &ManualClock{now: start} }

// Now is the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
