package simkit

import (
	"math/rand/v2"
	"net/http"
	"time"
)

// Chaos is a random fault mix: a fraction Rate of all requests get a fault,
// drawn by weight from throttling (429 with Retry-After), server errors
// (500, or 503 with or without Retry-After), dropped connections and slow
// answers. The generator is seeded with Seed, so a run's sequence of faults
// can be repeated (which request meets which fault still depends on the
// order requests arrive in).
type Chaos struct {
	Rate float64
	Seed uint64
	// Weights of each kind of fault. All zero means SetChaos's mix: 429,
	// 500 and 503 alike, no drops, no slow answers.
	Throttle, ServerError, Drop, Slow int
	// MaxRetryAfter is the longest Retry-After a 429 (or a 503 that sends
	// one) asks for; each asks for 1 to MaxRetryAfter whole seconds.
	// Zero means 1 s.
	MaxRetryAfter time.Duration
	// MaxDelay is the longest a slow answer is held back; each is held
	// between a tenth of it and all of it. Zero means 2 s.
	MaxDelay time.Duration
}

func (c Chaos) withDefaults() Chaos {
	if c.Throttle == 0 && c.ServerError == 0 && c.Drop == 0 && c.Slow == 0 {
		c.Throttle, c.ServerError = 1, 2
	}
	if c.MaxRetryAfter < time.Second {
		c.MaxRetryAfter = time.Second
	}
	if c.MaxDelay <= 0 {
		c.MaxDelay = 2 * time.Second
	}
	return c
}

// draw picks one fault by the mix's weights.
func (c Chaos) draw(rng *rand.Rand) Fault {
	n := rng.IntN(c.Throttle + c.ServerError + c.Drop + c.Slow)
	switch {
	case n < c.Throttle:
		return Fault{Status: http.StatusTooManyRequests, RetryAfter: c.retryAfter(rng)}
	case n < c.Throttle+c.ServerError:
		switch rng.IntN(4) {
		case 0, 1:
			return Fault{Status: http.StatusInternalServerError}
		case 2:
			return Fault{Status: http.StatusServiceUnavailable}
		default:
			return Fault{Status: http.StatusServiceUnavailable, RetryAfter: c.retryAfter(rng)}
		}
	case n < c.Throttle+c.ServerError+c.Drop:
		return Fault{Drop: true}
	default:
		lo := c.MaxDelay / 10
		return Fault{Delay: lo + time.Duration(rng.Int64N(int64(c.MaxDelay-lo)+1))}
	}
}

// retryAfter is 1 to MaxRetryAfter whole seconds.
func (c Chaos) retryAfter(rng *rand.Rand) time.Duration {
	return time.Duration(1+rng.IntN(int(c.MaxRetryAfter/time.Second))) * time.Second
}
