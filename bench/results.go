package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// The three kinds of workflow the throughput rounds alternate.
const (
	kindImagepipe = "imagepipe"
	kindShape     = "floor, same shape"
	kindRaw       = "raw floor"
)

// shortJobCap is how long the jobs of the bench pipeline's last two
// steps (the attribute update and the compartment's activation) take at
// most in the job-wait runs: their poll policies give up after an hour
// (an API job of seconds, a compartment of minutes), so a day-long one
// would fail the pipeline, not measure a wait.
const shortJobCap = 30 * time.Minute

// Results is everything make bench measured, saved section by section in
// bench/results.json so BENCHMARKS.md and the chart can be rebuilt from
// it, and a run of one section keeps the others'.
type Results struct {
	Machine    Machine           `json:"machine"`
	Throughput *ThroughputResult `json:"throughput,omitempty"`
	Sequential *SequentialResult `json:"sequential,omitempty"`
	Waits      *WaitsResult      `json:"waits,omitempty"`
	Footprint  *FootprintResult  `json:"footprint,omitempty"`
}

// Machine is where and when the figures were measured.
type Machine struct {
	Date     string `json:"date"`
	CPU      string `json:"cpu"`
	Cores    int    `json:"cores"`
	MemoryMB int    `json:"memory_mb"`
	Kernel   string `json:"kernel"`
	Go       string `json:"go"`
	SDK      string `json:"sdk"`
	Server   string `json:"server"`
	Load     string `json:"load"` // the load average when the run began
}

// KindStats are one kind of workflow's figures at one concurrency.
type KindStats struct {
	Kind        string    `json:"kind"`
	Concurrency int       `json:"concurrency"`
	Workflows   int       `json:"workflows"`
	Seconds     float64   `json:"seconds"`
	PerSecond   float64   `json:"per_second"`
	RoundRates  []float64 `json:"round_rates"` // per round, workflows/s
	P50         float64   `json:"p50"`
	P99         float64   `json:"p99"`
	// Per workflow (and its children): history events, server state
	// transitions (sampled from one), and Temporal actions (the server's
	// action metric over the rounds, divided by the workflows).
	Events           int     `json:"events"`
	StateTransitions int64   `json:"state_transitions"`
	Actions          float64 `json:"actions"`
}

// ThroughputResult is imagepipe and its two floors at each concurrency.
type ThroughputResult struct {
	Rounds        int                 `json:"rounds"`
	Activities    int                 `json:"activities"` // per pipeline, as its history shows
	Children      int                 `json:"children"`
	ByConcurrency map[int][]KindStats `json:"by_concurrency"`
	ActionsByType map[string]float64  `json:"actions_by_type"` // per pipeline
}

// SequentialResult is a pipeline of steps one after another against the
// raw floor of the same activities, at concurrency 1.
type SequentialResult struct {
	Steps        int     `json:"steps"`
	Activities   int     `json:"activities"`
	Runs         int     `json:"runs"`
	PipelineP50  float64 `json:"pipeline_p50"`
	FloorP50     float64 `json:"floor_p50"`
	PerStep      float64 `json:"per_step"`
	PerActivity  float64 `json:"floor_per_activity"`
	FloorPerStep float64 `json:"floor_per_step"`
	// LockP50 is how long the copy's name lock (a child workflow) held a
	// run up, from its start to the pipeline's next workflow task after
	// it closed; CallP50 is the same span of one of the run's activities:
	// what the lock would cost were it one activity (p50 of the runs).
	LockP50 float64 `json:"lock_p50,omitempty"`
	CallP50 float64 `json:"call_p50,omitempty"`
}

// WaitStats are one job wait of one job length.
type WaitStats struct {
	Kind         string  `json:"kind"`
	JobSeconds   float64 `json:"job_seconds"` // this job's length
	Polls        int     `json:"polls"`       // looks at the job, on the vendor's side
	DelaySeconds float64 `json:"delay_seconds"`
	// Events is what the wait's WaitForJob activity left in the
	// pipeline's history; Attempts its attempts, one per look.
	Events   int `json:"events"`
	Attempts int `json:"attempts"`
}

// WaitRun is one pipeline of rolloutSpec whose jobs all take Job.
type WaitRun struct {
	Job       string      `json:"job"`
	JobSecs   float64     `json:"job_seconds"`
	Simulated bool        `json:"simulated"`
	Waits     []WaitStats `json:"waits"`
	Polls     int         `json:"polls"`
	// Events and StateTransitions of the whole pipeline: measured on the
	// server when real, else Extrapolated from the real runs' cost per poll.
	Events           int     `json:"events"`
	StateTransitions int64   `json:"state_transitions"`
	Extrapolated     bool    `json:"extrapolated"`
	Actions          float64 `json:"actions"`
	WallSeconds      float64 `json:"wall_seconds"`
}

// WaitsResult is every job length's run, and the marginal cost of a poll.
type WaitsResult struct {
	Runs                    []WaitRun `json:"runs"`
	EventsPerPoll           float64   `json:"events_per_poll"`
	StateTransitionsPerPoll float64   `json:"state_transitions_per_poll"`
	ActionsPerPoll          float64   `json:"actions_per_poll"`
}

// FootprintPhase is the worker with one cache setting.
type FootprintPhase struct {
	CacheSize      int     `json:"cache_size"`
	Pipelines      int     `json:"pipelines"`
	Running        int     `json:"running_workflows"`
	PeakRSSMB      float64 `json:"peak_rss_mb"`
	LastRSSMB      float64 `json:"last_rss_mb"`
	PeakGoroutines int     `json:"peak_goroutines"`
	StickyCache    float64 `json:"sticky_cache"`
	WatchSeconds   float64 `json:"watch_seconds"`
	StartSeconds   float64 `json:"start_seconds"`
	// CaughtUpSeconds is when no workflow task waited for the worker any
	// more, from the first start; 0: not within the watch.
	CaughtUpSeconds float64 `json:"caught_up_seconds"`
	Rising          bool    `json:"rising"` // RSS still grew in the last minute watched
}

// FootprintResult is the worker's memory with many pipelines in flight.
type FootprintResult struct {
	JobHours float64          `json:"job_hours"`
	Phases   []FootprintPhase `json:"phases"`
}

// loadResults reads path; a missing file is empty results.
func loadResults(path string) (Results, error) {
	var r Results
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return r, nil
	}
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("read %s: %w", path, err)
	}
	return r, nil
}

// save writes r to path.
func (r Results) save(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
