package simkit

import "sort"

// Holding is one resource an emulator's clients made or changed (what it
// was seeded with and nobody touched is not one): what a test counts to
// prove that no step ran twice and none was lost, whichever vendor it is.
type Holding struct {
	// Kind is the vendor and the resource, e.g. "zstack image"; each sim
	// exports its kinds as constants.
	Kind string
	// Name is how a pipeline names it: the name it gave it, or the id of
	// the seeded resource it changed.
	Name string
	// Changes is how many times a client made or changed it, tries that
	// failed included: more than one is a step done twice.
	Changes int
	// State is what a plan can check it ended as (the compartment an image
	// was moved into, an image's description), or empty.
	State string
	// Absent is a resource a client asked for that is not there (its job
	// failed, or is still running): it counts as a change, not as held.
	Absent bool
}

// SortHoldings orders holdings by kind, then name, so a sim reports them
// in the same order every time.
func SortHoldings(hs []Holding) {
	sort.Slice(hs, func(i, j int) bool {
		if hs[i].Kind != hs[j].Kind {
			return hs[i].Kind < hs[j].Kind
		}
		return hs[i].Name < hs[j].Name
	})
}
