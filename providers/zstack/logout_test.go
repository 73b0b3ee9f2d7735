package zstack_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/zstack"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

func TestLogOut_EndsTheClientsSessionOnTheServer(t *testing.T) {
	e := newEnv(t, zstacksim.Options{})
	ctx := context.Background()
	if _, err := e.client.GetImage(ctx, e.image.UUID); err != nil {
		t.Fatal(err)
	}
	if n := e.sim.Sessions(); n != 1 {
		t.Fatalf("%d sessions after the first call, want 1", n)
	}

	if err := e.client.LogOut(ctx); err != nil {
		t.Fatalf("LogOut: %v", err)
	}
	if n := e.sim.Sessions(); n != 0 {
		t.Fatalf("%d sessions survive LogOut", n)
	}
	if n := e.sim.Calls(zstacksim.OpLogOut); n != 1 {
		t.Fatalf("LogOut sent %d requests, want 1", n)
	}
	// A client that has logged out has no session to end.
	if err := e.client.LogOut(ctx); err != nil || e.sim.Calls(zstacksim.OpLogOut) != 1 {
		t.Fatalf("second LogOut: %v, %d requests", err, e.sim.Calls(zstacksim.OpLogOut))
	}
	// The client stays usable: the next call logs in afresh.
	if _, err := e.client.GetImage(ctx, e.image.UUID); err != nil {
		t.Fatalf("call after LogOut: %v", err)
	}
	if n := e.sim.Calls(zstacksim.OpLogInByAccount); n != 2 {
		t.Fatalf("%d logins, want a second one after LogOut", n)
	}
}

func TestClose_LogsOut(t *testing.T) {
	e := newEnv(t, zstacksim.Options{})
	if _, err := e.client.GetImage(context.Background(), e.image.UUID); err != nil {
		t.Fatal(err)
	}
	if err := e.client.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if n := e.sim.Sessions(); n != 0 {
		t.Fatalf("%d sessions survive Close", n)
	}
}

func TestLogOut_ErrorsNeverQuoteTheSession(t *testing.T) {
	e := newEnv(t, zstacksim.Options{})
	var session string
	record := roundTrip(func(r *http.Request) (*http.Response, error) {
		if s, ok := strings.CutPrefix(r.Header.Get("Authorization"), "OAuth "); ok {
			session = s
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	client, err := zstack.New(zstack.Config{Endpoint: e.srv.URL, AccountName: testAccount, Password: testPassword,
		HTTPClient: &http.Client{Timeout: 5 * time.Second, Transport: record}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := client.GetImage(ctx, e.image.UUID); err != nil || session == "" {
		t.Fatalf("GetImage: %v, session %q", err, session)
	}
	// Nothing listens any more: the transport error names the request's URL,
	// which holds the session.
	e.srv.Close()
	err = client.LogOut(ctx)
	if err == nil {
		t.Fatal("LogOut to a closed server succeeded")
	}
	var netErr net.Error
	if strings.Contains(err.Error(), session) || !errors.As(err, &netErr) {
		t.Fatalf("error %q quotes the session or lost its cause", err)
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestUpdateImage_SessionCheckErrorsNeverQuoteTheSession: the validity check
// UpdateImage makes first puts the session in its path, so a transport error
// there would carry it into the step's error (and into workflow history).
func TestUpdateImage_SessionCheckErrorsNeverQuoteTheSession(t *testing.T) {
	e := newEnv(t, zstacksim.Options{})
	var session string
	fail := false
	rt := roundTrip(func(r *http.Request) (*http.Response, error) {
		if s, ok := strings.CutPrefix(r.Header.Get("Authorization"), "OAuth "); ok {
			session = s
		}
		if fail {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	client, err := zstack.New(zstack.Config{Endpoint: e.srv.URL, AccountName: testAccount, Password: testPassword,
		HTTPClient: &http.Client{Timeout: 5 * time.Second, Transport: rt}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.GetImage(context.Background(), e.image.UUID); err != nil || session == "" {
		t.Fatalf("GetImage: %v, session %q", err, session)
	}
	fail = true
	_, err = client.UpdateImage(context.Background(), zstack.UpdateImageInput{
		UUID: e.image.UUID, Name: ptr("renamed"), JobUUID: zstack.JobUUIDFromKey("k"),
	})
	if err == nil || strings.Contains(err.Error(), session) {
		t.Fatalf("UpdateImage error %v quotes the session %s", err, session)
	}
}
