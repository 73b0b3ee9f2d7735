package workflows

import (
	"go.temporal.io/sdk/workflow"
)

// limits is a counting semaphore per vendor, in workflow code: waiting is
// workflow.Await, so it is deterministic and costs no history events.
type limits struct {
	caps  map[string]int
	inUse map[string]int
}

// newLimits caps each vendor at its default (Vendor.Cap) unless the
// pipeline overrides it.
func newLimits(defaults, overrides map[string]int) *limits {
	l := &limits{caps: map[string]int{}, inUse: map[string]int{}}
	for v, n := range defaults {
		l.caps[v] = n
	}
	for v, n := range overrides {
		l.caps[v] = n
	}
	return l
}

// acquire waits until vendor has a free slot and takes it. A vendor without
// a cap never waits.
func (l *limits) acquire(ctx workflow.Context, vendor string) error {
	limit, capped := l.caps[vendor]
	if capped {
		if err := workflow.Await(ctx, func() bool { return l.inUse[vendor] < limit }); err != nil {
			return err
		}
	}
	l.inUse[vendor]++
	return nil
}

func (l *limits) release(vendor string) { l.inUse[vendor]-- }

// full reports whether a call to vendor would wait, and the cap.
func (l *limits) full(vendor string) (bool, int) {
	limit, capped := l.caps[vendor]
	return capped && l.inUse[vendor] >= limit, limit
}
