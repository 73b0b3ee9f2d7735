package oci

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter_SecondsOrHTTPDate(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   string
		want time.Duration
	}{
		{"absent", "", 0},
		{"delta seconds", "30", 30 * time.Second},
		{"padded", " 5 ", 5 * time.Second},
		{"zero", "0", 0},
		{"negative", "-3", 0},
		{"http date ahead", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"http date past", now.Add(-time.Minute).Format(http.TimeFormat), 0},
		{"garbage", "soon", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseRetryAfter(tt.in, now); got != tt.want {
				t.Fatalf("parseRetryAfter(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestError_TextNamesOperationStatusCodeAndRequestID(t *testing.T) {
	tests := []struct {
		err  Error
		want string
	}{
		{Error{Operation: "ChangeImageCompartment", StatusCode: 412, Code: "NoEtagMatch", Message: "etag mismatch", RequestID: "abc"},
			"ChangeImageCompartment: 412 NoEtagMatch: etag mismatch (request id abc)"},
		{Error{Operation: "GetImage", StatusCode: 502, Message: "bad gateway"},
			"GetImage: 502: bad gateway"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Fatalf("Error() = %q, want %q", got, tt.want)
		}
	}
}
