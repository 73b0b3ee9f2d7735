package huaweisim

import (
	"bytes"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

type copyRequest struct {
	Name                *string `json:"name"`
	Description         *string `json:"description"`
	CMKID               *string `json:"cmk_id"`
	EnterpriseProjectID *string `json:"enterprise_project_id"`
}

// copyImage answers POST /v1/cloudimages/{image_id}/copy: it validates the
// body like IMS, then starts a job and creates the new image at once, in
// status queued, so a listing by name finds a copy in flight.
func (s *Server) copyImage(w http.ResponseWriter, reqID, sourceID string, body []byte) {
	if len(bytes.TrimSpace(body)) == 0 {
		writeIMSError(w, http.StatusBadRequest, codeEmptyBody, "The request body is empty.")
		return
	}
	var in copyRequest
	if err := simkit.DecodeObject(body, &in, false); err != nil {
		writeIMSError(w, http.StatusBadRequest, codeBadFormat, "The request message format is invalid.")
		return
	}
	name := ""
	if in.Name != nil {
		name = *in.Name
	}
	if code, msg := validateName(name); code != "" {
		writeIMSError(w, http.StatusBadRequest, code, msg)
		return
	}
	desc := deref(in.Description)
	if code, msg := validateDescription(desc); code != "" {
		writeIMSError(w, http.StatusBadRequest, code, msg)
		return
	}
	if code, msg := validateEnterpriseProject(in.EnterpriseProjectID); code != "" {
		writeIMSError(w, http.StatusBadRequest, code, msg)
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	s.settle(now)
	src, ok := s.images[sourceID]
	if !ok || !s.visible(src) {
		// Unverified: IMS's error table lists IMG.0027 under 400; the copy
		// API's own page lists 404 for "requested resource was not found".
		writeIMSError(w, http.StatusNotFound, codeImageNotFound, "The image ID in the request does not exist.")
		return
	}
	if src.Owner != s.projectID {
		// The reference copies private images only. Unverified: the code IMS
		// gives a public image; IMG.0047 is its "only by the image owner".
		writeIMSError(w, http.StatusBadRequest, codeNotOwner, "This operation can be performed only by the image owner.")
		return
	}
	if src.Status != StatusActive {
		writeIMSError(w, http.StatusBadRequest, codeImageNotReady, "The image is unavailable.")
		return
	}
	if s.maxCopies > 0 && s.copiesRunning(now) >= s.maxCopies {
		writeIMSError(w, http.StatusBadRequest, codeTooManyJobs, "The number of tasks exceeds the flow control limit.")
		return
	}

	j := &job{id: simkit.RandomHex(16), created: now, duration: s.JobDuration(), imageName: name}
	if reason, ok := s.failNamed[name]; ok {
		j.failReason = reason
	} else if reason, ok := s.TakeFailure(); ok {
		j.failReason = reason
	}
	img := &Image{
		ID: newUUID(), Name: name, Status: StatusQueued, Owner: s.projectID,
		Visibility: "private", ImageType: "private", Description: desc,
		OSType: src.OSType, Platform: src.Platform, MinDisk: src.MinDisk,
		CMKID: deref(in.CMKID), EnterpriseProjectID: deref(in.EnterpriseProjectID),
		SourceImageID: src.ID, JobID: j.id, CreatedAt: now.UTC(), UpdatedAt: now.UTC(),
	}
	j.imageID = img.ID
	s.jobs[j.id] = j
	s.images[img.ID] = img
	s.settle(now) // a zero-duration copy is already done
	writeJSON(w, http.StatusOK, struct {
		JobID string `json:"job_id"`
	}{j.id})
}

// copiesRunning counts copy jobs not yet finished at now.
func (s *Server) copiesRunning(now time.Time) int {
	n := 0
	for _, j := range s.jobs {
		if !j.done(now) {
			n++
		}
	}
	return n
}

// validateName applies the "Image Attributes" rules: 1 to 128 characters of
// letters, digits, spaces, "-", "_" and ".", not starting or ending with a
// space. Chinese characters count as letters, as the SDK's field doc says.
// A missing or empty name is IMG.0013, "The image name is not specified."
func validateName(name string) (code, msg string) {
	n := utf8.RuneCountInString(name)
	switch {
	case n == 0:
		return codeNameMissing, "The image name is not specified."
	case n > 128:
		return codeNameTooLong, "The image name contains more than 128 characters."
	case strings.HasPrefix(name, " "), strings.HasSuffix(name, " "):
		return codeNameFormat, "The image name format is invalid."
	}
	for _, r := range name {
		ok := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '-' || r == '_' || r == '.' || r == ' ')
		if !ok && !unicode.Is(unicode.Han, r) {
			return codeNameFormat, "The image name format is invalid."
		}
	}
	return "", ""
}

// validateDescription allows up to 1024 characters without carriage
// returns or angle brackets; a forbidden character is IMG.0054, "The image
// description format is invalid." Unverified: that IMS counts a bare line
// feed as a carriage return (the reference says 回车, "return").
func validateDescription(desc string) (code, msg string) {
	if utf8.RuneCountInString(desc) > 1024 {
		return codeDescTooLong, "The description contains more than 1024 characters."
	}
	if strings.ContainsAny(desc, "\r\n<>") {
		return codeDescFormat, "The image description format is invalid."
	}
	return "", ""
}

// enterpriseProjectPattern is a UUID as the reference writes enterprise
// project ids: 8-4-4-4-12 hexadecimal digits.
var enterpriseProjectPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// validateEnterpriseProject applies the reference's rule for
// enterprise_project_id: absent or "0" is the default enterprise project,
// otherwise it is the UUID of one.
//
// Unverified: the code IMS answers for a malformed id (IMG.0155, "Failed to
// check the enterprise project ID validity", is the closest in its table),
// and whether an empty string counts as absent (the emulator refuses it).
// The emulator does not check that a well-formed UUID names an existing
// enterprise project.
func validateEnterpriseProject(id *string) (code, msg string) {
	if id == nil || *id == "0" || enterpriseProjectPattern.MatchString(*id) {
		return "", ""
	}
	return codeEnterpriseProject, "Failed to check the enterprise project ID validity: enterprise_project_id " +
		strconv.Quote(*id) + " is neither 0 nor a UUID."
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
