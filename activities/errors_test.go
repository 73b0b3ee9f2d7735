package activities

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/providers/oci"
)

func TestTranslate_ClassifiesVendorAnswers(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		retryable bool
		errType   string
		delay     time.Duration
		mentions  []string
	}{
		{
			name:    "stale etag is final",
			err:     &oci.Error{Operation: "ChangeImageCompartment", StatusCode: 412, Code: "NoEtagMatch", Message: "etag mismatch", RequestID: "req-1"},
			errType: "oci.NoEtagMatch", mentions: []string{`step "move"`, "412 NoEtagMatch: etag mismatch", "opc-request-id req-1"},
		},
		{
			name:    "not found is final",
			err:     fmt.Errorf("get image: %w", &oci.Error{Operation: "GetImage", StatusCode: 404, Code: "NotAuthorizedOrNotFound"}),
			errType: "oci.NotAuthorizedOrNotFound",
		},
		{
			name:    "duplicate name conflict is final",
			err:     &oci.Error{Operation: "CreateCompartment", StatusCode: 409, Code: "CompartmentAlreadyExists"},
			errType: "oci.CompartmentAlreadyExists",
		},
		{
			name:      "incorrect state is retried",
			err:       &oci.Error{Operation: "ChangeImageCompartment", StatusCode: 409, Code: "IncorrectState"},
			retryable: true, errType: "oci.IncorrectState",
		},
		{
			name:      "throttling is retried after Retry-After",
			err:       &oci.Error{Operation: "CreateCompartment", StatusCode: 429, Code: "TooManyRequests", RetryAfter: 7 * time.Second},
			retryable: true, errType: "oci.TooManyRequests", delay: 7 * time.Second,
		},
		{
			name:      "server error without a code is retried",
			err:       &oci.Error{Operation: "GetCompartment", StatusCode: 503},
			retryable: true, errType: "oci.HTTP503",
		},
		{
			name:    "input the client refused to send is final",
			err:     fmt.Errorf("retry token: %w", oci.ErrInvalidInput),
			errType: ErrInvalidInput,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := translate("move", "op", tt.err)
			var app *temporal.ApplicationError
			if !errors.As(got, &app) {
				t.Fatalf("translate = %T %v, want an ApplicationError", got, got)
			}
			if app.Type() != tt.errType {
				t.Errorf("type = %q, want %q", app.Type(), tt.errType)
			}
			if app.NonRetryable() == tt.retryable {
				t.Errorf("non-retryable = %v, want %v", app.NonRetryable(), !tt.retryable)
			}
			if app.NextRetryDelay() != tt.delay {
				t.Errorf("next retry delay = %s, want %s", app.NextRetryDelay(), tt.delay)
			}
			for _, m := range tt.mentions {
				if !strings.Contains(app.Error(), m) {
					t.Errorf("message %q does not mention %q", app.Error(), m)
				}
			}
		})
	}
}

func TestTranslate_TransportFailureStaysRetryableAndNamesTheCall(t *testing.T) {
	cause := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	got := translate("compartment", "CreateCompartment", cause)
	var app *temporal.ApplicationError
	if errors.As(got, &app) && app.NonRetryable() {
		t.Fatalf("a dropped connection became non-retryable: %v", got)
	}
	if !errors.Is(got, cause) || !strings.Contains(got.Error(), `step "compartment": CreateCompartment`) {
		t.Fatalf("translate = %v, want the cause wrapped with the step and call", got)
	}
	if got := translate("s", "op", context.Canceled); !errors.Is(got, context.Canceled) {
		t.Fatalf("cancellation became %v", got)
	}
}
