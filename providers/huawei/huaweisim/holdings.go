package huaweisim

import "github.com/imagepipe/imagepipe/providers/simkit"

// KindImage is the kind of resource Holdings reports: an image, by name.
const KindImage = "huawei image"

// Holdings reports every image that exists now and was not seeded at
// start (copies in progress included, failed copies not), by name: two
// copies to one name are two holdings, a copy made twice.
func (s *Server) Holdings() []simkit.Holding {
	var out []simkit.Holding
	for _, img := range s.Images() {
		if !s.seeded[img.ID] {
			out = append(out, simkit.Holding{Kind: KindImage, Name: img.Name, Changes: 1})
		}
	}
	return out
}
