package zstack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
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
func (c *Client) sessionValid(ctx context.Context, id string) (bool, error) {
	a, err := c.send(ctx, http.MethodGet, "/accounts/sessions/"+url.PathEscape(id)+"/valid", "", "", nil)
	if err != nil {
		return false, fmt.Errorf("validate session: %w", err)
	}
	if a.status != http.StatusOK {
		return false, vendorError("ValidateSession", a, "")
	}
	var out struct {
		Valid bool `json:"valid"`
	}
	if err := json.Unmarshal(a.body, &out); err != nil {
		return false, fmt.Errorf("validate session: decode answer: %w", err)
	}
	return out.Valid, nil
}
