package zstack

import (
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

func TestError_MessageQuotesOperationCodeAndRequestID(t *testing.T) {
	e := &Error{Operation: "UpdateImage", StatusCode: 429, Code: "SYS.1006", Message: "throttled", RequestID: "abc"}
	if got, want := e.Error(), "UpdateImage: 429 SYS.1006: throttled (request id abc)"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
	e = &Error{Operation: "QueryImage", StatusCode: 400, Message: "bad"}
	if got, want := e.Error(), "QueryImage: 400: bad"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
}
