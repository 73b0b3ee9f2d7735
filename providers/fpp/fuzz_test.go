package fpp_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/providers/fpp"
)

// FuzzFPPClientResponse answers the client's calls with an arbitrary
// status, body, Location and Retry-After; "$AUTH" and "$PATH" in the body
// are replaced by the request's Authorization header and path, as error
// pages that echo the request do. It holds the client to its contract: no
// panic; either an error or a result the contract allows; and neither the
// password nor the Basic credentials in any error text.
func FuzzFPPClientResponse(f *testing.F) {
	f.Fuzz(func(t *testing.T, op uint8, status uint16, body []byte, location, retryAfter string) {
		code := 200 + int(status)%400
		op %= 5
		srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !fuzzTarget(op, r) {
				answerFPP(w, r)
				return
			}
			out := strings.ReplaceAll(string(body), "$AUTH", r.Header.Get("Authorization"))
			out = strings.ReplaceAll(out, "$PATH", r.URL.Path)
			if location != "" && !strings.ContainsAny(location, "\r\n") {
				w.Header().Set("Location", location)
			}
			if retryAfter != "" && !strings.ContainsAny(retryAfter, "\r\n") {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(code)
			_, _ = w.Write([]byte(out))
		}))
		defer srv.Close()
		client, err := fpp.New(fpp.Config{Endpoint: srv.URL, Username: "restuser", Password: fppFuzzPassword,
			HTTPClient: tlsClient(srv)})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		switch op {
		case 0:
			job, err := client.ImportImage(ctx, fpp.ImportImageInput{ImageName: "DB1", Path: "/u01/db"})
			if err == nil && (job.ID == "" || job.Status == "") {
				t.Fatalf("ImportImage returned a job without id or status: %+v", job)
			}
			fppNoSecret(t, err)
		case 1:
			img, found, err := client.GetImage(ctx, "DB1")
			if err == nil && found && img.ID == "" {
				t.Fatalf("GetImage found an image without a name: %+v", img)
			}
			fppNoSecret(t, err)
		case 2:
			job, err := client.GetJob(ctx, "7")
			if err == nil && (job.ID == "" || (job.Done() && !job.Succeeded() && job.Reason == "")) {
				t.Fatalf("GetJob returned %+v", job)
			}
			fppNoSecret(t, err)
		case 3:
			_, err := client.GetJobOutput(ctx, "7")
			fppNoSecret(t, err)
		case 4:
			jobs, err := client.ListJobs(ctx)
			for _, j := range jobs {
				if err == nil && j.ID == "" {
					t.Fatalf("ListJobs returned a job without id: %+v", jobs)
				}
			}
			fppNoSecret(t, err)
		}
	})
}

const fppFuzzPassword = "fpp-Fuzz-pass-9"

// fuzzTarget says whether r is the call whose answer the fuzzer controls.
func fuzzTarget(op uint8, r *http.Request) bool {
	p := strings.TrimPrefix(r.URL.Path, "/rhp-restapi/rhp")
	switch op {
	case 0:
		return r.Method == http.MethodPost && p == "/images"
	case 1:
		return strings.HasPrefix(p, "/images/")
	case 2:
		return p == "/jobs/7"
	case 3:
		return p == "/jobs/7/output"
	default:
		return p == "/jobs"
	}
}

// answerFPP is a well-behaved FPP for the calls around the fuzzed one.
func answerFPP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch {
	case strings.HasSuffix(r.URL.Path, "/output"):
		_, _ = w.Write([]byte(`{"output":"node1: PRGO-1 : failed","hasMore":false}`))
	case strings.Contains(r.URL.Path, "/jobs/"):
		_, _ = w.Write([]byte(`{"jobId":"1","status":"SUCCEEDED","operation":"importIntoImage{image=DB1, path=/u01/db}","output":{}}`))
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"title":"not found","status":404}`))
	}
}

func fppNoSecret(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	basic := base64.StdEncoding.EncodeToString([]byte("restuser:" + fppFuzzPassword))
	if msg := err.Error(); strings.Contains(msg, fppFuzzPassword) || strings.Contains(msg, basic) {
		t.Fatalf("error quotes the credentials: %s", msg)
	}
}
