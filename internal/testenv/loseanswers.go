package testenv

import (
	"math/rand/v2"
	"net/http"
	"sync"
)

// AnswerLoser loses a random fraction of answers after the vendor acted on
// the request, as when the network drops between a vendor accepting a call
// and the worker reading the answer: the client gets ErrAnswerLost and
// cannot know whether the call happened. Draws come from a seeded
// generator, so a run can be repeated.
type AnswerLoser struct {
	rate float64
	mu   sync.Mutex
	rng  *rand.Rand
	lost int
}

// NewAnswerLoser loses the fraction rate (0..1) of answers.
func NewAnswerLoser(rate float64, seed uint64) *AnswerLoser {
	return &AnswerLoser{rate: rate, rng: rand.New(rand.NewPCG(seed, ^seed))}
}

// Wrap is a Wrap that loses answers of the transport it wraps.
func (l *AnswerLoser) Wrap(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		if err != nil || !l.draw() {
			return resp, err
		}
		resp.Body.Close()
		return nil, ErrAnswerLost
	})
}

func (l *AnswerLoser) draw() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rate <= 0 || l.rng.Float64() >= l.rate {
		return false
	}
	l.lost++
	return true
}

// Lost is how many answers were lost so far.
func (l *AnswerLoser) Lost() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lost
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
