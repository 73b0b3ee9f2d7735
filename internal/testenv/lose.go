package testenv

import (
	"errors"
	"net/http"
	"strings"
	"sync"
)

// ErrAnswerLost is what a client sees when LoseAnswer drops a response.
var ErrAnswerLost = errors.New("connection reset after the request was sent (answer lost by the test)")

// LoseAnswer makes the first times requests whose method and path match
// (method "POST", path containing pathPart) reach the vendor, which acts
// on them, and then lose the answer, as when a worker crashes or the
// network drops between the vendor accepting a request and the activity
// recording it.
func LoseAnswer(method, pathPart string, times int) Wrap {
	return func(next http.RoundTripper) http.RoundTripper {
		return &loser{next: next, method: method, pathPart: pathPart, left: times}
	}
}

type loser struct {
	next     http.RoundTripper
	method   string
	pathPart string
	mu       sync.Mutex
	left     int
}

func (l *loser) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(r)
	if err != nil || r.Method != l.method || !strings.Contains(r.URL.Path, l.pathPart) {
		return resp, err
	}
	l.mu.Lock()
	lose := l.left > 0
	if lose {
		l.left--
	}
	l.mu.Unlock()
	if !lose {
		return resp, nil
	}
	resp.Body.Close()
	return nil, ErrAnswerLost
}
