package vendorerr

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ParseRetryAfter reads a Retry-After header (RFC 9110, section 10.2.3,
// https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3) value, delay-seconds or an HTTP date, as the
// wait from now. It is 0 when the header is absent, malformed, negative or
// names a time already past.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		return time.Duration(max(secs, 0)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
