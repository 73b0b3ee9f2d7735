package activities

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
)

// Error types of a notification that was not delivered.
const (
	// ErrNotifyRefused: the webhook answered 4xx (other than 429), or its
	// URL is missing or malformed; no retry can fix it.
	ErrNotifyRefused = "imagepipe.NotifyRefused"
	// ErrNotifyFailed: the webhook answered 429 or 5xx, or could not be
	// reached; retried.
	ErrNotifyFailed = "imagepipe.NotifyFailed"
)

// Notification formats, as a pipeline's notify target names them.
const (
	NotifyJSON  = "json"
	NotifySlack = "slack"
)

// DefaultUIURL is the Temporal web UI a notification links to when the
// worker is given no IMAGEPIPE_UI_URL: the dev server's.
const DefaultUIURL = "http://localhost:8233"

// Notifier runs the Notify activity, with what it takes from the worker's
// configuration; its zero value posts with a 30 s timeout, reads URLs
// from the process's environment and links to DefaultUIURL. It calls no
// vendor, so it is no vendor's activities: the worker registers it
// beside them.
type Notifier struct {
	// UIURL is the base of the web UI links in messages.
	UIURL string
	// Client posts the notifications.
	Client *http.Client
	// LookupEnv reads the variable a target names (os.LookupEnv).
	LookupEnv func(string) (string, bool)
}

// NotifyInput is one notification to one webhook.
type NotifyInput struct {
	// URL is the webhook, or URLEnv the worker's variable that holds it
	// (the secret then never enters history).
	URL    string `json:"url,omitempty"`
	URLEnv string `json:"url_env,omitempty"`
	// Format is NotifyJSON (the default) or NotifySlack.
	Format       string       `json:"format,omitempty"`
	Notification Notification `json:"notification"`
}

// StepItem is the step a notification is about, the approval step that
// waits (none for a pipeline's end), read the way the worker's log lines
// read a vendor call's Unit. It stays the notification's "step", where
// inputs recorded before units existed keep it too, so the input needs no
// Unit of its own.
func (in NotifyInput) StepItem() (step string, item int) {
	return in.Notification.Step, -1
}

// Notification is what a webhook is told, and with format json the body it
// receives. The activity fills URL and Text.
type Notification struct {
	// Event is succeeded, failed, canceled or waiting_for_approval.
	Event      string `json:"event"`
	Pipeline   string `json:"pipeline"`
	WorkflowID string `json:"workflow_id"`
	RunID      string `json:"run_id"`
	// Status is the pipeline's: Running while an approval waits.
	Status string `json:"status"`
	// Error is why it failed; Rollback what rollback undid.
	Error    string   `json:"error,omitempty"`
	Rollback []string `json:"rollback,omitempty"`
	// Step is the approval step waiting, with its message, who may decide,
	// and the commands that decide it.
	Step           string   `json:"step,omitempty"`
	Message        string   `json:"message,omitempty"`
	Approvers      []string `json:"approvers,omitempty"`
	ApproveCommand string   `json:"approve_command,omitempty"`
	RejectCommand  string   `json:"reject_command,omitempty"`
	// Deadline is when an undecided approval fails; Instructions say how
	// to decide it, in the words the web UI uses.
	Deadline     time.Time `json:"deadline,omitzero"`
	Instructions string    `json:"instructions,omitempty"`
	// At is when the event happened (workflow time).
	At time.Time `json:"at"`
	// URL is the pipeline in the web UI.
	URL string `json:"url"`
	// Text says it all in one or a few lines, for people.
	Text string `json:"text"`
}

// Notify posts one notification to one webhook. 2xx is delivered; 429 and
// 5xx and an unreachable host are retried (a Retry-After is honoured);
// any other answer, and a URL variable the worker lacks, fail at once. The
// error names the target by variable or host only, never by its URL.
func (n *Notifier) Notify(ctx context.Context, in NotifyInput) error {
	info := activity.GetInfo(ctx)
	target, where, err := n.target(in)
	if err != nil {
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrNotifyRefused, nil)
	}
	msg := in.Notification
	msg.URL = n.link(info.Namespace, msg.WorkflowID, msg.RunID)
	msg.Text = notificationText(msg)
	body, err := notificationBody(in.Format, msg)
	if err != nil {
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrNotifyRefused, nil)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("notify %s: %v", where, redact(err)), ErrNotifyRefused, nil)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "imagepipe-notify")
	client := n.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return temporal.NewApplicationErrorWithOptions(fmt.Sprintf("notify %s: %v", where, redact(err)), ErrNotifyFailed, temporal.ApplicationErrorOptions{})
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 == 2 {
		activity.GetLogger(ctx).Info("notification delivered", "event", msg.Event, "to", where, "status", resp.StatusCode)
		return nil
	}
	text := fmt.Sprintf("notify %s: answered %s", where, resp.Status)
	if s := strings.TrimSpace(string(answer)); s != "" {
		text += ": " + s
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return temporal.NewApplicationErrorWithOptions(text, ErrNotifyFailed, temporal.ApplicationErrorOptions{
			NextRetryDelay: retryAfter(resp.Header.Get("Retry-After"), time.Now()),
		})
	}
	return temporal.NewNonRetryableApplicationError(text, ErrNotifyRefused, nil)
}

// target is the URL to post to and how messages name it.
func (n *Notifier) target(in NotifyInput) (u, where string, err error) {
	if in.URLEnv == "" {
		p, perr := url.Parse(in.URL)
		if perr != nil || p.Host == "" {
			return "", "a webhook", fmt.Errorf("notify: the webhook URL in the pipeline file is not an http(s) URL")
		}
		return in.URL, p.Scheme + "://" + p.Host, nil
	}
	where = "$" + in.URLEnv
	lookup := n.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	v, ok := lookup(in.URLEnv)
	if !ok || v == "" {
		return "", where, fmt.Errorf("notify %s: the worker has no variable %s; set it to the webhook's URL in the worker's environment", where, in.URLEnv)
	}
	p, perr := url.Parse(v)
	if perr != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return "", where, fmt.Errorf("notify %s: the worker's %s is not an http(s) URL", where, in.URLEnv)
	}
	return v, where, nil
}

// link is the pipeline's page in the web UI: the route
// /namespaces/{namespace}/workflows/{workflow}/{run}/history of Temporal UI
// 2.x (temporalio/ui src/routes).
func (n *Notifier) link(namespace, workflowID, runID string) string {
	base := n.UIURL
	if base == "" {
		base = DefaultUIURL
	}
	if namespace == "" {
		namespace = "default"
	}
	u := fmt.Sprintf("%s/namespaces/%s/workflows/%s", strings.TrimRight(base, "/"), url.PathEscape(namespace), url.PathEscape(workflowID))
	if runID != "" {
		u += "/" + url.PathEscape(runID) + "/history"
	}
	return u
}

// redact drops the URL from an HTTP client error: it may hold the
// webhook's token.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// retryAfter reads a Retry-After of seconds or an HTTP date; 0 leaves the
// retry policy's own backoff.
func retryAfter(h string, now time.Time) time.Duration {
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// notificationText is the message for people: what happened, and for an
// approval how to decide it.
func notificationText(m Notification) string {
	var b strings.Builder
	switch m.Event {
	case "succeeded":
		fmt.Fprintf(&b, "Pipeline %s succeeded.", m.Pipeline)
	case "failed":
		fmt.Fprintf(&b, "Pipeline %s failed: %s", m.Pipeline, m.Error)
		if len(m.Rollback) > 0 {
			fmt.Fprintf(&b, "\nRolled back: %s", strings.Join(m.Rollback, "; "))
		}
	case "canceled":
		fmt.Fprintf(&b, "Pipeline %s was cancelled.", m.Pipeline)
		if len(m.Rollback) > 0 {
			fmt.Fprintf(&b, "\nRolled back: %s", strings.Join(m.Rollback, "; "))
		}
	case "waiting_for_approval":
		if m.Instructions != "" {
			fmt.Fprintf(&b, "Pipeline %s: %s", m.Pipeline, strings.TrimRight(m.Instructions, "\n"))
			break
		}
		fmt.Fprintf(&b, "Pipeline %s waits for approval of step %s", m.Pipeline, m.Step)
		if m.Message != "" {
			fmt.Fprintf(&b, ": %s", m.Message)
		}
		if len(m.Approvers) > 0 {
			fmt.Fprintf(&b, "\nApprovers: %s", strings.Join(m.Approvers, ", "))
		}
		fmt.Fprintf(&b, "\nApprove: %s\nReject: %s", m.ApproveCommand, m.RejectCommand)
	default:
		fmt.Fprintf(&b, "Pipeline %s: %s", m.Pipeline, m.Event)
	}
	fmt.Fprintf(&b, "\nWorkflow %s: %s", m.WorkflowID, m.URL)
	return b.String()
}

// notificationBody is the request body in the target's format.
func notificationBody(format string, m Notification) ([]byte, error) {
	switch format {
	case "", NotifyJSON:
		return json.Marshal(m)
	case NotifySlack:
		return json.Marshal(slackMessage(m))
	default:
		return nil, fmt.Errorf("notify: unknown format %q: use json or slack", format)
	}
}

// slackMessage is Slack's incoming-webhook shape: text, which Slack shows
// in notifications, and blocks, which it shows in the channel.
func slackMessage(m Notification) map[string]any {
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace
	var b strings.Builder
	fmt.Fprintf(&b, "*%s* %s", esc(m.Pipeline), esc(m.Event))
	switch {
	case m.Event == "waiting_for_approval":
		fmt.Fprintf(&b, ": step `%s`", esc(m.Step))
		if m.Message != "" {
			fmt.Fprintf(&b, "\n>%s", esc(m.Message))
		}
		fmt.Fprintf(&b, "\nApprove: `%s`\nReject: `%s`", esc(m.ApproveCommand), esc(m.RejectCommand))
	case m.Error != "":
		fmt.Fprintf(&b, ": %s", esc(m.Error))
	}
	if len(m.Rollback) > 0 {
		fmt.Fprintf(&b, "\nRolled back: %s", esc(strings.Join(m.Rollback, "; ")))
	}
	fmt.Fprintf(&b, "\n<%s|%s>", m.URL, esc(m.WorkflowID))
	section := b.String()
	// Unverified: that Slack refuses a section text over 3,000 characters
	// (Block Kit's documented limit as third-party SDKs quote it; Slack's
	// own reference was not at hand).
	if r := []rune(section); len(r) > 2900 {
		section = string(r[:2900]) + "…"
	}
	return map[string]any{
		"text": m.Text,
		"blocks": []any{map[string]any{
			"type": "section",
			"text": map[string]any{"type": "mrkdwn", "text": section},
		}},
	}
}
