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
	"github.com/imagepipe/imagepipe/providers/vendorerr"
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
			err:     oci.Vendor.Error(vendorerr.Answer{Operation: "ChangeImageCompartment", StatusCode: 412, Code: "NoEtagMatch", Message: "etag mismatch", RequestID: "req-1"}),
			errType: "oci.NoEtagMatch", mentions: []string{`step "move"`, "412 NoEtagMatch: etag mismatch", "opc-request-id req-1"},
		},
		{
			name:    "not found is final",
			err:     fmt.Errorf("get image: %w", oci.Vendor.Error(vendorerr.Answer{Operation: "GetImage", StatusCode: 404, Code: "NotAuthorizedOrNotFound"})),
			errType: "oci.NotAuthorizedOrNotFound",
		},
		{
			name:    "duplicate name conflict is final",
			err:     oci.Vendor.Error(vendorerr.Answer{Operation: "CreateCompartment", StatusCode: 409, Code: "CompartmentAlreadyExists"}),
			errType: "oci.CompartmentAlreadyExists",
		},
		{
			name:      "incorrect state is retried",
			err:       oci.Vendor.Error(vendorerr.Answer{Operation: "ChangeImageCompartment", StatusCode: 409, Code: "IncorrectState"}),
			retryable: true, errType: "oci.IncorrectState",
		},
		{
			name:      "throttling is retried after Retry-After",
			err:       oci.Vendor.Error(vendorerr.Answer{Operation: "CreateCompartment", StatusCode: 429, Code: "TooManyRequests", RetryAfter: 7 * time.Second}),
			retryable: true, errType: "oci.TooManyRequests", delay: 7 * time.Second,
		},
		{
			name:      "server error without a code is retried",
			err:       oci.Vendor.Error(vendorerr.Answer{Operation: "GetCompartment", StatusCode: 503}),
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

// Retryability is the vendor's call, carried out here unchanged: a vendor
// whose classifier calls a 400 passing gets it retried, and one that calls
// a 503 final gets it failed, whatever HTTP would suggest; activities hold
// no rule of their own about codes or vendors.
func TestTranslate_VendorsClassificationDecidesRetryability(t *testing.T) {
	always := func(c vendorerr.Class) func(vendorerr.Answer) vendorerr.Class {
		return func(vendorerr.Answer) vendorerr.Class { return c }
	}
	tests := []struct {
		name      string
		vendor    vendorerr.Vendor
		status    int
		retryable bool
		throttled bool
		label     string
	}{
		{"a 400 its vendor calls passing", vendorerr.Vendor{Name: "acme", Classify: always(vendorerr.Retryable)}, 400, true, false, "request id"},
		{"a 503 its vendor calls final", vendorerr.Vendor{Name: "acme", Classify: always(vendorerr.Refused)}, 503, false, false, "request id"},
		{"a 409 its vendor calls throttling", vendorerr.Vendor{Name: "acme", RequestIDLabel: "x-acme-trace", Classify: always(vendorerr.Throttled)}, 409, true, true, "x-acme-trace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.vendor.Error(vendorerr.Answer{Operation: "Copy", StatusCode: tt.status, Code: "X1", RequestID: "r-9", RetryAfter: 3 * time.Second})
			got := translate("copy", "Copy", fmt.Errorf("copy: %w", err))
			var app *temporal.ApplicationError
			if !errors.As(got, &app) {
				t.Fatalf("translate = %T %v, want an ApplicationError", got, got)
			}
			if app.NonRetryable() == tt.retryable {
				t.Errorf("non-retryable = %v, want %v", app.NonRetryable(), !tt.retryable)
			}
			if app.Type() != "acme.X1" || !strings.Contains(app.Error(), "("+tt.label+" r-9)") {
				t.Errorf("type %q, message %q; want acme.X1 quoting %q", app.Type(), app.Error(), tt.label+" r-9")
			}
			if vendor, throttled := Throttled(got); vendor != "acme" || throttled != tt.throttled {
				t.Errorf("Throttled = %q, %v; want acme, %v", vendor, throttled, tt.throttled)
			}
			if wantDelay := map[bool]time.Duration{true: 3 * time.Second}[tt.retryable]; app.NextRetryDelay() != wantDelay {
				t.Errorf("next retry delay = %s, want %s", app.NextRetryDelay(), wantDelay)
			}
		})
	}
}

// A vendor's advice on its answer reaches the failure's details, where the
// starter reads it; an answer its vendor has no advice on carries none.
func TestTranslate_CarriesTheVendorsHintInTheDetails(t *testing.T) {
	acme := vendorerr.Vendor{Name: "acme", Hint: func(a vendorerr.Answer) string {
		if a.StatusCode == 403 {
			return "raise acme's quota"
		}
		return ""
	}}
	for _, tt := range []struct {
		status int
		want   string
	}{{403, "raise acme's quota"}, {404, ""}} {
		got := translate("copy", "Copy", acme.Error(vendorerr.Answer{Operation: "Copy", StatusCode: tt.status}))
		var app *temporal.ApplicationError
		var d VendorErrorDetails
		if !errors.As(got, &app) || app.Details(&d) != nil {
			t.Fatalf("translate = %v, want an ApplicationError with details", got)
		}
		if d.Hint != tt.want {
			t.Errorf("%d: details hint %q, want %q", tt.status, d.Hint, tt.want)
		}
	}
}
