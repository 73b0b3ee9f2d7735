package fppsim

import "github.com/imagepipe/imagepipe/providers/simkit"

// KindImage is the kind of resource Holdings reports: a gold image.
const KindImage = "fpp image"

// Holdings reports each gold image an import job was accepted for, with
// the number of such jobs as its changes: a second import of one image is
// a step done twice, even when FPP refused to make the image again. An
// image whose jobs failed or are still running is Absent; images seeded
// at start and never imported are not reported.
func (s *Server) Holdings() []simkit.Holding {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(s.Now())
	jobs := map[string]int{}
	for _, j := range s.jobs {
		jobs[j.image.Name]++
	}
	out := make([]simkit.Holding, 0, len(jobs))
	for name, n := range jobs {
		_, held := s.images[name]
		out = append(out, simkit.Holding{Kind: KindImage, Name: name, Changes: n, Absent: !held})
	}
	simkit.SortHoldings(out)
	return out
}
