package huaweiims

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/imagepipe/imagepipe/providers/huaweiims/internal/aksk"
)

// Operation names as the vendor's API reference and SDK call them; they are
// what Error.Operation carries.
const (
	OpCopyImageInRegion = "CopyImageInRegion"
	OpShowJob           = "ShowJob"
	OpListImages        = "ListImages"
)

// DefaultTimeout bounds one HTTP exchange when Config.HTTPClient is nil. It
// is short next to an activity's timeout: every call here is a small JSON
// exchange, and a hung connection should fail the attempt, not the workflow.
const DefaultTimeout = 30 * time.Second

// Config says where IMS is and who is calling. Nothing in it is global.
type Config struct {
	// Endpoint is the regional IMS endpoint, e.g.
	// "https://ims.ap-southeast-1.myhuaweicloud.com".
	Endpoint string
	// ProjectID is the project (tenant in a region) the images belong to; it
	// is sent as X-Project-Id and in job paths.
	ProjectID string
	// AccessKey and SecretKey are an IAM access key pair (AK/SK).
	AccessKey string
	SecretKey string
	// HTTPClient sends the requests; nil means one with DefaultTimeout.
	HTTPClient *http.Client
}

// Client calls Huawei Cloud IMS. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	projectID string
	ak, sk    string
	http      *http.Client
	now       func() time.Time
}

// New checks cfg and returns a client; the error names the field at fault.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("huaweiims: Config.Endpoint %q: want an absolute http(s) URL such as https://ims.ap-southeast-1.myhuaweicloud.com", cfg.Endpoint)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("huaweiims: Config.Endpoint %q: must not carry a query or fragment", cfg.Endpoint)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	switch {
	case strings.TrimSpace(cfg.ProjectID) == "":
		return nil, errors.New("huaweiims: Config.ProjectID is empty")
	case strings.ContainsAny(cfg.ProjectID, "/?#"):
		return nil, fmt.Errorf("huaweiims: Config.ProjectID %q: not a project id", cfg.ProjectID)
	case cfg.AccessKey == "":
		return nil, errors.New("huaweiims: Config.AccessKey is empty")
	case cfg.SecretKey == "":
		return nil, errors.New("huaweiims: Config.SecretKey is empty")
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	return &Client{base: u, projectID: cfg.ProjectID, ak: cfg.AccessKey, sk: cfg.SecretKey, http: hc, now: time.Now}, nil
}

// call sends one signed request and decodes a 2xx JSON answer into out.
// Any other status becomes an *Error; transport failures come back wrapped
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
