package zstack

import (
	"bytes"
	"context"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/imagepipe/imagepipe/providers/vendorerr"
	"github.com/imagepipe/imagepipe/providers/vendorhttp"
)

// DefaultTimeout bounds each HTTP exchange when Config.HTTPClient is nil.
const DefaultTimeout = 30 * time.Second

// maxBody caps how much of an answer is read; inventories are small.
const maxBody = 4 << 20

// Client calls ZStack's REST API. It is safe for concurrent use.
type Client struct {
	base         string // endpoint + "/zstack/v1"
	account      string
	passwordHash string
	http         *http.Client

	// sem admits one goroutine at a time to the session and to logging in,
	// and, unlike a mutex, lets a waiter give up when its context ends.
	sem     chan struct{}
	session string
}

// ErrInvalidInput marks a call the client refused to send because an
// argument was malformed; retrying it cannot help.
var ErrInvalidInput = vendorerr.ErrInvalidInput

// New checks cfg and returns a Client; it does not log in yet. The error
// lists every problem of cfg, each a *ConfigError naming its field.
func New(cfg Config) (*Client, error) {
	u, err := cfg.check()
	if err != nil {
		return nil, err
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = vendorhttp.Client(DefaultTimeout, nil)
	}
	sum := sha512.Sum512([]byte(cfg.Password))
	return &Client{
		base:         u.Scheme + "://" + u.Host + "/zstack/v1",
		account:      cfg.AccountName,
		passwordHash: hex.EncodeToString(sum[:]),
		http:         hc,
		sem:          make(chan struct{}, 1),
	}, nil
}

// answer is an HTTP response read in full.
type answer struct {
	status int
	header http.Header
	body   []byte
	// secrets are the credentials the request carried (its session, the
	// password digest), which an error made from the answer must not quote:
	// servers and proxies echo requests back in error pages.
	secrets []string
}

// send makes one HTTP exchange. session, when set, goes in ZStack's
// "Authorization: OAuth" header; jobUUID in X-Job-UUID.
func (c *Client) send(ctx context.Context, method, path, session, jobUUID string, body any) (answer, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return answer{}, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	}
	if session != "" {
		req.Header.Set("Authorization", "OAuth "+session)
	}
	if jobUUID != "" {
		req.Header.Set("X-Job-UUID", jobUUID)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return answer{}, fmt.Errorf("read answer: %w", err)
	}
	secrets := []string{c.passwordHash}
	if session != "" {
		secrets = append(secrets, session)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: b, secrets: secrets}, nil
}
