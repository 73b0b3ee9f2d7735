package zstack

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
)

// UpdateImageInput is one UpdateImage call. Nil attributes are left as they
// are; an empty string is sent and clears the attribute.
type UpdateImageInput struct {
	UUID         string
	Name         *string
	Description  *string
	GuestOSType  *string
	Platform     *string // Linux, Windows, Other, Paravirtualization or WindowsVirtio
	Architecture *string // x86_64, aarch64, mips64el or loongarch64
	SystemTags   []string
	UserTags     []string
	// JobUUID names ZStack's api-job and makes the call idempotent: 32
	// lowercase hex digits, a UUID without dashes. Derive it from a stable
	// idempotency key with JobUUIDFromKey. Required.
	JobUUID string
}

// Update is ZStack's answer to UpdateImage.
type Update struct {
	// Done says ZStack answered synchronously (the API page's 200
	// shape) and Image holds the updated attributes.
	Done  bool
	Image Image
	// Location is the api-job to poll with GetJob when not Done.
	Location string
	// Repeated says ZStack already held a job with this JobUUID, so nothing
	// new was started: Location is that first job's.
	Repeated bool
}

var jobUUIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// JobUUIDFromKey derives an X-Job-UUID from an idempotency key: the same key
// always gives the same uuid, shaped as ZStack's manual asks (a version-4
// UUID without dashes) though derived from SHA-256 rather than random.
func JobUUIDFromKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return hex.EncodeToString(b)
}

// UpdateImage sends UpdateImage (PUT /zstack/v1/images/{uuid}/actions). When
// it reuses a session it first checks the session is still valid: ZStack
// would accept the PUT with a dead session and fail the job afterwards,
// leaving the job uuid spent.
func (c *Client) UpdateImage(ctx context.Context, in UpdateImageInput) (Update, error) {
	switch {
	case in.UUID == "":
		return Update{}, fmt.Errorf("update image: uuid is empty: %w", ErrInvalidInput)
	case !jobUUIDPattern.MatchString(in.JobUUID):
		return Update{}, fmt.Errorf("update image %s: job uuid %q is not 32 lowercase hex digits: %w", in.UUID, in.JobUUID, ErrInvalidInput)
	}
	session, fresh, err := c.currentSession(ctx)
	if err != nil {
		return Update{}, fmt.Errorf("update image %s: %w", in.UUID, err)
	}
	renewed := false
	if !fresh {
		valid, err := c.sessionValid(ctx, session)
		if err != nil {
			return Update{}, fmt.Errorf("update image %s: %w", in.UUID, err)
		}
		if !valid {
			if session, err = c.renewSession(ctx, session); err != nil {
				return Update{}, fmt.Errorf("update image %s: %w", in.UUID, err)
			}
			renewed = true
		}
	}

	body := updateBody(in)
	path := "/images/" + url.PathEscape(in.UUID) + "/actions"
	a, err := c.send(ctx, http.MethodPut, path, session, in.JobUUID, body)
	if err == nil && invalidSession(a) && !renewed {
		// Only a synchronous answer can say this; nothing was started.
		if session, err = c.renewSession(ctx, session); err == nil {
			a, err = c.send(ctx, http.MethodPut, path, session, in.JobUUID, body)
		}
	}
	if err != nil {
		return Update{}, fmt.Errorf("update image %s: %w", in.UUID, err)
	}

	switch {
	case a.status == http.StatusAccepted:
		var out struct {
			Location string `json:"location"`
		}
		if err := json.Unmarshal(a.body, &out); err != nil {
			return Update{}, fmt.Errorf("update image %s: decode answer: %w", in.UUID, err)
		}
		if out.Location == "" {
			// The job uuid is ours, so its location is known anyway.
			out.Location = c.JobLocation(in.JobUUID)
		}
		return Update{Location: out.Location}, nil
	case a.status == http.StatusOK:
		img, err := decodeInventory(a.body)
		if err != nil {
			return Update{}, fmt.Errorf("update image %s: %w", in.UUID, err)
		}
		return Update{Done: true, Image: img}, nil
	case a.status == http.StatusBadRequest && bytes.Contains(a.body, []byte("Duplicate job uuid["+in.JobUUID+"]")):
		return Update{Location: c.JobLocation(in.JobUUID), Repeated: true}, nil
	}
	return Update{}, vendorError("UpdateImage", a, in.JobUUID)
}

// updateBody is the API page's shape: attributes under "updateImage" (the action
// name RestServer derives from APIUpdateImageMsg; the page's "updateimage"
// would not be recognised), tags at the top level where RestServer reads them.
func updateBody(in UpdateImageInput) map[string]any {
	attrs := map[string]string{}
	for key, v := range map[string]*string{
		"name":         in.Name,
		"description":  in.Description,
		"guestOsType":  in.GuestOSType,
		"platform":     in.Platform,
		"architecture": in.Architecture,
	} {
		if v != nil {
			attrs[key] = *v
		}
	}
	body := map[string]any{"updateImage": attrs}
	if in.SystemTags != nil {
		body["systemTags"] = in.SystemTags
	}
	if in.UserTags != nil {
		body["userTags"] = in.UserTags
	}
	return body
}

// decodeInventory reads {"inventory": {...}}, the answer of an API that
// returns one resource.
func decodeInventory(body []byte) (Image, error) {
	var out struct {
		Inventory *Image `json:"inventory"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return Image{}, fmt.Errorf("decode answer: %w", err)
	}
	if out.Inventory == nil {
		return Image{}, errors.New("answer carries no inventory")
	}
	return *out.Inventory, nil
}
