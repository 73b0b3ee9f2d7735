package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.uber.org/zap"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// A server that fails a describe with a passing error (as a dev server's
// storage does under load: "Error interrupted (9)") is asked again; the
// worker starts once it answers.
func TestAwaitNamespace_APassingServerErrorIsAskedAgain(t *testing.T) {
	calls := 0
	describe := func(context.Context) error {
		calls++
		if calls < 3 {
			return serviceerror.NewUnavailable("GetNamespace operation failed. Error interrupted (9)")
		}
		return nil
	}
	if err := awaitNamespace(context.Background(), zap.NewNop(), describe, "default", "TEMPORAL_NAMESPACE", "127.0.0.1:7233", time.Minute); err != nil || calls != 3 {
		t.Fatalf("after two passing errors: %v, %d calls; want started after 3", err, calls)
	}
}

// A namespace that does not exist, or credentials the server refuses, fail
// at once: waiting would not change the answer.
func TestAwaitNamespace_AMissingNamespaceOrBadCredentialsFailAtOnce(t *testing.T) {
	for _, answer := range []error{
		serviceerror.NewNamespaceNotFound("prod"),
		status.Error(codes.Unauthenticated, "bad api key"),
	} {
		calls := 0
		describe := func(context.Context) error { calls++; return answer }
		err := awaitNamespace(context.Background(), zap.NewNop(), describe, "prod", "TEMPORAL_NAMESPACE", "127.0.0.1:7233", time.Minute)
		if err == nil || calls != 1 {
			t.Errorf("%T: %v after %d calls; want an error after one", answer, err, calls)
		}
	}
}

// A server that keeps failing is given up on after the patience, with the
// namespace, where it came from and the server's error in the message.
func TestAwaitNamespace_GivesUpAfterItsPatienceNamingTheNamespace(t *testing.T) {
	describe := func(context.Context) error { return serviceerror.NewUnavailable("connection refused") }
	err := awaitNamespace(context.Background(), zap.NewNop(), describe, "default", "TEMPORAL_NAMESPACE", "127.0.0.1:7233", 1500*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), `describe namespace "default" (TEMPORAL_NAMESPACE) at 127.0.0.1:7233: connection refused`) {
		t.Fatalf("got %v", err)
	}
}
