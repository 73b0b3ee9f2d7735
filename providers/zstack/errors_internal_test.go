package zstack

import (
	"fmt"
	"net/http"
	"testing"
)

func TestVendorError_ReadsEnvelopeAndPlainText(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		wantCode string
		wantMsg  string
	}{
		{
			name:   "envelope with a cause chain reports the root details",
			status: 503,
			body: `{"error":{"code":"SYS.1006","description":"An operation failed","details":"update failed",` +
				`"cause":{"code":"HOST.1000","description":"host error","details":"disk /dev/vdb is full"}}}`,
			wantCode: "SYS.1006", wantMsg: "An operation failed: disk /dev/vdb is full",
		},
		{
			name:     "RestServer's own refusal is plain text",
			status:   400,
			body:     "missing header 'Authorization'",
			wantCode: "", wantMsg: "missing header 'Authorization'",
		},
		{
			name:     "empty body falls back to the status text",
			status:   502,
			wantCode: "", wantMsg: "Bad Gateway",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := vendorError("UpdateImage", answer{status: tt.status, header: http.Header{}, body: []byte(tt.body)}, "job-1")
			if e.Code != tt.wantCode || e.Message != tt.wantMsg || e.StatusCode != tt.status || e.RequestID != "job-1" {
				t.Fatalf("error = %+v, want code %q message %q", e, tt.wantCode, tt.wantMsg)
			}
		})
	}
}

// ZStack's one code a poll treats apart is known by the zstack package: a
// SYS.1012 (the node, not the job) is found through any wrapping, other
// codes and other vendors' answers are not it.
func TestNodeUnavailable_IsZStacksSYS1012Only(t *testing.T) {
	node := vendorError("GetAPIJob", answer{status: 503, header: http.Header{}, body: []byte(`{"error":{"code":"SYS.1012","description":"unavailable"}}`)}, "j")
	if !NodeUnavailable(fmt.Errorf("get job: %w", node)) || !node.Retryable() || node.Type() != "zstack.SYS.1012" {
		t.Fatalf("SYS.1012: NodeUnavailable false or not retryable: %+v", node)
	}
	failed := vendorError("GetAPIJob", answer{status: 503, header: http.Header{}, body: []byte(`{"error":{"code":"SYS.1006","description":"failed"}}`)}, "j")
	if NodeUnavailable(failed) {
		t.Fatal("SYS.1006 taken for SYS.1012")
	}
}

// ZStack answers every API error with 503, so its codes, not the status,
// say whether a retry can help: a wrong password or an unknown image is
// final, the node being away or an internal error is not.
func TestVendor_RefusalsUnderA503AreFinal(t *testing.T) {
	tests := []struct {
		code      string
		retryable bool
	}{
		{CodeAuthenticationError, false},
		{CodePermissionDenied, false},
		{CodeResourceNotFound, false},
		{CodeInvalidArgument, false},
		{CodeNodeUnavailable, true},
		{CodeInternal, true},
		{CodeOperationError, true},
		{"", true},
	}
	for _, tt := range tests {
		body := `{"error":{"code":"` + tt.code + `","description":"d"}}`
		e := vendorError("LogInByAccount", answer{status: 503, header: http.Header{}, body: []byte(body)}, "")
		if e.Retryable() != tt.retryable {
			t.Errorf("503 %q: retryable %v, want %v", tt.code, e.Retryable(), tt.retryable)
		}
	}
}
