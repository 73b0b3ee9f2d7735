package zstacksim

import (
	"net/http"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Image is ZStack's ImageInventory as it travels in JSON.
type Image struct {
	UUID         string `json:"uuid"`
	Name         string `json:"name"`
	Description  string `json:"description,omitempty"`
	State        string `json:"state"`
	Status       string `json:"status"`
	Size         int64  `json:"size"`
	ActualSize   int64  `json:"actualSize,omitempty"`
	MD5Sum       string `json:"md5Sum,omitempty"`
	URL          string `json:"url,omitempty"`
	MediaType    string `json:"mediaType,omitempty"`
	GuestOSType  string `json:"guestOsType,omitempty"`
	Type         string `json:"type,omitempty"`
	Platform     string `json:"platform,omitempty"`
	Architecture string `json:"architecture,omitempty"`
	Format       string `json:"format,omitempty"`
	System       bool   `json:"system"`
	Virtio       bool   `json:"virtio"`
	CreateDate   string `json:"createDate,omitempty"`
	LastOpDate   string `json:"lastOpDate,omitempty"`
}

// AddImage stores img, filling what a fresh ZStack image has (a uuid, state
// Enabled, status Ready, type zstack, dates), and returns what was stored.
func (s *Server) AddImage(img Image) Image {
	s.mu.Lock()
	defer s.mu.Unlock()
	if img.UUID == "" {
		img.UUID = simkit.RandomHex(16)
	}
	if img.State == "" {
		img.State = "Enabled"
	}
	if img.Status == "" {
		img.Status = "Ready"
	}
	if img.Type == "" {
		img.Type = "zstack"
	}
	now := zstackTime(s.Now())
	if img.CreateDate == "" {
		img.CreateDate = now
	}
	if img.LastOpDate == "" {
		img.LastOpDate = now
	}
	stored := img
	s.images[img.UUID] = &stored
	return img
}

// Image returns the image's current attributes, after settling every job
// that the clock says has finished.
func (s *Server) Image(uuid string) (Image, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(s.Now())
	img, ok := s.images[uuid]
	if !ok {
		return Image{}, false
	}
	return *img, true
}

// AppliedUpdates is how many UpdateImage calls took effect on the image, so a
// test can prove a repeated request changed nothing.
func (s *Server) AppliedUpdates(uuid string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(s.Now())
	return s.applied[uuid]
}

// queryImage serves GET /v1/images/{uuid}: QueryImage with the condition
// uuid={uuid}, a synchronous API. No match is an empty list, not a 404.
func (s *Server) queryImage(r *http.Request, uuid string, _ map[string]any) reply {
	sess, bad := bearer(r)
	if bad != nil {
		return *bad
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	if e := s.checkSession(sess, now); e != nil {
		return errorReply(http.StatusServiceUnavailable, e)
	}
	s.settle(now)
	found := []Image{}
	if img, ok := s.images[uuid]; ok {
		found = append(found, *img)
	}
	return jsonReply(http.StatusOK, map[string]any{"inventories": found})
}
