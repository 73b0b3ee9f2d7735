package huawei

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/imagepipe/imagepipe/providers/huawei/internal/aksk"
	"github.com/imagepipe/imagepipe/providers/vendorhttp"
)

// Operation names as the vendor's API reference and SDK call them; they are
// what a vendorerr.Error's Operation carries.
const (
	OpCopyImageInRegion = "CopyImageInRegion"
	OpShowJob           = "ShowJob"
	OpListImages        = "ListImages"
)

// DefaultTimeout bounds one HTTP exchange when Config.HTTPClient is nil. It
// is short next to an activity's timeout: every call here is a small JSON
// exchange, and a hung connection should fail the attempt, not the workflow.
const DefaultTimeout = 30 * time.Second

// Client calls Huawei Cloud IMS. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	projectID string
	ak, sk    string
	http      *http.Client
	now       func() time.Time
}

// New checks cfg and returns a client. The error lists every problem of
// cfg, each a *ConfigError naming its field.
func New(cfg Config) (*Client, error) {
	u, err := cfg.check()
	if err != nil {
		return nil, err
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = vendorhttp.Client(DefaultTimeout, nil)
	}
	return &Client{base: u, projectID: cfg.ProjectID, ak: cfg.AccessKey, sk: cfg.SecretKey, http: hc, now: time.Now}, nil
}

// call sends one signed request and decodes a 2xx JSON answer into out.
// Any other status becomes a *vendorerr.Error; transport failures come back wrapped
// as they are, so callers can tell "the vendor said no" from "no answer".
func (c *Client) call(ctx context.Context, op, method, path string, query url.Values, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("encode %s request: %w", op, err)
		}
	}
	u := *c.base
	u.Path += path
	u.RawQuery = query.Encode()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build %s request: %w", op, err)
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	}
	req.Header.Set("X-Project-Id", c.projectID)
	aksk.Sign(req, body, c.ak, c.sk, c.now())

	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newError(op, resp, c.now())
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("decode %s answer (status %d, request id %s): %w",
			op, resp.StatusCode, resp.Header.Get("X-Request-Id"), err)
	}
	return nil
}
