package ocisim

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"
)

// Compartment lifecycle states (Identity API, Compartment.lifecycleState).
const (
	CompartmentCreating = "CREATING"
	CompartmentActive   = "ACTIVE"
	CompartmentInactive = "INACTIVE"
	CompartmentDeleting = "DELETING"
	CompartmentDeleted  = "DELETED"
)

// Compartment is the emulator's view of a compartment, for tests to inspect.
type Compartment struct {
	ID             string
	ParentID       string
	Name           string
	Description    string
	LifecycleState string
	FreeformTags   map[string]string
	TimeCreated    time.Time
	ETag           string
}

type compartment struct {
	Compartment
	readyAt  time.Time
	failRest bool // ends INACTIVE rather than ACTIVE
}

// compartmentJSON is Identity's Compartment model on the wire.
type compartmentJSON struct {
	ID             string            `json:"id"`
	CompartmentID  string            `json:"compartmentId"`
	Name           string            `json:"name"`
	Description    string            `json:"description"`
	LifecycleState string            `json:"lifecycleState"`
	TimeCreated    string            `json:"timeCreated"`
	FreeformTags   map[string]string `json:"freeformTags"`
	DefinedTags    map[string]any    `json:"definedTags"`
	InactiveStatus *int64            `json:"inactiveStatus,omitempty"`
}

// createCompartmentDetails is CreateCompartmentDetails with every field the
// API reference lists, typed as it documents them; pointers tell a missing
// field from an empty one. securityZoneId and isMaximumSecurityZone are
// read and not modelled further.
type createCompartmentDetails struct {
	CompartmentID         *string                   `json:"compartmentId"`
	Name                  *string                   `json:"name"`
	Description           *string                   `json:"description"`
	FreeformTags          map[string]string         `json:"freeformTags"`
	DefinedTags           map[string]map[string]any `json:"definedTags"`
	IsMaximumSecurityZone *bool                     `json:"isMaximumSecurityZone"`
	SecurityZoneID        *string                   `json:"securityZoneId"`
}

// advance moves a CREATING compartment on once its delay is over by the
// clock. Callers hold s.mu.
func (s *Server) advance(c *compartment) {
	if c.LifecycleState != CompartmentCreating || s.Now().Before(c.readyAt) {
		return
	}
	c.LifecycleState = CompartmentActive
	if c.failRest {
		c.LifecycleState = CompartmentInactive
	}
	c.ETag = compartmentETag(c.ID, c.LifecycleState)
}

// compartmentETag changes whenever the state does, as a real etag would.
func compartmentETag(id, state string) string {
	sum := sha256.Sum256([]byte(id + "\x00" + state))
	return hex.EncodeToString(sum[:16])
}

func (c *compartment) wire() compartmentJSON {
	j := compartmentJSON{
		ID:             c.ID,
		CompartmentID:  c.ParentID,
		Name:           c.Name,
		Description:    c.Description,
		LifecycleState: c.LifecycleState,
		TimeCreated:    c.TimeCreated.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		FreeformTags:   c.FreeformTags,
		DefinedTags:    map[string]any{},
	}
	if j.FreeformTags == nil {
		j.FreeformTags = map[string]string{}
	}
	if c.LifecycleState == CompartmentInactive {
		// Unverified: the value OCI reports for a compartment it failed to set up.
		status := int64(1)
		j.InactiveStatus = &status
	}
	return j
}

// find returns the compartment with id; callers hold s.mu.
func (s *Server) find(id string) *compartment {
	for _, c := range s.compartments {
		if c.ID == id {
			s.advance(c)
			return c
		}
	}
	return nil
}

// isParent reports whether id can hold compartments: the tenancy or one the
// emulator created. Callers hold s.mu.
func (s *Server) isParent(id string) bool {
	return id == s.tenancy || s.find(id) != nil
}

// Compartments returns every compartment the emulator created, in creation
// order, with lifecycle states as of the clock now.
func (s *Server) Compartments() []Compartment {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Compartment, 0, len(s.compartments))
	for _, c := range s.compartments {
		s.advance(c)
		cp := c.Compartment
		cp.FreeformTags = maps.Clone(c.FreeformTags)
		out = append(out, cp)
	}
	return out
}

// DeleteCompartment stands for a deletion made outside imagepipe: the
// compartment is DELETED at once and its name is free again under its
// parent. It reports whether the compartment exists.
func (s *Server) DeleteCompartment(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.find(id)
	if c == nil {
		return false
	}
	c.LifecycleState = CompartmentDeleted
	c.ETag = compartmentETag(c.ID, c.LifecycleState)
	return true
}

func (s *Server) createCompartment(w http.ResponseWriter, r *http.Request, body []byte, _ string) {
	var in createCompartmentDetails
	if !decodeStrict(w, body, &in) {
		return
	}
	if code, msg := validateCreateCompartment(in); code != "" {
		writeError(w, http.StatusBadRequest, code, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key, answered := s.checkRetryToken(w, r, OpCreateCompartment, body)
	if answered {
		return
	}
	if !s.isParent(*in.CompartmentID) {
		// Unverified: which code Identity gives an unknown parent; the API
		// Errors page names this one for a resource named in the body.
		writeError(w, http.StatusBadRequest, CodeRelatedResourceNotAuthorizedOrNotFound,
			fmt.Sprintf("Parent compartment %s was not found or you are not authorized to access it.", *in.CompartmentID))
		return
	}
	for _, c := range s.compartments {
		s.advance(c)
		if c.ParentID == *in.CompartmentID && c.Name == *in.Name && c.LifecycleState != CompartmentDeleted {
			writeError(w, http.StatusConflict, CodeCompartmentAlreadyExists,
				fmt.Sprintf("A compartment with name '%s' already exists.", *in.Name))
			return
		}
	}
	now := s.Now()
	c := &compartment{
		Compartment: Compartment{
			ID:             NewOCID("compartment", ""),
			ParentID:       *in.CompartmentID,
			Name:           *in.Name,
			Description:    *in.Description,
			LifecycleState: CompartmentCreating,
			FreeformTags:   maps.Clone(in.FreeformTags),
			TimeCreated:    now,
		},
		readyAt:  now.Add(s.activationDelay),
		failRest: s.failActivation[*in.Name],
	}
	delete(s.failActivation, *in.Name)
	c.ETag = compartmentETag(c.ID, c.LifecycleState)
	s.compartments = append(s.compartments, c)
	s.advance(c) // a zero delay activates at once

	out, err := json.Marshal(c.wire())
	if err != nil {
		writeError(w, http.StatusInternalServerError, CodeInternalServerError, "encode compartment")
		return
	}
	ans := captured{status: http.StatusOK, etag: c.ETag, body: out}
	s.remember(key, r, body, ans)
	writeCaptured(w, ans)
}

// compartmentNamePattern is the character set IAM documents for compartment
// names: letters, numbers, periods, hyphens and underscores.
var compartmentNamePattern = regexp.MustCompile(`^[A-Za-z0-9._-]*$`)

// validateCreateCompartment applies the API reference's schema: compartmentId, name
// (1..100) and description (1..400) are required; and IAM's rule for the
// characters of a name ("Managing Compartments").
//
// Unverified: the message Identity gives a name with other characters.
func validateCreateCompartment(in createCompartmentDetails) (code, message string) {
	fields := []struct {
		name     string
		value    *string
		min, max int
	}{
		{"compartmentId", in.CompartmentID, 1, 255},
		{"name", in.Name, 1, 100},
		{"description", in.Description, 1, 400},
	}
	for _, f := range fields {
		if f.value == nil {
			return CodeMissingParameter, fmt.Sprintf("Missing required parameter %s.", f.name)
		}
		if n := utf8.RuneCountInString(*f.value); n < f.min || n > f.max {
			return CodeInvalidParameter, fmt.Sprintf("Parameter %s must be between %d and %d characters long, got %d.", f.name, f.min, f.max, n)
		}
	}
	if !compartmentNamePattern.MatchString(*in.Name) {
		return CodeInvalidParameter, fmt.Sprintf("Parameter name %q may contain only letters, numbers, periods, hyphens and underscores.", *in.Name)
	}
	return "", ""
}

func (s *Server) getCompartment(w http.ResponseWriter, _ *http.Request, _ []byte, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id == s.tenancy {
		// Unverified: what GetCompartment shows for the root compartment's
		// parent and name; the emulator names the tenancy itself and "root".
		root := compartment{Compartment: Compartment{
			ID: s.tenancy, ParentID: s.tenancy, Name: "root", Description: "The tenancy (root compartment)",
			LifecycleState: CompartmentActive,
		}}
		root.ETag = compartmentETag(root.ID, root.LifecycleState)
		w.Header().Set("etag", root.ETag)
		writeJSON(w, http.StatusOK, root.wire())
		return
	}
	c := s.find(id)
	if c == nil {
		writeNotFound(w, "compartment", id)
		return
	}
	w.Header().Set("etag", c.ETag)
	writeJSON(w, http.StatusOK, c.wire())
}

// listCompartments returns the direct children of compartmentId, filtered
// by name and lifecycleState when given, a page at a time; the page token is
// the offset of the page's first item.
func (s *Server) listCompartments(w http.ResponseWriter, r *http.Request, _ []byte, _ string) {
	q := r.URL.Query()
	parent := q.Get("compartmentId")
	if parent == "" {
		writeError(w, http.StatusBadRequest, CodeMissingParameter, "Missing required parameter compartmentId.")
		return
	}
	limit := s.pageSize
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			// Unverified: the largest limit Identity accepts.
			writeError(w, http.StatusBadRequest, CodeInvalidParameter, "Parameter limit must be an integer between 1 and 1000.")
			return
		}
		limit = n
	}
	offset := 0
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, CodeInvalidParameter, "Parameter page is not a page token this service issued.")
			return
		}
		offset = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.isParent(parent) {
		writeNotFound(w, "compartment", parent)
		return
	}
	var matched []compartmentJSON
	for _, c := range s.compartments {
		s.advance(c)
		if c.ParentID != parent {
			continue
		}
		if name := q.Get("name"); name != "" && c.Name != name {
			continue
		}
		if st := q.Get("lifecycleState"); st != "" && c.LifecycleState != st {
			continue
		}
		matched = append(matched, c.wire())
	}
	page := []compartmentJSON{}
	if offset < len(matched) {
		page = matched[offset:min(offset+limit, len(matched))]
	}
	if next := offset + limit; next < len(matched) {
		w.Header().Set("opc-next-page", strconv.Itoa(next))
	}
	writeJSON(w, http.StatusOK, page)
}

func writeNotFound(w http.ResponseWriter, kind, id string) {
	writeError(w, http.StatusNotFound, CodeNotAuthorizedOrNotFound,
		fmt.Sprintf("Authorization failed or requested resource not found: %s %s.", kind, id))
}
