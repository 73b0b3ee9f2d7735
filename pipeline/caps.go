package pipeline

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// caps checks what the spec as a whole must fit (see limits.go): its size
// as the workflow's input, its description as the workflow's summary, and
// its units of work.
func (v *validator) caps() {
	s := v.spec
	if b, err := json.Marshal(s.Description); err == nil && len(b) > MaxDescriptionBytes {
		v.add("description", "", "description", "%d bytes once encoded for the workflow summary; at most %d (Temporal's summary limit is %d bytes)",
			len(b), MaxDescriptionBytes, temporalSummaryBytes)
	}
	if b, err := json.Marshal(s); err != nil {
		v.add("", "", "", "the pipeline cannot be encoded as the workflow's input: %v", err)
	} else if len(b) > MaxSpecBytes {
		v.add("", "", "", "the pipeline is %d bytes as the workflow's input; at most %d", len(b), MaxSpecBytes)
	}
	units, widest := 0, -1
	for i, st := range s.Steps {
		n := max(1, len(st.ForEach))
		units += n
		if len(st.ForEach) > MaxUnits && (widest < 0 || n > len(s.Steps[widest].ForEach)) {
			widest = i
		}
	}
	switch {
	case widest >= 0:
		st := s.Steps[widest]
		v.add("steps."+strconv.Itoa(widest)+".for_each", label(st, widest), "for_each",
			"%d items; a pipeline runs at most %d steps and fan-out items in all (each is a unit of work in the pipeline's history)", len(st.ForEach), MaxUnits)
	case units > MaxUnits:
		v.add("steps", "", "steps", "%d steps and fan-out items; a pipeline runs at most %d (each is a unit of work in the pipeline's history): split it into pipelines",
			units, MaxUnits)
	}
}

// stepCaps checks a step's numbers and fan-out items against the caps.
// The parser already refused what it read out of range; these catch a
// spec built in code.
func (v *validator) stepCaps(i int, st Step) {
	path := "steps." + strconv.Itoa(i)
	name := label(st, i)
	if st.MaxParallel < 0 || st.MaxParallel > MaxUnits {
		v.add(path+".max_parallel", name, "max_parallel", "%d: use 0 (no cap of its own) to %d", st.MaxParallel, MaxUnits)
	}
	for j, it := range st.ForEach {
		if n := len(ItemLabel(it)); n > MaxItemLabelBytes {
			v.add(path+".for_each."+strconv.Itoa(j), name, fmt.Sprintf("for_each[%d]", j),
				"the item names its activities and child workflows and is %d bytes; at most %d (give a mapping item a short name key)", n, MaxItemLabelBytes)
		}
	}
	if st.Retry != nil {
		v.retry(path+".retry", name, *st.Retry)
	}
}

// retry checks a step's retry overrides as Temporal will see them: merged
// with the defaults, the maximum interval may not be under the initial one.
func (v *validator) retry(path, name string, r Retry) {
	if r.MaxAttempts < 0 || r.MaxAttempts > MaxRetryAttempts {
		v.add(path+".max_attempts", name, "retry.max_attempts", "%d: use 0 (until the step's timeout) to %d", r.MaxAttempts, MaxRetryAttempts)
	}
	for _, f := range []struct {
		name string
		d    Duration
	}{{"initial_interval", r.InitialInterval}, {"max_interval", r.MaxInterval}} {
		if f.d != 0 && f.d.D() < MinInterval {
			v.add(path+"."+f.name, name, "retry."+f.name, "%s is shorter than %s", f.d, time.Duration(MinInterval))
		}
	}
	switch {
	case r.InitialInterval > 0 && r.MaxInterval > 0:
		if r.InitialInterval > r.MaxInterval {
			v.add(path, name, "retry", "initial_interval %s is longer than max_interval %s", r.InitialInterval, r.MaxInterval)
		}
	case r.InitialInterval.D() > DefaultMaxInterval:
		v.add(path+".initial_interval", name, "retry.initial_interval", "%s is longer than the default max_interval %s: set max_interval too",
			r.InitialInterval, time.Duration(DefaultMaxInterval))
	case r.MaxInterval > 0 && r.MaxInterval.D() < DefaultInitialInterval:
		v.add(path+".max_interval", name, "retry.max_interval", "%s is shorter than the default initial_interval %s: set initial_interval too",
			r.MaxInterval, time.Duration(DefaultInitialInterval))
	}
}

// concurrencyCaps checks the per-vendor caps' range.
func (v *validator) concurrencyCaps(vendor string) {
	if n := v.spec.Concurrency[vendor]; n > MaxUnits {
		v.add("concurrency."+vendor, "", "concurrency."+vendor, "%d: use 1 to %d", n, MaxUnits)
	}
}

// label names step i in messages: its id, or its place in the file.
func label(st Step, i int) string {
	if st.ID != "" {
		return st.ID
	}
	return fmt.Sprintf("#%d", i+1)
}

// ItemLabel names a fan-out item in progress, activity and child workflow
// IDs and keys: the item itself, or a mapping's "name" (else its values in
// key order, joined by commas).
func ItemLabel(item any) string {
	switch it := item.(type) {
	case string:
		return it
	case map[string]any:
		if n, ok := it["name"].(string); ok {
			return n
		}
		keys := make([]string, 0, len(it))
		for k := range it {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		label := ""
		for i, k := range keys {
			if i > 0 {
				label += ","
			}
			label += fmt.Sprint(it[k])
		}
		return label
	case map[string]string:
		m := make(map[string]any, len(it))
		for k, s := range it {
			m[k] = s
		}
		return ItemLabel(m)
	default:
		return fmt.Sprint(item)
	}
}
