package vendorerr

import (
	"fmt"
	"net/http"
	"testing"
)

func TestVendorError_ClassifiesWithTheVendorsOwnRule(t *testing.T) {
	busy := func(a Answer) Class {
		if a.StatusCode == http.StatusConflict && a.Code == "Busy" {
			return Retryable
		}
		return ByStatus(a.StatusCode)
	}
	v := Vendor{Name: "acme", RequestIDLabel: "x-acme-id", Classify: busy}
	tests := []struct {
		a    Answer
		want Class
	}{
		{Answer{StatusCode: 409, Code: "Busy"}, Retryable},
		{Answer{StatusCode: 409, Code: "Exists"}, Refused},
		{Answer{StatusCode: 429}, Throttled},
		{Answer{StatusCode: 503}, Retryable},
		{Answer{StatusCode: 408}, Retryable},
		{Answer{StatusCode: 404}, Refused},
	}
	for _, tt := range tests {
		e := v.Error(tt.a)
		if e.Class != tt.want || e.Vendor != "acme" || e.RequestIDLabel != "x-acme-id" {
			t.Errorf("Error(%+v) = class %s, vendor %q, label %q; want %s, acme, x-acme-id", tt.a, e.Class, e.Vendor, e.RequestIDLabel, tt.want)
		}
	}
	if got := (Vendor{Name: "plain"}).Error(Answer{StatusCode: 400}).RequestIDLabel; got != "request id" {
		t.Errorf("default request id label = %q", got)
	}
}

// A vendor's advice on an answer travels with the error it makes; a vendor
// without advice gives none.
func TestVendorError_CarriesTheVendorsHint(t *testing.T) {
	v := Vendor{Name: "acme", Hint: func(a Answer) string {
		if a.StatusCode == http.StatusForbidden {
			return "ask acme for the quota"
		}
		return ""
	}}
	if got := v.Error(Answer{StatusCode: 403}).Hint; got != "ask acme for the quota" {
		t.Errorf("403 hint %q, want acme's", got)
	}
	if got := v.Error(Answer{StatusCode: 400}).Hint; got != "" {
		t.Errorf("400 hint %q, want none", got)
	}
	if got := (Vendor{Name: "plain"}).Error(Answer{StatusCode: 403}).Hint; got != "" {
		t.Errorf("a vendor with no hints gave %q", got)
	}
}

func TestError_TextTypeAndChain(t *testing.T) {
	v := Vendor{Name: "acme"}
	e := v.Error(Answer{Operation: "Copy", StatusCode: 412, Code: "Stale", Message: "etag mismatch", RequestID: "r1"})
	if got, want := e.Error(), "Copy: 412 Stale: etag mismatch (request id r1)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := v.Error(Answer{Operation: "Get", StatusCode: 503}).Error(); got != "Get: 503: Service Unavailable" {
		t.Errorf("Error() without a message = %q", got)
	}
	if e.Type() != "acme.Stale" || v.Error(Answer{StatusCode: 502}).Type() != "acme.HTTP502" {
		t.Errorf("types %q, %q", e.Type(), v.Error(Answer{StatusCode: 502}).Type())
	}
	wrapped := fmt.Errorf("copy image: %w", e)
	if got, ok := As(wrapped); !ok || got != e {
		t.Errorf("As did not find the error in %v", wrapped)
	}
	if !Is(wrapped, 412, "Stale") || !Is(wrapped, 412, "") || Is(wrapped, 412, "Other") || Is(wrapped, 409, "") {
		t.Error("Is does not match status and code as documented")
	}
}
