// Package aksk implements Huawei Cloud's AK/SK request signature,
// SDK-HMAC-SHA256, as published in the "API Request Signing Guide"
// (support.huaweicloud.com/devg-apisign, "Constructing a Standard Request")
// and as the official Go SDK applies it (core/auth/signer).
//
// The client signs with it and the emulator verifies with it, so the two
// cannot drift apart; the package test checks it against a vector computed
// step by step from the published description, and the conformance module
// checks the emulator's verification against the official SDK's signer.
package aksk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

const (
	// Algorithm names the signature scheme in the Authorization header.
	Algorithm = "SDK-HMAC-SHA256"
	// HeaderDate carries the signing time; it is always signed.
	HeaderDate = "X-Sdk-Date"
	// HeaderContentSHA256 lets a caller declare "UNSIGNED-PAYLOAD" instead of
	// hashing the body, as the SDK does for non-JSON bodies.
	HeaderContentSHA256 = "X-Sdk-Content-Sha256"
	// DateFormat is the layout of HeaderDate (basic ISO 8601, UTC).
	DateFormat = "20060102T150405Z"
	// UnsignedPayload is the HeaderContentSHA256 value that skips body hashing.
	UnsignedPayload = "UNSIGNED-PAYLOAD"
)

// Sign stamps r with X-Sdk-Date for t and an Authorization header signed with
// the secret key sk. body must be exactly the bytes r will send. Every header
// already on r is signed (except Content-Type, which the SDK leaves out too),
// plus the host.
func Sign(r *http.Request, body []byte, ak, sk string, t time.Time) {
	r.Header.Set(HeaderDate, t.UTC().Format(DateFormat))
	signed := []string{"host"}
	for name := range r.Header {
		lower := strings.ToLower(name)
		if lower == "host" || lower == "content-type" || lower == "authorization" || strings.Contains(lower, "_") {
			continue
		}
		signed = append(signed, lower)
	}
	sort.Strings(signed)
	sig := signature(r, body, signed, sk)
	r.Header.Set("Authorization", fmt.Sprintf("%s Access=%s, SignedHeaders=%s, Signature=%s",
		Algorithm, ak, strings.Join(signed, ";"), sig))
}

// Failure reasons Verify reports; the emulator turns each into the API
// gateway's own message.
var (
	ErrNoAuthorization = errors.New("no SDK-HMAC-SHA256 Authorization header")
	ErrMalformed       = errors.New("malformed Authorization header")
	ErrUnknownKey      = errors.New("access key does not exist")
	ErrBadSignature    = errors.New("signature does not match")
	ErrClockSkew       = errors.New("X-Sdk-Date too far from the server's time")
)

// Credential is what Verify learned from a request that passed.
type Credential struct {
	AccessKey string
}

// Verify checks r's SDK-HMAC-SHA256 signature. secretFor returns the secret
// key of an access key; now and maxSkew bound how old or early X-Sdk-Date may
// be. On failure the error wraps one of the Err values above.
func Verify(r *http.Request, body []byte, secretFor func(ak string) (string, bool), now time.Time, maxSkew time.Duration) (Credential, error) {
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, Algorithm+" ")
	if !ok {
		return Credential{}, ErrNoAuthorization
	}
	fields := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return Credential{}, ErrMalformed
		}
		fields[k] = v
	}
	ak, signedList, sig := fields["Access"], fields["SignedHeaders"], fields["Signature"]
	if ak == "" || signedList == "" || sig == "" {
		return Credential{}, ErrMalformed
	}
	cred := Credential{AccessKey: ak}
	sk, ok := secretFor(ak)
	if !ok {
		return cred, fmt.Errorf("%w: %s", ErrUnknownKey, ak)
	}
	stamp, err := time.Parse(DateFormat, r.Header.Get(HeaderDate))
	if err != nil {
		return cred, fmt.Errorf("%w: X-Sdk-Date %q", ErrMalformed, r.Header.Get(HeaderDate))
	}
	if d := now.Sub(stamp); d > maxSkew || d < -maxSkew {
		return cred, fmt.Errorf("%w: X-Sdk-Date %s, server time %s", ErrClockSkew,
			stamp.Format(DateFormat), now.UTC().Format(DateFormat))
	}
	signed := strings.Split(signedList, ";")
	want := signature(r, body, signed, sk)
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(sig))) {
		return cred, ErrBadSignature
	}
	return cred, nil
}

// signature computes the hex HMAC-SHA256 over the string to sign for the
// given signed header names (lower case, in the order they are listed).
func signature(r *http.Request, body []byte, signed []string, sk string) string {
	sts := stringToSign(canonicalRequest(r, body, signed), r.Header.Get(HeaderDate))
	mac := hmac.New(sha256.New, []byte(sk))
	mac.Write([]byte(sts))
	return hex.EncodeToString(mac.Sum(nil))
}

// stringToSign is the algorithm, the X-Sdk-Date value and the hex SHA-256 of
// the canonical request, one per line.
func stringToSign(canonicalRequest, date string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return Algorithm + "\n" + date + "\n" + hex.EncodeToString(sum[:])
}

// canonicalRequest is method, canonical URI, canonical query, canonical
// headers, signed header list and payload hash, each on its own line.
func canonicalRequest(r *http.Request, body []byte, signed []string) string {
	return strings.Join([]string{
		r.Method,
		canonicalURI(r.URL),
		canonicalQuery(r.URL),
		canonicalHeaders(r, signed),
		strings.Join(signed, ";"),
		payloadHash(r, body),
	}, "\n")
}

// canonicalURI escapes every path segment and ends the path with "/": the
// gateway signs "/v1/p/jobs/j/" for a request sent to "/v1/p/jobs/j".
func canonicalURI(u *url.URL) string {
	segments := strings.Split(u.EscapedPath(), "/")
	for i, s := range segments {
		if raw, err := url.PathUnescape(s); err == nil {
			s = raw
		}
		segments[i] = escape(s)
	}
	p := strings.Join(segments, "/")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// canonicalQuery sorts parameters by name, then values, each escaped.
func canonicalQuery(u *url.URL) string {
	q := u.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var pairs []string
	for _, k := range keys {
		values := append([]string(nil), q[k]...)
		sort.Strings(values)
		for _, v := range values {
			pairs = append(pairs, escape(k)+"="+escape(v))
		}
	}
	return strings.Join(pairs, "&")
}

// canonicalHeaders lists each signed header as "name:value" with the value
// trimmed, and ends with a newline, so the canonical request has an empty
// line before the signed header list.
func canonicalHeaders(r *http.Request, signed []string) string {
	var b strings.Builder
	for _, name := range signed {
		var values []string
		if name == "host" {
			values = []string{requestHost(r)}
		} else {
			values = append(values, r.Header.Values(name)...)
			sort.Strings(values)
		}
		for _, v := range values {
			b.WriteString(name + ":" + strings.TrimSpace(v) + "\n")
		}
	}
	return b.String()
}

// requestHost is the Host header a client sends and a server receives.
func requestHost(r *http.Request) string {
	if r.Host != "" {
		return r.Host
	}
	return r.URL.Host
}

func payloadHash(r *http.Request, body []byte) string {
	if v := r.Header.Get(HeaderContentSHA256); v == UnsignedPayload {
		return v
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// escape percent-encodes everything but RFC 3986 unreserved characters, with
// upper-case hex, as the signing guide requires (a space is %20, never +).
func escape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}
