package bench

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The knobs of make bench, each an environment variable, so a short run
// while developing and a long one for the record use the same code.

// knobInt is the whole number in env var name, or def.
func knobInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a whole number of at least 1", name, v)
	}
	return n
}

// knobInts is a comma-separated list of whole numbers, or def.
func knobInts(t *testing.T, name string, def []int) []int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: %q is not a whole number of at least 1", name, v, f)
		}
		out = append(out, n)
	}
	return out
}

// knobDurations is a comma-separated list of durations (10s,1m,24h), or
// def; "none" is an empty list.
func knobDurations(t *testing.T, name string, def []time.Duration) []time.Duration {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	if v == "none" {
		return nil
	}
	var out []time.Duration
	for _, f := range strings.Split(v, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(f))
		if err != nil || d <= 0 {
			t.Fatalf("%s=%q: %q is not a positive duration such as 10s, 1m or 24h", name, v, f)
		}
		out = append(out, d)
	}
	return out
}

// knobDuration is one duration, or def.
func knobDuration(t *testing.T, name string, def time.Duration) time.Duration {
	t.Helper()
	ds := knobDurations(t, name, []time.Duration{def})
	if len(ds) != 1 {
		t.Fatalf("%s=%q: want one duration", name, os.Getenv(name))
	}
	return ds[0]
}

// section reports whether IMAGEPIPE_BENCH_ONLY (a comma-separated list;
// empty: all) selects the named measurement.
func section(name string) bool {
	only := os.Getenv("IMAGEPIPE_BENCH_ONLY")
	if only == "" {
		return true
	}
	for _, s := range strings.Split(only, ",") {
		if strings.TrimSpace(s) == name {
			return true
		}
	}
	return false
}
