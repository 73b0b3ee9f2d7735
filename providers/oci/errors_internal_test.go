package oci

import (
	"testing"
)

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
