package zstack_test

import (
	"context"
	"crypto/sha512"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/zstack"
)

// FuzzZStackClientResponse answers the client's calls with an arbitrary
// status, body and Retry-After, optionally quoting the request back (path
// and headers, as error pages of servers and proxies do), and holds the
// client to its contract: no panic; either an error or a result the
// contract allows; and no credential (password, its digest, the session)
// in any error text, which ends up in workflow history.
func FuzzZStackClientResponse(f *testing.F) {
	f.Fuzz(func(t *testing.T, op uint8, status uint16, body []byte, echo bool, retryAfter string) {
		code := 200 + int(status)%400
		op %= 5
		target := map[uint8]string{0: "GET /zstack/v1/images/", 1: "PUT /zstack/v1/images/", 2: "GET /zstack/v1/api-jobs/",
			3: "DELETE /zstack/v1/accounts/sessions/", 4: "PUT /zstack/v1/accounts/login"}[op]
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			line := r.Method + " " + r.URL.Path
			if !strings.HasPrefix(line, target) || (op == 3 && r.Method != http.MethodDelete) {
				answerNormally(w, r)
				return
			}
			out := append([]byte(nil), body...)
			if echo {
				out = append(out, "\n"+line+"\n"...)
				for k, v := range r.Header {
					out = append(out, k+": "+strings.Join(v, ",")+"\n"...)
				}
			}
			if retryAfter != "" && !strings.ContainsAny(retryAfter, "\r\n") {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(code)
			_, _ = w.Write(out)
		}))
		defer srv.Close()
		client, err := zstack.New(zstack.Config{Endpoint: srv.URL, AccountName: "admin", Password: fuzzPassword,
			HTTPClient: &http.Client{Timeout: 5 * time.Second}})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		switch op {
		case 0, 4:
			img, err := client.GetImage(ctx, fuzzImage)
			if err == nil && img.UUID != fuzzImage {
				t.Fatalf("GetImage returned image %q for %q", img.UUID, fuzzImage)
			}
			noSecret(t, err)
		case 1:
			up, err := client.UpdateImage(ctx, zstack.UpdateImageInput{UUID: fuzzImage, Name: ptr("n"), JobUUID: fuzzJob})
			if err == nil && !up.Done && up.Location == "" {
				t.Fatalf("UpdateImage returned neither an image nor a job: %+v", up)
			}
			noSecret(t, err)
		case 2:
			job, err := client.GetJob(ctx, client.JobLocation(fuzzJob))
			if err == nil {
				switch job.State {
				case zstack.JobRunning, zstack.JobSucceeded:
				case zstack.JobFailed:
					if job.Reason == "" && job.Code == "" {
						t.Fatalf("failed job says nothing about why: %+v", job)
					}
				default:
					t.Fatalf("job in unknown state %q", job.State)
				}
			}
			noSecret(t, err)
		case 3:
			if _, err := client.GetImage(ctx, fuzzImage); err != nil {
				t.Fatalf("GetImage against a normal answer: %v", err)
			}
			noSecret(t, client.LogOut(ctx))
		}
	})
}

const (
	fuzzPassword = "fuzz-pass-Secret-1"
	fuzzSession  = "5ea51042d0b841a7b1e4c2d3f4a5b6c7"
	fuzzImage    = "7f3e9a1c5b2d4e6f8a0b1c2d3e4f5a6b"
	fuzzJob      = "0123456789abcdef0123456789abcdef"
)

// answerNormally is a well-behaved ZStack for the calls the fuzzed one needs.
func answerNormally(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch {
	case strings.HasSuffix(r.URL.Path, "/accounts/login"):
		_, _ = w.Write([]byte(`{"inventory":{"uuid":"` + fuzzSession + `"}}`))
	case strings.HasSuffix(r.URL.Path, "/valid"):
		_, _ = w.Write([]byte(`{"valid":true}`))
	case strings.HasPrefix(r.URL.Path, "/zstack/v1/images/"):
		_, _ = w.Write([]byte(`{"inventories":[{"uuid":"` + fuzzImage + `"}]}`))
	default:
		_, _ = w.Write([]byte(`{}`))
	}
}

func noSecret(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	sum := sha512.Sum512([]byte(fuzzPassword))
	msg := err.Error()
	for _, secret := range []string{fuzzPassword, hex.EncodeToString(sum[:]), fuzzSession} {
		if strings.Contains(msg, secret) {
			t.Fatalf("error quotes a credential: %s", msg)
		}
	}
}
