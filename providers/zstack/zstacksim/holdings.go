package zstacksim

import "github.com/imagepipe/imagepipe/providers/simkit"

// KindImage is the kind of resource Holdings reports: an image, by uuid.
const KindImage = "zstack image"

// Holdings reports every image an UpdateImage took effect on, with the
// number of updates that did as its changes and its description as its
// state (what a pipeline's update leaves).
func (s *Server) Holdings() []simkit.Holding {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(s.Now())
	out := make([]simkit.Holding, 0, len(s.applied))
	for uuid, n := range s.applied {
		h := simkit.Holding{Kind: KindImage, Name: uuid, Changes: n, Absent: true}
		if img, ok := s.images[uuid]; ok {
			h.State, h.Absent = img.Description, false
		}
		out = append(out, h)
	}
	simkit.SortHoldings(out)
	return out
}
