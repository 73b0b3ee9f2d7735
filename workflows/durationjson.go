package workflows

import (
	"encoding/json"
	"fmt"
	"time"
)

// A job wait's input is what the web UI shows on the wait's page. A
// time.Duration encodes as an integer of nanoseconds (10000000000 for ten
// seconds), so PollPolicy and AwaitJobInput write their durations as Go
// duration strings ("10s", "2m0s") instead. They still read the integers
// waits started before this change were given, so those histories replay
// and their continue-as-new inputs decode.

// jsonDuration is a time.Duration that encodes as a string and decodes
// from a string or an integer of nanoseconds.
type jsonDuration time.Duration

func (d jsonDuration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

func (d *jsonDuration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("duration %q: %w", s, err)
		}
		*d = jsonDuration(v)
		return nil
	}
	var ns int64
	if err := json.Unmarshal(b, &ns); err != nil {
		return fmt.Errorf("duration %s: want a string such as \"10s\" or an integer of nanoseconds", b)
	}
	*d = jsonDuration(ns)
	return nil
}

type pollPolicyJSON struct {
	Initial     jsonDuration `json:"initial"`
	Multiplier  float64      `json:"multiplier"`
	Max         jsonDuration `json:"max"`
	Timeout     jsonDuration `json:"timeout"`
	PollsPerRun int          `json:"polls_per_run"`
}

// MarshalJSON writes the policy's durations as strings.
func (p PollPolicy) MarshalJSON() ([]byte, error) {
	return json.Marshal(pollPolicyJSON{
		Initial: jsonDuration(p.Initial), Multiplier: p.Multiplier, Max: jsonDuration(p.Max),
		Timeout: jsonDuration(p.Timeout), PollsPerRun: p.PollsPerRun,
	})
}

// UnmarshalJSON reads durations as strings or as integers of nanoseconds.
func (p *PollPolicy) UnmarshalJSON(b []byte) error {
	var v pollPolicyJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("poll policy: %w", err)
	}
	*p = PollPolicy{
		Initial: time.Duration(v.Initial), Multiplier: v.Multiplier, Max: time.Duration(v.Max),
		Timeout: time.Duration(v.Timeout), PollsPerRun: v.PollsPerRun,
	}
	return nil
}

// awaitJobInputJSON is AwaitJobInput with its own duration as a string;
// the outer Delay hides the embedded one.
type awaitJobInputJSON struct {
	awaitJobInputFields
	Delay jsonDuration `json:"delay,omitempty"`
}

// awaitJobInputFields is AwaitJobInput without its methods, so encoding
// it does not call them again.
type awaitJobInputFields AwaitJobInput

// MarshalJSON writes the wait's durations as strings.
func (in AwaitJobInput) MarshalJSON() ([]byte, error) {
	return json.Marshal(awaitJobInputJSON{awaitJobInputFields: awaitJobInputFields(in), Delay: jsonDuration(in.Delay)})
}

// UnmarshalJSON reads durations as strings or as integers of nanoseconds.
func (in *AwaitJobInput) UnmarshalJSON(b []byte) error {
	var v awaitJobInputJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("job wait input: %w", err)
	}
	*in = AwaitJobInput(v.awaitJobInputFields)
	in.Delay = time.Duration(v.Delay)
	return nil
}
