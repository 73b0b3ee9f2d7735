package ocisim

import "github.com/imagepipe/imagepipe/providers/simkit"

// The kinds of resource Holdings reports.
const (
	KindCompartment = "oci compartment" // by name
	KindImage       = "oci image"       // by OCID
)

// Holdings reports every compartment clients created that is not DELETED
// (two of one name are two holdings), and every image a compartment change
// took effect on, with its moves as its changes and the name of the
// compartment it is in now as its state.
func (s *Server) Holdings() []simkit.Holding {
	comps := s.Compartments()
	names := map[string]string{}
	var out []simkit.Holding
	for _, c := range comps {
		names[c.ID] = c.Name
		if c.LifecycleState != CompartmentDeleted {
			out = append(out, simkit.Holding{Kind: KindCompartment, Name: c.Name, Changes: 1})
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, img := range s.images {
		if img.Moves > 0 {
			in, ok := names[img.CompartmentID]
			if !ok {
				in = img.CompartmentID // the tenancy, or a compartment the test made up
			}
			out = append(out, simkit.Holding{Kind: KindImage, Name: img.ID, Changes: img.Moves, State: in})
		}
	}
	simkit.SortHoldings(out)
	return out
}
