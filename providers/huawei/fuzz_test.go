package huawei_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/huawei"
)

// FuzzIMSClientResponse answers the client's calls with an arbitrary
// status, body, X-Request-Id and Retry-After; "$AUTH" and "$PATH" in the
// body are replaced by the request's Authorization header and path, as
// error pages that echo the request do. It holds the client to its
// contract: no panic; either an error or a result the contract allows; and
// never the secret key in any error text.
func FuzzIMSClientResponse(f *testing.F) {
	f.Fuzz(func(t *testing.T, op uint8, status uint16, body []byte, requestID, retryAfter string) {
		code := 200 + int(status)%400
		op %= 3
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			out := strings.ReplaceAll(string(body), "$AUTH", r.Header.Get("Authorization"))
			out = strings.ReplaceAll(out, "$PATH", r.URL.Path)
			for k, v := range map[string]string{"X-Request-Id": requestID, "Retry-After": retryAfter} {
				if v != "" && !strings.ContainsAny(v, "\r\n") {
					w.Header().Set(k, v)
				}
			}
			w.WriteHeader(code)
			_, _ = w.Write([]byte(out))
		}))
		defer srv.Close()
		client, err := huawei.New(huawei.Config{Endpoint: srv.URL, ProjectID: "5f2ae0b3c8d94e1f9a7b6c5d4e3f2a1b",
			AccessKey: "FUZZACCESSKEY0000001", SecretKey: imsFuzzSecret, HTTPClient: &http.Client{Timeout: 5 * time.Second}})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		var callErr error
		switch op {
		case 0:
			id, err := client.CopyImage(ctx, huawei.CopyImageInput{SourceImageID: "465076de-dc36-4aec-80f5-ef9d8009428f", Name: "copy"})
			if err == nil && id == "" {
				t.Fatal("CopyImage returned no job id and no error")
			}
			callErr = err
		case 1:
			job, err := client.GetJob(ctx, "j1")
			if err == nil {
				if job.ID == "" || job.Percent < 0 || job.Percent > 100 || (job.Done() && !job.Succeeded() && job.FailReason == "") {
					t.Fatalf("GetJob returned %+v", job)
				}
			}
			callErr = err
		default:
			img, found, err := client.FindImageByName(ctx, "copy")
			if err == nil && found && img.Name != "copy" {
				t.Fatalf("FindImageByName found %+v for name copy", img)
			}
			callErr = err
		}
		if callErr != nil && strings.Contains(callErr.Error(), imsFuzzSecret) {
			t.Fatalf("error quotes the secret key: %v", callErr)
		}
	})
}

const imsFuzzSecret = "ims-fuzz-secret-key-Do-Not-Print"
