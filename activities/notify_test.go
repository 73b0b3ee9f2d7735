package activities_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/imagepipe/imagepipe/activities"
)

// hook is a webhook receiver answering status (and header) to every post,
// keeping what it received.
type hook struct {
	mu     sync.Mutex
	bodies [][]byte
	ctype  string
}

func newHook(t *testing.T, status int, header http.Header) (*hook, *httptest.Server) {
	h := &hook{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.bodies = append(h.bodies, b)
		h.ctype = r.Header.Get("Content-Type")
		h.mu.Unlock()
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte("hook says no"))
	}))
	t.Cleanup(srv.Close)
	return h, srv
}

func notify(t *testing.T, acts *activities.Notifier, in activities.NotifyInput) error {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	env := s.NewTestActivityEnvironment()
	env.RegisterActivity(acts)
	_, err := env.ExecuteActivity(acts.Notify, in)
	return err
}

func approvalWaiting() activities.Notification {
	return activities.Notification{
		Event: "waiting_for_approval", Pipeline: "gold", WorkflowID: "pipeline-gold-1", RunID: "run-1", Status: "Running",
		Step: "gate", Message: "ship it?", Approvers: []string{"alice"},
		ApproveCommand: "starter approve pipeline-gold-1 --step gate --by NAME",
		RejectCommand:  "starter reject pipeline-gold-1 --step gate --by NAME --comment WHY",
	}
}

func TestNotify_PostsJSONWithTheApproveCommandAndTheWebUILink(t *testing.T) {
	h, srv := newHook(t, http.StatusNoContent, nil)
	acts := &activities.Notifier{UIURL: "http://ui.example:8080/"}
	if err := notify(t, acts, activities.NotifyInput{URL: srv.URL + "/hook", Notification: approvalWaiting()}); err != nil {
		t.Fatal(err)
	}
	if len(h.bodies) != 1 || h.ctype != "application/json" {
		t.Fatalf("received %d posts, content type %q", len(h.bodies), h.ctype)
	}
	var got activities.Notification
	if err := json.Unmarshal(h.bodies[0], &got); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, h.bodies[0])
	}
	wantURL := "http://ui.example:8080/namespaces/default-test-namespace/workflows/pipeline-gold-1/run-1/history"
	if got.Event != "waiting_for_approval" || got.Step != "gate" || got.URL != wantURL {
		t.Errorf("body: %s", h.bodies[0])
	}
	for _, want := range []string{"starter approve pipeline-gold-1 --step gate --by NAME", "starter reject pipeline-gold-1", wantURL, "ship it?"} {
		if !strings.Contains(got.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, got.Text)
		}
	}
}

func TestNotify_SlackFormatHasTextAndBlocks(t *testing.T) {
	h, srv := newHook(t, http.StatusOK, nil)
	acts := &activities.Notifier{}
	n := activities.Notification{Event: "failed", Pipeline: "gold", WorkflowID: "pipeline-gold-1", Status: "Failed", Error: "oci GetImage answered 404 <NotFound>"}
	if err := notify(t, acts, activities.NotifyInput{URL: srv.URL, Format: activities.NotifySlack, Notification: n}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Text   string `json:"text"`
		Blocks []struct {
			Type string `json:"type"`
			Text struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"text"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(h.bodies[0], &got); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.Text, "Pipeline gold failed: oci GetImage answered 404") {
		t.Errorf("text: %q", got.Text)
	}
	if len(got.Blocks) != 1 || got.Blocks[0].Type != "section" || got.Blocks[0].Text.Type != "mrkdwn" {
		t.Fatalf("blocks: %s", h.bodies[0])
	}
	section := got.Blocks[0].Text.Text
	if !strings.Contains(section, "&lt;NotFound&gt;") || !strings.Contains(section, "<"+activities.DefaultUIURL+"/namespaces/default-test-namespace/workflows/pipeline-gold-1|pipeline-gold-1>") {
		t.Errorf("section (Slack markup escaped, link to the UI): %q", section)
	}
}

// A URL held in the worker's variable is used, and never shown: errors
// name the variable.
func TestNotify_URLFromTheWorkersVariableStaysOutOfErrors(t *testing.T) {
	_, srv := newHook(t, http.StatusInternalServerError, nil)
	secret := srv.URL + "/services/T000/B000/s3cr3t"
	acts := &activities.Notifier{LookupEnv: func(k string) (string, bool) {
		return secret, k == "IMAGEPIPE_NOTIFY_OPS"
	}}
	err := notify(t, acts, activities.NotifyInput{URLEnv: "IMAGEPIPE_NOTIFY_OPS", Notification: approvalWaiting()})
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || app.NonRetryable() || app.Type() != activities.ErrNotifyFailed {
		t.Fatalf("a 500 must be retried: %v", err)
	}
	if strings.Contains(err.Error(), "s3cr3t") || !strings.Contains(err.Error(), "$IMAGEPIPE_NOTIFY_OPS") || !strings.Contains(err.Error(), "500") {
		t.Errorf("error: %v", err)
	}

	err = notify(t, acts, activities.NotifyInput{URLEnv: "IMAGEPIPE_NOTIFY_MISSING", Notification: approvalWaiting()})
	if !errors.As(err, &app) || !app.NonRetryable() || !strings.Contains(err.Error(), "the worker has no variable IMAGEPIPE_NOTIFY_MISSING") {
		t.Errorf("a missing variable: %v", err)
	}
}

func TestNotify_UnreachableWebhookIsRetriedWithoutItsURL(t *testing.T) {
	_, srv := newHook(t, http.StatusOK, nil)
	srv.Close()
	acts := &activities.Notifier{LookupEnv: func(string) (string, bool) { return srv.URL + "/t0ken", true }}
	err := notify(t, acts, activities.NotifyInput{URLEnv: "IMAGEPIPE_NOTIFY_OPS", Notification: approvalWaiting()})
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || app.NonRetryable() || strings.Contains(err.Error(), "t0ken") {
		t.Fatalf("got %v", err)
	}
}

func TestNotify_ThrottledIsRetriedAfterRetryAfterAndARefusalIsNot(t *testing.T) {
	_, throttled := newHook(t, http.StatusTooManyRequests, http.Header{"Retry-After": {"7"}})
	err := notify(t, &activities.Notifier{}, activities.NotifyInput{URL: throttled.URL, Notification: approvalWaiting()})
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || app.NonRetryable() || app.NextRetryDelay() != 7*time.Second {
		t.Fatalf("429: %v (next retry %v)", err, app.NextRetryDelay())
	}
	_, refused := newHook(t, http.StatusNotFound, nil)
	err = notify(t, &activities.Notifier{}, activities.NotifyInput{URL: refused.URL + "/gone", Notification: approvalWaiting()})
	if !errors.As(err, &app) || !app.NonRetryable() || app.Type() != activities.ErrNotifyRefused || !strings.Contains(err.Error(), "404 Not Found: hook says no") {
		t.Fatalf("404: %v", err)
	}
}
