package fpp

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/imagepipe/imagepipe/providers/vendorerr"
	"github.com/imagepipe/imagepipe/providers/vendorhttp"
)

// apiRoot is where FPP mounts its REST API.
const apiRoot = "/rhp-restapi/rhp"

// defaultTimeout bounds one request when Config.HTTPClient is nil; job
// polls and imports are answered at once, the work happens in the job.
const defaultTimeout = time.Minute

// maxBody caps how much of an answer is read: job output of a long import
// runs to a few hundred lines, far below it.
const maxBody = 16 << 20

// Operation names, as they appear in a vendorerr.Error's Operation.
const (
	OpImportImage  = "ImportImage"
	OpGetImage     = "GetImage"
	OpGetJob       = "GetJob"
	OpGetJobOutput = "GetJobOutput"
	OpListJobs     = "ListJobs"
)

// Client calls one FPP server. It is safe for concurrent use.
type Client struct {
	base     string
	username string
	password string
	http     *http.Client
}

// New checks cfg and returns a client for it. The error lists every
// problem of cfg, each a *ConfigError.
func New(cfg Config) (*Client, error) {
	u, roots, err := cfg.check()
	if err != nil {
		return nil, err
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = vendorhttp.Client(defaultTimeout, &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12})
	}
	return &Client{
		base:     strings.TrimRight(u.String(), "/") + apiRoot,
		username: cfg.Username,
		password: cfg.Password,
		http:     hc,
	}, nil
}

// answer is a successful response, read in full.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// call makes one request to path under the API root, sending in as JSON
// when it is not nil. A non-2xx answer comes back as *vendorerr.Error.
func (c *Client) call(ctx context.Context, op, method, path string, in any) (answer, error) {
	var body io.Reader
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return answer{}, fmt.Errorf("encode request: %w", err)
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return answer{}, err
	}
	req.SetBasicAuth(c.username, c.password)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return answer{}, fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return answer{}, newError(op, resp, c.redact(data), time.Now())
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// redact hides the credentials in an error answer before its text becomes
// an error message (and so workflow history): servers and proxies echo the
// request, Authorization header included, in their error pages.
func (c *Client) redact(body []byte) []byte {
	basic := base64.StdEncoding.EncodeToString([]byte(c.username + ":" + c.password))
	for _, secret := range []string{basic, c.password} {
		body = bytes.ReplaceAll(body, []byte(secret), []byte("<redacted>"))
	}
	return body
}

// wrap adds context to a transport failure and leaves a vendor answer as
// the bare *vendorerr.Error the contract promises.
func wrap(err error, format string, args ...any) error {
	if apiErr, ok := vendorerr.As(err); ok {
		return apiErr
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// flexString decodes a JSON string or number as a string: FPP documents
// ids as strings, while job ids are "unique integer" values a server may
// send unquoted.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexString(n.String())
	return nil
}
