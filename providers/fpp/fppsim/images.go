package fppsim

import (
	"fmt"
	"mime"
	"net/http"
	"sort"
)

// Image is a gold image held by the emulator.
type Image struct {
	// Name is the image name (imageId in the API).
	Name string
	// Path is the software home it was imported from.
	Path string
	// ImageType defaults to ORACLEDBSOFTWARE, as documented.
	ImageType string
	// State defaults to PUBLISHED, as documented.
	State string
	// Client is the client cluster the home was imported from.
	Client string
	// Owner, Version, Platform and HomePath are reported as the
	// imageResource fields of the same names (owner, version, …).
	Owner    string
	Version  string
	Platform string
	HomePath string
	// SizeMB is reported as imageSize.
	SizeMB int
}

func (img Image) withDefaults() Image {
	if img.ImageType == "" {
		img.ImageType = "ORACLEDBSOFTWARE"
	}
	if img.State == "" {
		img.State = "PUBLISHED"
	}
	if img.Owner == "" {
		img.Owner = "oracle"
	}
	if img.Version == "" {
		img.Version = "19.0.0.0.0"
	}
	if img.Platform == "" {
		img.Platform = "Linux_AMD64"
	}
	if img.HomePath == "" {
		// The shape of the documented example: an ACFS snapshot per image.
		img.HomePath = fmt.Sprintf("/rhp_storage/images/i%s/.ACFS/snaps/i%s/swhome", img.Name, img.Name)
	}
	if img.SizeMB == 0 {
		img.SizeMB = 7680
	}
	return img
}

// Images lists the gold images that exist now, by name: a test reads it to
// prove an import was not repeated.
func (s *Server) Images() []Image {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(s.Now())
	out := make([]Image, 0, len(s.images))
	for _, img := range s.images {
		out = append(out, img)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (s *Server) importImage(w http.ResponseWriter, r *http.Request) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, r, http.StatusUnsupportedMediaType, CodeUnsupportedMedia,
			"The request body must be application/json.", "")
		return
	}
	body, path, problem := decodeImportImageBody(http.MaxBytesReader(w, r.Body, 1<<20))
	if problem == "" {
		path, problem = body.validate(s.imageTypes)
	}
	if problem != "" {
		writeError(w, r, http.StatusBadRequest, CodeInvalidParameter, problem, path)
		return
	}
	img := Image{
		Name:      body.ImageName,
		Path:      body.Path,
		ImageType: body.ImageType,
		State:     body.State,
		Client:    body.Client,
		Owner:     body.PathOwner,
	}.withDefaults()

	s.mu.Lock()
	now := s.Now()
	s.settle(now)
	// Unverified: FPP's documents do not say how a second import of an
	// existing name is refused (rhpctl reports an error; its status code
	// over REST is not documented, and 409 is not in FPP's status-code
	// table). The emulator answers 409 so a duplicate can never be
	// created, also while the first import of the name is still running.
	var conflict string
	if _, ok := s.images[img.Name]; ok {
		conflict = fmt.Sprintf("Image %q already exists.", img.Name)
	} else if j := s.importInFlight(img.Name); j != nil {
		conflict = fmt.Sprintf("Image %q is already being imported by job %s.", img.Name, j.id)
	}
	var j *job
	if conflict == "" {
		j = s.newJob(img, now)
	}
	s.mu.Unlock()
	if conflict != "" {
		writeError(w, r, http.StatusConflict, CodeImageExists, conflict, "$.imageName")
		return
	}

	self := baseURL(r) + "/jobs/" + j.id
	w.Header().Set("Location", self)
	// As in the documented 202 example, the accepted job carries no status.
	writeJSON(w, http.StatusAccepted, jobResource{
		Links:  []link{{URI: self, Rel: "self"}},
		JobID:  j.id,
		Output: map[string]any{},
	})
}

// imageResource is the documented image body.
type imageResource struct {
	Links                   []link   `json:"links"`
	ImageID                 string   `json:"imageId"`
	ImageType               string   `json:"imageType"`
	ImageState              string   `json:"imageState"`
	HomePath                string   `json:"homePath"`
	Version                 string   `json:"version"`
	Platform                string   `json:"platform"`
	Owner                   string   `json:"owner"`
	ClientName              string   `json:"clientName,omitempty"`
	ImageSize               int      `json:"imageSize"`
	Complete                bool     `json:"complete"`
	ContainsNonRollingPatch bool     `json:"containsNonRollingPatch"`
	ParentImage             string   `json:"parentImage"`
	Patches                 []string `json:"patches"`
}

func (s *Server) getImage(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("imageId")
	s.mu.Lock()
	s.settle(s.Now())
	img, ok := s.images[name]
	s.mu.Unlock()
	if !ok {
		writeError(w, r, http.StatusNotFound, CodeNotFound, fmt.Sprintf("Image %q does not exist.", name), "")
		return
	}
	writeJSON(w, http.StatusOK, imageResource{
		Links:       []link{{URI: baseURL(r) + "/images/" + name, Rel: "self"}},
		ImageID:     img.Name,
		ImageType:   img.ImageType,
		ImageState:  img.State,
		HomePath:    img.HomePath,
		Version:     img.Version,
		Platform:    img.Platform,
		Owner:       img.Owner,
		ClientName:  img.Client,
		ImageSize:   img.SizeMB,
		Complete:    true,
		ParentImage: "",
		Patches:     []string{},
	})
}
