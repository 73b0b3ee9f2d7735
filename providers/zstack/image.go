package zstack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

// Image is ZStack's ImageInventory: the attributes a pipeline reads, changes
// and restores. Dates are ZStack's text, e.g. "Jan 6, 2017 3:51:16 AM".
type Image struct {
	UUID         string `json:"uuid"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	State        string `json:"state"`
	Status       string `json:"status"`
	Size         int64  `json:"size"`
	ActualSize   int64  `json:"actualSize"`
	MD5Sum       string `json:"md5Sum"`
	URL          string `json:"url"`
	MediaType    string `json:"mediaType"`
	GuestOSType  string `json:"guestOsType"`
	Type         string `json:"type"`
	Platform     string `json:"platform"`
	Architecture string `json:"architecture"`
	Format       string `json:"format"`
	System       bool   `json:"system"`
	Virtio       bool   `json:"virtio"`
	CreateDate   string `json:"createDate"`
	LastOpDate   string `json:"lastOpDate"`
}

// GetImage reads an image's current attributes with QueryImage (GET
// /zstack/v1/images/{uuid}). An unknown uuid is a *vendorerr.Error with StatusCode 404
// and Code CodeResourceNotFound, although ZStack answered 200 with an empty
// list, so that callers treat it like any not-found answer.
func (c *Client) GetImage(ctx context.Context, uuid string) (Image, error) {
	if uuid == "" {
		return Image{}, fmt.Errorf("get image: uuid is empty: %w", ErrInvalidInput)
	}
	a, err := c.withSession(ctx, func(session string) (answer, error) {
		return c.send(ctx, http.MethodGet, "/images/"+url.PathEscape(uuid), session, "", nil)
	})
	if err != nil {
		return Image{}, fmt.Errorf("get image %s: %w", uuid, err)
	}
	if a.status != http.StatusOK {
		return Image{}, vendorError("QueryImage", a, "")
	}
	// The manual's GET-by-uuid example answers "inventory"; the server's
	// query reply is "inventories". Either is read.
	var out struct {
		Inventories []Image `json:"inventories"`
		Inventory   *Image  `json:"inventory"`
	}
	if err := json.Unmarshal(a.body, &out); err != nil {
		return Image{}, fmt.Errorf("get image %s: decode answer: %w", uuid, err)
	}
	if out.Inventory != nil {
		out.Inventories = append(out.Inventories, *out.Inventory)
	}
	for _, img := range out.Inventories {
		if img.UUID == uuid {
			return img, nil
		}
	}
	return Image{}, Vendor.Error(vendorerr.Answer{
		Operation:  "QueryImage",
		StatusCode: http.StatusNotFound,
		Code:       CodeResourceNotFound,
		Message:    fmt.Sprintf("image %s not found (ZStack answered an empty query)", uuid),
	})
}

// withSession makes a call with the shared session and, when ZStack answers
// that the session is invalid, logs in again and makes it once more.
func (c *Client) withSession(ctx context.Context, call func(session string) (answer, error)) (answer, error) {
	session, _, err := c.currentSession(ctx)
	if err != nil {
		return answer{}, err
	}
	a, err := call(session)
	if err != nil || !invalidSession(a) {
		return a, err
	}
	if session, err = c.renewSession(ctx, session); err != nil {
		return answer{}, err
	}
	return call(session)
}
