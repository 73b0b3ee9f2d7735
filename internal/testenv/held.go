package testenv

import (
	"fmt"
	"sort"
	"strings"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Want is one resource a pipeline must leave at a vendor, exactly once,
// named as the vendor's sim reports it (simkit.Holding).
type Want struct {
	Kind string // one of the sim's kinds, e.g. zstacksim.KindImage
	Name string
	// State is what the resource's state must start with at the end, when
	// the pipeline succeeded; empty is any.
	State string
}

// Planned is what one pipeline of a batch must leave at the vendors.
// Pipelines of a batch share no resource, so everything a vendor holds at
// the end traces to one.
type Planned struct {
	Name   string
	Leaves []Want
}

// Held compares what the vendors hold at the end (each sim's Holdings)
// with the plans: dups lists every resource that exists more than once,
// was changed more than once, or that no pipeline asked for; missing
// lists what a pipeline that succeeded should have left and did not, or
// left in another state. A pipeline that failed may leave less, never
// more.
func (v *ServedVendors) Held(plans []Planned, succeeded map[string]bool) (dups, missing []string) {
	held := map[string][]simkit.Holding{}
	for _, name := range v.vendors {
		if h := v.served[name].Holdings; h != nil {
			for _, r := range h() {
				key := r.Kind + " " + r.Name
				held[key] = append(held[key], r)
			}
		}
	}
	asked := map[string]bool{}
	for _, p := range plans {
		ok := succeeded[p.Name]
		for _, w := range p.Leaves {
			key := w.Kind + " " + w.Name
			asked[key] = true
			var present []simkit.Holding
			changes := 0
			for _, r := range held[key] {
				changes += r.Changes
				if !r.Absent {
					present = append(present, r)
				}
			}
			switch {
			case len(present) > 1:
				dups = append(dups, fmt.Sprintf("%s: %d of them", key, len(present)))
			case changes > 1:
				dups = append(dups, fmt.Sprintf("%s: changed %d times", key, changes))
			case !ok:
			case len(present) == 0:
				missing = append(missing, key)
			case !strings.HasPrefix(present[0].State, w.State):
				missing = append(missing, fmt.Sprintf("%s %q..., it is %q", key, w.State, present[0].State))
			}
		}
	}
	for key := range held {
		if !asked[key] {
			dups = append(dups, key+" that no pipeline asked for")
		}
	}
	sort.Strings(dups)
	sort.Strings(missing)
	return dups, missing
}
