package fpp

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// apiRoot is where FPP mounts its REST API.
const apiRoot = "/rhp-restapi/rhp"

// defaultTimeout bounds one request when Config.HTTPClient is nil; job
// polls and imports are answered at once, the work happens in the job.
const defaultTimeout = time.Minute

// maxBody caps how much of an answer is read: job output of a long import
// runs to a few hundred lines, far below it.
const maxBody = 16 << 20

// Operation names, as they appear in Error.Operation.
const (
	OpImportImage  = "ImportImage"
	OpGetImage     = "GetImage"
	OpGetJob       = "GetJob"
	OpGetJobOutput = "GetJobOutput"
	OpListJobs     = "ListJobs"
)

// Config says where the FPP server is and who calls it.
type Config struct {
	// Endpoint is the server's scheme, host and port, e.g.
	// "https://rhpserver.example.com:8894".
	Endpoint string
	// Username and Password are the registered REST user's credentials.
	Username string
	Password string
	// CAFile is a PEM file of the CA that signed the server's certificate
	// (the FPP server's own CA); empty means the system roots.
	CAFile string
	// HTTPClient, when set, is used as is (its transport then carries the
	// trusted roots, so CAFile must be empty). Nil means a client with a
	// one-minute timeout trusting CAFile.
	HTTPClient *http.Client
}

// Client calls one FPP server. It is safe for concurrent use.
type Client struct {
	base     string
	username string
	password string
	http     *http.Client
}

// New checks cfg and returns a client for it.
func New(cfg Config) (*Client, error) {
	if cfg.Endpoint == "" {
		return nil, errors.New("fpp config: Endpoint is empty")
	}
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("fpp config: Endpoint %q is not an http(s)://host:port address", cfg.Endpoint)
	}
	if cfg.Username == "" {
		return nil, errors.New("fpp config: Username is empty")
	}
	if cfg.Password == "" {
		return nil, errors.New("fpp config: Password is empty")
	}
	hc := cfg.HTTPClient
	switch {
	case hc != nil && cfg.CAFile != "":
		return nil, errors.New("fpp config: CAFile and HTTPClient are both set; put the CA in HTTPClient's transport")
	case hc == nil:
		var roots *x509.CertPool
		if cfg.CAFile != "" {
			if roots, err = loadCA(cfg.CAFile); err != nil {
				return nil, err
			}
		}
		transport := http.DefaultTransport.(*http.Transport).Clone()
		transport.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
		hc = &http.Client{Timeout: defaultTimeout, Transport: transport}
	}
	return &Client{
		base:     strings.TrimRight(u.String(), "/") + apiRoot,
		username: cfg.Username,
		password: cfg.Password,
		http:     hc,
	}, nil
}

func loadCA(path string) (*x509.CertPool, error) {
	pemData, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("fpp config: CAFile: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemData) {
		return nil, fmt.Errorf("fpp config: CAFile %s holds no PEM certificate", path)
	}
	return pool, nil
}

// answer is a successful response, read in full.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// call makes one request to path under the API root, sending in as JSON
// when it is not nil. A non-2xx answer comes back as *Error.
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
// the bare *Error the contract promises.
func wrap(err error, format string, args ...any) error {
	var apiErr *Error
	if errors.As(err, &apiErr) {
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
