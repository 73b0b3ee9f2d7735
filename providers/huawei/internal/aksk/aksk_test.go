package aksk

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"testing"
	"time"
)

const (
	testAK = "HPUAEXAMPLEAK0000001"
	testSK = "example-secret-key-0001"
)

var signTime = time.Date(2019, 11, 15, 3, 36, 55, 0, time.UTC)

func newRequest(t *testing.T, method, url string, body []byte) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func secrets(ak string) (string, bool) {
	if ak == testAK {
		return testSK, true
	}
	return "", false
}

// The expected Authorization header is derived here by hand from the steps
// of the signing guide ("Constructing a Standard Request", "Creating a
// String-to-Sign", "Calculating the Signature"), using only crypto/sha256
// and crypto/hmac, so a mistake in the package's canonicalisation shows up.
func TestSign_MatchesVectorDerivedFromPublishedSteps(t *testing.T) {
	body := []byte(`{"name":"gold copy","description":"nightly"}`)
	r := newRequest(t, http.MethodPost,
		"https://ims.ap-southeast-1.myhuaweicloud.com/v1/cloudimages/465076de-dc36-4aec-80f5-ef9d8009428f/copy?b=2&a=x%20y&a=c",
		body)
	r.Header.Set("Content-Type", "application/json;charset=UTF-8")
	r.Header.Set("X-Project-Id", "ac234de25c6741d2b1273da49eea1b9e")

	Sign(r, body, testAK, testSK, signTime)

	bodySum := sha256.Sum256(body)
	// Step 1: canonical request. Method; URI with a trailing slash; query
	// sorted by name then value with %20 for a space; signed headers as
	// lower-case name:value lines (Content-Type is not signed) followed by an
	// empty line; the signed header list; the hex SHA-256 of the body.
	canonical := "POST\n" +
		"/v1/cloudimages/465076de-dc36-4aec-80f5-ef9d8009428f/copy/\n" +
		"a=c&a=x%20y&b=2\n" +
		"host:ims.ap-southeast-1.myhuaweicloud.com\n" +
		"x-project-id:ac234de25c6741d2b1273da49eea1b9e\n" +
		"x-sdk-date:20191115T033655Z\n" +
		"\n" +
		"host;x-project-id;x-sdk-date\n" +
		hex.EncodeToString(bodySum[:])
	// Step 2: string to sign.
	crSum := sha256.Sum256([]byte(canonical))
	sts := "SDK-HMAC-SHA256\n20191115T033655Z\n" + hex.EncodeToString(crSum[:])
	// Step 3: signature, hex HMAC-SHA256 keyed with the secret key.
	mac := hmac.New(sha256.New, []byte(testSK))
	mac.Write([]byte(sts))
	want := "SDK-HMAC-SHA256 Access=" + testAK +
		", SignedHeaders=host;x-project-id;x-sdk-date, Signature=" + hex.EncodeToString(mac.Sum(nil))

	if got := r.Header.Get("Authorization"); got != want {
		t.Fatalf("Authorization\n got %s\nwant %s", got, want)
	}
	if got := r.Header.Get("X-Sdk-Date"); got != "20191115T033655Z" {
		t.Fatalf("X-Sdk-Date = %q", got)
	}
}

func TestSign_EmptyPathAndQuerySignAsSlashAndEmptyLine(t *testing.T) {
	r := newRequest(t, http.MethodGet, "https://ims.example.com", nil)
	Sign(r, nil, testAK, testSK, signTime)

	empty := sha256.Sum256(nil)
	canonical := "GET\n/\n\nhost:ims.example.com\nx-sdk-date:20191115T033655Z\n\nhost;x-sdk-date\n" +
		hex.EncodeToString(empty[:])
	crSum := sha256.Sum256([]byte(canonical))
	mac := hmac.New(sha256.New, []byte(testSK))
	mac.Write([]byte("SDK-HMAC-SHA256\n20191115T033655Z\n" + hex.EncodeToString(crSum[:])))
	want := "Signature=" + hex.EncodeToString(mac.Sum(nil))
	if got := r.Header.Get("Authorization"); !bytes.HasSuffix([]byte(got), []byte(want)) {
		t.Fatalf("Authorization %s does not end with %s", got, want)
	}
}

func TestVerify(t *testing.T) {
	body := []byte(`{"name":"copy"}`)
	signed := func(t *testing.T) *http.Request {
		r := newRequest(t, http.MethodPost, "https://ims.example.com/v1/cloudimages/abc/copy", body)
		r.Header.Set("X-Project-Id", "p1")
		Sign(r, body, testAK, testSK, signTime)
		return r
	}
	tests := []struct {
		name    string
		mutate  func(r *http.Request) []byte
		now     time.Time
		wantErr error
	}{
		{name: "intact request passes", now: signTime},
		{name: "tampered body fails", now: signTime,
			mutate:  func(*http.Request) []byte { return []byte(`{"name":"c0py"}`) },
			wantErr: ErrBadSignature},
		{name: "changed signed header fails", now: signTime,
			mutate:  func(r *http.Request) []byte { r.Header.Set("X-Project-Id", "p2"); return body },
			wantErr: ErrBadSignature},
		{name: "changed path fails", now: signTime,
			mutate:  func(r *http.Request) []byte { r.URL.Path = "/v1/cloudimages/abd/copy"; return body },
			wantErr: ErrBadSignature},
		{name: "unknown access key fails", now: signTime,
			mutate: func(r *http.Request) []byte {
				r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access=NOPE, SignedHeaders=host, Signature=00")
				return body
			},
			wantErr: ErrUnknownKey},
		{name: "missing header fails", now: signTime,
			mutate:  func(r *http.Request) []byte { r.Header.Del("Authorization"); return body },
			wantErr: ErrNoAuthorization},
		{name: "date outside 15 minutes fails", now: signTime.Add(16 * time.Minute), wantErr: ErrClockSkew},
		{name: "date inside 15 minutes passes", now: signTime.Add(-14 * time.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := signed(t)
			b := body
			if tt.mutate != nil {
				b = tt.mutate(r)
			}
			_, err := Verify(r, b, secrets, tt.now, 15*time.Minute)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// The official SDK signs neither host nor Content-Type and may declare an
// unsigned payload; Verify must follow whatever SignedHeaders lists.
func TestVerify_AcceptsSDKStyleHeaderSelectionAndUnsignedPayload(t *testing.T) {
	body := []byte("raw bytes")
	r := newRequest(t, http.MethodPut, "https://ims.example.com/v1/x", body)
	r.Header.Set(HeaderDate, signTime.Format(DateFormat))
	r.Header.Set("X-Project-Id", "p1")
	r.Header.Set(HeaderContentSHA256, UnsignedPayload)
	signedHeaders := []string{"x-project-id", "x-sdk-content-sha256", "x-sdk-date"}
	r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+testAK+
		", SignedHeaders=x-project-id;x-sdk-content-sha256;x-sdk-date, Signature="+signature(r, nil, signedHeaders, testSK))

	if _, err := Verify(r, []byte("other bytes"), secrets, signTime, time.Minute); err != nil {
		t.Fatalf("unsigned payload should not be hashed: %v", err)
	}
}
