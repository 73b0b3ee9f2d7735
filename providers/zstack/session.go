package zstack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

func (c *Client) lock(ctx context.Context) error {
	select {
	case c.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Client) unlock() { <-c.sem }

// currentSession returns the shared session, logging in when there is none;
// fresh says it was made by this call.
func (c *Client) currentSession(ctx context.Context) (id string, fresh bool, err error) {
	if err := c.lock(ctx); err != nil {
		return "", false, err
	}
	defer c.unlock()
	if c.session != "" {
		return c.session, false, nil
	}
	if c.session, err = c.logIn(ctx); err != nil {
		return "", false, err
	}
	return c.session, true, nil
}

// renewSession replaces stale, the session ZStack refused, by logging in
// again; when another goroutine already did, its session is used instead,
// so concurrent refusals cost one login.
func (c *Client) renewSession(ctx context.Context, stale string) (string, error) {
	if err := c.lock(ctx); err != nil {
		return "", err
	}
	defer c.unlock()
	if c.session != "" && c.session != stale {
		return c.session, nil
	}
	c.session = ""
	id, err := c.logIn(ctx)
	if err != nil {
		return "", err
	}
	c.session = id
	return id, nil
}

// logIn calls LogInByAccount, a synchronous API that needs no session.
func (c *Client) logIn(ctx context.Context) (string, error) {
	body := map[string]any{"logInByAccount": map[string]string{
		"accountName": c.account,
		"password":    c.passwordHash,
	}}
	a, err := c.send(ctx, http.MethodPut, "/accounts/login", "", "", body)
	if err != nil {
		return "", fmt.Errorf("log in as %s: %w", c.account, err)
	}
	if a.status != http.StatusOK {
		return "", vendorError("LogInByAccount", a, "")
	}
	var out struct {
		Inventory struct {
			UUID string `json:"uuid"`
		} `json:"inventory"`
	}
	if err := json.Unmarshal(a.body, &out); err != nil {
		return "", fmt.Errorf("log in as %s: decode answer: %w", c.account, err)
	}
	if out.Inventory.UUID == "" {
		return "", fmt.Errorf("log in as %s: answer carries no session uuid", c.account)
	}
	return out.Inventory.UUID, nil
}

// sessionValid calls ValidateSession, which needs no Authorization header.
// The session travels in the path, so errors are redacted of it.
func (c *Client) sessionValid(ctx context.Context, id string) (bool, error) {
	a, err := c.send(ctx, http.MethodGet, "/accounts/sessions/"+url.PathEscape(id)+"/valid", "", "", nil)
	if err != nil {
		return false, fmt.Errorf("validate session: %w", redact(err, id))
	}
	if a.status != http.StatusOK {
		return false, redactVendor(vendorError("ValidateSession", a, ""), id)
	}
	var out struct {
		Valid bool `json:"valid"`
	}
	if err := json.Unmarshal(a.body, &out); err != nil {
		return false, fmt.Errorf("validate session: decode answer: %w", err)
	}
	return out.Valid, nil
}

// LogOut ends the client's session on the server (LogOut, DELETE
// /zstack/v1/accounts/sessions/{uuid}, which needs no Authorization
// header), so it does not linger for its two hours and count against the
// account's concurrent sessions. Without a session it does nothing. The
// client stays usable: its next call logs in again. When ZStack cannot be
// reached the session is kept, so LogOut can be tried again.
func (c *Client) LogOut(ctx context.Context) error {
	if err := c.lock(ctx); err != nil {
		return err
	}
	defer c.unlock()
	id := c.session
	if id == "" {
		return nil
	}
	a, err := c.send(ctx, http.MethodDelete, "/accounts/sessions/"+url.PathEscape(id), "", "", nil)
	if err != nil {
		return fmt.Errorf("log out: %w", redact(err, id))
	}
	c.session = ""
	if a.status != http.StatusOK {
		return redactVendor(vendorError("LogOut", a, ""), id)
	}
	return nil
}

// closeTimeout bounds the logout Close makes.
const closeTimeout = 10 * time.Second

// Close logs out (see LogOut), waiting at most ten seconds for ZStack.
func (c *Client) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	return c.LogOut(ctx)
}

// redacted stands in for a session uuid in error text.
const redacted = "<session>"

// redactedError is err with secret replaced in its text; Unwrap keeps the
// cause, so errors.Is and errors.As (timeouts, net errors) still see it.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redact hides secret (a session uuid, a bearer credential) from err's text.
func redact(err error, secret string) error {
	if err == nil || secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), secret, redacted), err: err}
}

// redactVendor hides secret from a vendor answer that quotes the request
// path, as ZStack's "no api mapping to ..." does.
func redactVendor(e *vendorerr.Error, secret string) *vendorerr.Error {
	e.Message = strings.ReplaceAll(e.Message, secret, redacted)
	return e
}
