package ocisim

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// retryTokenTTL is how long OCI keeps a retry token ("Retry tokens expire
// after 24 hours", in the API reference of both calls).
const retryTokenTTL = 24 * time.Hour

const maxRetryTokenLen = 64

// tokenRecord is the answer a retry token first produced, kept so a retry
// with the same token and request gets that answer again and no second effect.
type tokenRecord struct {
	fingerprint [32]byte
	at          time.Time
	status      int
	etag        string
	body        []byte
}

// captured is a successful answer a handler hands back to be both written
// and remembered under the request's retry token.
type captured struct {
	status int
	etag   string
	body   []byte
}

// requestFingerprint identifies "the same request": the path and the body's
// JSON with keys in canonical order, so formatting differences do not count.
// if-match is left out on purpose: a retry of a move that already happened
// carries an etag the move itself made stale, and must still get the first
// answer rather than 412.
func requestFingerprint(r *http.Request, body []byte) [32]byte {
	canon := body
	var v any
	if err := json.Unmarshal(body, &v); err == nil {
		if b, err := json.Marshal(v); err == nil {
			canon = b
		}
	}
	return sha256.Sum256(bytes.Join([][]byte{[]byte(r.Method), []byte(r.URL.EscapedPath()), canon}, []byte{0}))
}

// checkRetryToken validates the opc-retry-token header and, when the token
// was seen before, answers for the handler. It reports whether the request
// was answered; the returned key ("" without a token) is where the handler's
// answer is to be remembered. Callers hold s.mu.
func (s *Server) checkRetryToken(w http.ResponseWriter, r *http.Request, op string, body []byte) (key string, answered bool) {
	token := r.Header.Get("opc-retry-token")
	if token == "" {
		return "", false
	}
	if len(token) > maxRetryTokenLen {
		writeError(w, http.StatusBadRequest, CodeInvalidParameter,
			"opc-retry-token must be at most 64 characters, got "+strconv.Itoa(len(token)))
		return "", true
	}
	key = op + "\x00" + token
	rec, ok := s.tokens[key]
	if ok && s.Now().Sub(rec.at) >= retryTokenTTL {
		delete(s.tokens, key)
		ok = false
	}
	if !ok {
		return key, false
	}
	if rec.fingerprint != requestFingerprint(r, body) {
		// Unverified: OCI documents no code for a token reused with another
		// request; InvalidatedRetryToken is its documented 409 for a token
		// that can no longer be used, whose advice (use another token) fits.
		writeError(w, http.StatusConflict, CodeInvalidatedRetryToken,
			"The retry token was already used for a different request; retry with a different token.")
		return "", true
	}
	writeCaptured(w, captured{status: rec.status, etag: rec.etag, body: rec.body})
	return "", true
}

// remember stores a successful answer under key. Callers hold s.mu.
func (s *Server) remember(key string, r *http.Request, body []byte, c captured) {
	if key == "" {
		return
	}
	s.tokens[key] = tokenRecord{
		fingerprint: requestFingerprint(r, body),
		at:          s.Now(),
		status:      c.status,
		etag:        c.etag,
		body:        c.body,
	}
}

func writeCaptured(w http.ResponseWriter, c captured) {
	if c.etag != "" {
		w.Header().Set("etag", c.etag)
	}
	if len(c.body) > 0 {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(c.body)))
	}
	w.WriteHeader(c.status)
	if len(c.body) > 0 {
		_, _ = w.Write(c.body)
	}
}
