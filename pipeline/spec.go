package pipeline

import (
	"encoding/json"
	"fmt"
	"time"
)

// Failure policies: what a pipeline does when a step fails or it is
// cancelled.
const (
	// OnFailureStop leaves completed steps as they are.
	OnFailureStop = "stop"
	// OnFailureRollback undoes completed steps that have an inverse, in the
	// reverse order of their completion.
	OnFailureRollback = "rollback"
)

// Spec is a parsed pipeline file.
type Spec struct {
	// Name identifies the pipeline in workflow IDs, search attributes and the
	// web UI: lower case letters, digits and dashes.
	Name string `json:"name" yaml:"name" jsonschema:"pattern=^[a-z0-9][a-z0-9-]{0\\,62}$"`
	// Description is shown as the workflow's summary in the web UI.
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	// OnFailure is "stop" (the default) or "rollback": undo the completed
	// steps that have an inverse when a step fails or the pipeline is
	// cancelled.
	OnFailure string `json:"on_failure,omitempty" yaml:"on_failure,omitempty" jsonschema:"enum=stop,enum=rollback"`
	// Concurrency caps how many steps (or fan-out items) may use a vendor at
	// once, by vendor (the part of an action's name before the dot). It
	// overrides the vendor's own default (some vendors allow few concurrent
	// jobs per tenant).
	Concurrency map[string]int `json:"concurrency,omitempty" yaml:"concurrency,omitempty"`
	// Notify lists the webhooks told when the pipeline succeeds, fails, is
	// cancelled or waits for approval.
	Notify []Notify `json:"notify,omitempty" yaml:"notify,omitempty"`
	// Steps run as a DAG ordered by Needs; steps with no path between them
	// run in parallel.
	Steps []Step `json:"steps" yaml:"steps"`
	// File is where the spec was read from, for messages; not part of the YAML.
	File string `json:"file,omitempty" yaml:"-" jsonschema:"-"`
}

// Step is one action of a pipeline.
type Step struct {
	// ID names the step in references, progress and errors.
	ID string `json:"id" yaml:"id"`
	// Uses names the action, vendor.verb (or imagepipe.approval); the
	// catalog the file is parsed with lists them.
	Uses string `json:"uses" yaml:"uses"`
	// With holds the action's inputs. Values are strings, lists of strings
	// or maps of strings, and may contain ${{ steps.<id>.outputs.<field> }}
	// and, in a fan-out step, ${{ item }} or ${{ item.<key> }}.
	With map[string]any `json:"with,omitempty" yaml:"with,omitempty"`
	// Needs lists the steps that must succeed before this one starts.
	// References to a step's outputs add it to Needs implicitly.
	Needs []string `json:"needs,omitempty" yaml:"needs,omitempty"`
	// ForEach fans the step out: it runs once per item, in parallel up to
	// MaxParallel and the vendor's concurrency cap. Items are strings or
	// maps of strings. Each output of a fanned-out step is its items'
	// values joined by commas, in item order.
	ForEach []any `json:"for_each,omitempty" yaml:"for_each,omitempty"`
	// MaxParallel caps the items of this step that run at once; 0 means
	// only the vendor's cap applies.
	MaxParallel int `json:"max_parallel,omitempty" yaml:"max_parallel,omitempty" jsonschema:"minimum=0"`
	// Timeout bounds the whole step, retries and job waits included, e.g.
	// "45m"; for an approval, how long to wait for a decision.
	Timeout Duration `json:"timeout,omitempty" yaml:"timeout,omitempty"`
	// Retry overrides how the step's vendor calls are retried.
	Retry *Retry `json:"retry,omitempty" yaml:"retry,omitempty"`
	// Line is the step's line in File, for messages; not part of the YAML.
	Line int `json:"line,omitempty" yaml:"-" jsonschema:"-"`
}

// Retry overrides the retry policy of a step's vendor calls. Throttling and
// server errors are retried; a vendor's refusal (4xx) never is.
type Retry struct {
	// MaxAttempts bounds the attempts of each call; 0 means until the
	// step's timeout.
	MaxAttempts int `json:"max_attempts,omitempty" yaml:"max_attempts,omitempty" jsonschema:"minimum=0"`
	// InitialInterval is the wait before the first retry, e.g. "2s".
	InitialInterval Duration `json:"initial_interval,omitempty" yaml:"initial_interval,omitempty"`
	// MaxInterval caps the wait between retries, e.g. "5m".
	MaxInterval Duration `json:"max_interval,omitempty" yaml:"max_interval,omitempty"`
}

// Duration is a time.Duration written as Go writes durations: "90s", "45m",
// "24h".
type Duration time.Duration

// D returns the duration as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

func (d Duration) String() string { return time.Duration(d).String() }

// MarshalJSON writes the duration as a string, e.g. "45m0s".
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a duration string, e.g. "45m".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration: want a string such as \"45m\": %w", err)
	}
	v, err := parseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

func parseDuration(s string) (time.Duration, error) {
	v, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("duration %q: write it as 90s, 45m or 24h", s)
	}
	if v < 0 {
		return 0, fmt.Errorf("duration %q is negative", s)
	}
	return v, nil
}

// Step returns the step with the given id.
func (s *Spec) Step(id string) (Step, bool) {
	for _, st := range s.Steps {
		if st.ID == id {
			return st, true
		}
	}
	return Step{}, false
}
