package workflows

import (
	"go.temporal.io/sdk/workflow"
)

// defaultVendorCaps bound how many steps or fan-out items of one pipeline
// use a vendor at once unless the pipeline says otherwise. IMS documents at
// most 5 concurrent replication tasks per tenant (its Constraints page,
// "Replicating an image") and answers IMG.0060 past its limit, so copies
// queue here instead of being refused there; 3 leaves room for a second
// pipeline or a person in the same tenant.
var defaultVendorCaps = map[string]int{"huawei": 3}

// limits is a counting semaphore per vendor, in workflow code: waiting is
// workflow.Await, so it is deterministic and costs no history events.
type limits struct {
	caps  map[string]int
	inUse map[string]int
}

func newLimits(overrides map[string]int) *limits {
	l := &limits{caps: map[string]int{}, inUse: map[string]int{}}
	for v, n := range defaultVendorCaps {
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
