package ocisim

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxClockSkew is how far a request's date may be from the server's wall
// clock: OCI's "Request Signatures" page answers 401 NotAuthenticated past
// five minutes.
const maxClockSkew = 5 * time.Minute

// RegisterKey lets requests signed with keyID ("tenancy/user/fingerprint",
// as the SDK builds it) and the private half of pub authenticate.
func (s *Server) RegisterKey(keyID string, pub *rsa.PublicKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[keyID] = pub
}

// RegisterCredentials registers c's public key under c.KeyID().
func (s *Server) RegisterCredentials(c *Credentials) {
	s.RegisterKey(c.KeyID(), &c.PrivateKey.PublicKey)
}

// signatureParams is the parsed Authorization header of draft-cavage-http-signatures-08.
type signatureParams struct {
	version   string
	keyID     string
	algorithm string
	headers   []string
	signature []byte
}

func parseAuthorization(value string) (signatureParams, error) {
	rest, ok := strings.CutPrefix(value, "Signature ")
	if !ok {
		return signatureParams{}, errors.New("authorization scheme is not Signature")
	}
	fields := map[string]string{}
	for rest = strings.TrimSpace(rest); rest != ""; {
		name, after, ok := strings.Cut(rest, "=")
		if !ok || !strings.HasPrefix(after, `"`) {
			return signatureParams{}, errors.New("malformed signature parameters")
		}
		val, tail, ok := strings.Cut(after[1:], `"`)
		if !ok {
			return signatureParams{}, errors.New("unterminated signature parameter")
		}
		fields[strings.TrimSpace(name)] = val
		rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(tail), ","))
	}
	p := signatureParams{
		version:   fields["version"],
		keyID:     fields["keyId"],
		algorithm: fields["algorithm"],
		headers:   strings.Fields(strings.ToLower(fields["headers"])),
	}
	if p.keyID == "" || fields["signature"] == "" {
		return signatureParams{}, errors.New("keyId and signature are required")
	}
	if p.version != "" && p.version != "1" {
		return signatureParams{}, fmt.Errorf("unsupported signature version %q", p.version)
	}
	if p.algorithm != "rsa-sha256" {
		return signatureParams{}, fmt.Errorf("unsupported algorithm %q", p.algorithm)
	}
	if len(p.headers) == 0 {
		// draft-cavage: an absent headers parameter means just "date".
		p.headers = []string{"date"}
	}
	sig, err := base64.StdEncoding.DecodeString(fields["signature"])
	if err != nil {
		return signatureParams{}, errors.New("signature is not base64")
	}
	p.signature = sig
	return p, nil
}

// requiredHeaders is what OCI's "Request Signatures" page says the signing
// string must cover: every request (request-target), host and date or x-date;
// requests with a body also content-length, content-type and x-content-sha256.
func requiredHeaders(r *http.Request) []string {
	req := []string{"(request-target)", "host"}
	if r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch {
		req = append(req, "content-length", "content-type", "x-content-sha256")
	}
	return req
}

// authenticate checks r's signature against the registered keys, the body
// against x-content-sha256 and the date against the wall clock (never
// Options.Clock: time-skipping tests must not break authentication).
// The error text is for the emulator's 401 message.
func (s *Server) authenticate(r *http.Request, body []byte) error {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return errors.New("missing Authorization header")
	}
	p, err := parseAuthorization(auth)
	if err != nil {
		return err
	}
	for _, h := range requiredHeaders(r) {
		if !slices.Contains(p.headers, h) {
			return fmt.Errorf("signature does not cover %s", h)
		}
	}
	if !slices.Contains(p.headers, "date") && !slices.Contains(p.headers, "x-date") {
		return errors.New("signature does not cover date or x-date")
	}
	s.mu.Lock()
	pub := s.keys[p.keyID]
	s.mu.Unlock()
	if pub == nil {
		return fmt.Errorf("unknown keyId %q", p.keyID)
	}
	digest := sha256.Sum256([]byte(signingString(r, p.headers)))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], p.signature); err != nil {
		return errors.New("signature does not match")
	}
	if err := checkDate(r, p.headers); err != nil {
		return err
	}
	return checkBody(r, p.headers, body)
}

func signingString(r *http.Request, headers []string) string {
	lines := make([]string, len(headers))
	for i, h := range headers {
		lines[i] = h + ": " + headerValue(r, h)
	}
	return strings.Join(lines, "\n")
}

// headerValue reads a signed header the way the client saw it: net/http
// moves Host and Content-Length out of r.Header on the server side.
func headerValue(r *http.Request, h string) string {
	switch h {
	case "(request-target)":
		return strings.ToLower(r.Method) + " " + r.RequestURI
	case "host":
		return r.Host
	case "content-length":
		if v := r.Header.Get("Content-Length"); v != "" {
			return v
		}
		return strconv.FormatInt(r.ContentLength, 10)
	default:
		return strings.Join(r.Header.Values(h), ", ")
	}
}

func checkDate(r *http.Request, headers []string) error {
	name := "date"
	if slices.Contains(headers, "x-date") {
		name = "x-date"
	}
	t, err := http.ParseTime(r.Header.Get(name))
	if err != nil {
		return fmt.Errorf("%s header is not an HTTP date", name)
	}
	if skew := time.Since(t); skew > maxClockSkew || skew < -maxClockSkew {
		return fmt.Errorf("%s is %s from the server's clock, more than %s", name, skew.Round(time.Second), maxClockSkew)
	}
	return nil
}

func checkBody(r *http.Request, headers []string, body []byte) error {
	if !slices.Contains(headers, "x-content-sha256") {
		return nil
	}
	sum := sha256.Sum256(body)
	if r.Header.Get("X-Content-SHA256") != base64.StdEncoding.EncodeToString(sum[:]) {
		return errors.New("x-content-sha256 does not match the body")
	}
	if headerValue(r, "content-length") != strconv.Itoa(len(body)) {
		return errors.New("content-length does not match the body")
	}
	return nil
}
