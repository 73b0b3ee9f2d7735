package pipeline

import (
	"fmt"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"
)

// decoder turns the YAML tree into a Spec, recording where each field was
// written and every problem of shape (a list where a string belongs, a
// number out of range) with the node it was found at.
type decoder struct {
	file     string
	pos      positions
	problems Problems
	// seen are the scalars already checked for characters, so the pass
	// over keys (keys) reports only what the fields did not.
	seen map[*yaml.Node]bool
}

func (d *decoder) problem(n *yaml.Node, step, field, format string, args ...any) {
	d.problems = append(d.problems, Problem{
		File: d.file, Line: n.Line, Column: n.Column, Step: step, Field: field,
		Message: fmt.Sprintf(format, args...),
	})
}

func (d *decoder) spec(root *yaml.Node) *Spec {
	spec := &Spec{}
	if root.Kind == 0 || len(root.Content) == 0 {
		d.problems = append(d.problems, Problem{File: d.file, Line: 1, Column: 1, Message: "empty pipeline file"})
		return spec
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		d.problem(doc, "", "", "a pipeline file is a mapping with name and steps")
		return spec
	}
	d.pos["name"] = pos{doc.Line, doc.Column}
	d.pos["steps"] = pos{doc.Line, doc.Column}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		key, val := doc.Content[i], doc.Content[i+1]
		d.pos[key.Value] = pos{key.Line, key.Column}
		switch key.Value {
		case "name":
			spec.Name = d.scalar(val, "", "name")
		case "description":
			spec.Description = d.scalar(val, "", "description")
		case "on_failure":
			spec.OnFailure = d.scalar(val, "", "on_failure")
		case "concurrency":
			spec.Concurrency = d.intMap(val, "", "concurrency", MaxUnits)
		case "notify":
			spec.Notify = d.notify(val)
		case "steps":
			if val.Kind != yaml.SequenceNode {
				d.problem(val, "", "steps", "must be a list of steps")
				continue
			}
			for j, sn := range val.Content {
				spec.Steps = append(spec.Steps, d.step(sn, j))
			}
		default:
			d.problem(key, "", key.Value, "unknown field (a pipeline has name, description, on_failure, concurrency, notify, steps)")
		}
	}
	return spec
}

func (d *decoder) step(n *yaml.Node, index int) Step {
	st := Step{Line: n.Line}
	prefix := "steps." + strconv.Itoa(index)
	d.pos[prefix] = pos{n.Line, n.Column}
	if n.Kind != yaml.MappingNode {
		d.problem(n, "", prefix, "a step is a mapping with id, uses and with")
		return st
	}
	// The id comes first so that every other message can name the step.
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "id" {
			st.ID = d.scalar(n.Content[i+1], "", "id")
		}
	}
	label := st.ID
	if label == "" {
		label = fmt.Sprintf("#%d", index+1)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		d.pos[prefix+"."+key.Value] = pos{key.Line, key.Column}
		switch key.Value {
		case "id":
		case "uses":
			st.Uses = d.scalar(val, label, "uses")
		case "needs":
			st.Needs = d.stringList(val, label, "needs")
		case "with":
			st.With = d.with(val, label, prefix+".with")
		case "for_each":
			st.ForEach = d.items(val, label, prefix+".for_each")
		case "max_parallel":
			st.MaxParallel = d.integer(val, label, "max_parallel", MaxUnits)
		case "timeout":
			st.Timeout = d.duration(val, label, "timeout", 0)
		case "retry":
			st.Retry = d.retry(val, label, prefix+".retry")
		default:
			d.problem(key, label, key.Value, "unknown field (a step has id, uses, with, needs, for_each, max_parallel, timeout, retry)")
		}
	}
	return st
}

// scalar is a single value; its characters must be text a vendor and
// Temporal can carry (a YAML escape can write a NUL or a broken UTF-8
// sequence that the file itself could not hold).
func (d *decoder) scalar(n *yaml.Node, step, field string) string {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return d.scalar(n.Alias, step, field)
	}
	if n.Kind != yaml.ScalarNode {
		d.problem(n, step, field, "must be a single value")
		return ""
	}
	if !d.seen[n] {
		d.seen[n] = true
		if what, bad := badRune(n.Value); bad {
			d.problem(n, step, field, "%s: a value is text without control characters", what)
		}
	}
	return n.Value
}

// keys reports the mapping keys (and any value no field read) holding
// characters scalar would refuse.
func (d *decoder) keys(n *yaml.Node) {
	if n == nil || n.Kind == yaml.AliasNode {
		return
	}
	if n.Kind == yaml.ScalarNode && !d.seen[n] {
		d.seen[n] = true
		if what, bad := badRune(n.Value); bad {
			d.problem(n, "", "", "%s: a key or value is text without control characters", what)
		}
	}
	for _, c := range n.Content {
		d.keys(c)
	}
}

func (d *decoder) stringList(n *yaml.Node, step, field string) []string {
	if n.Kind == yaml.ScalarNode {
		return []string{d.scalar(n, step, field)}
	}
	if n.Kind != yaml.SequenceNode {
		d.problem(n, step, field, "must be a list of strings")
		return nil
	}
	var out []string
	for _, e := range n.Content {
		out = append(out, d.scalar(e, step, field))
	}
	return out
}

// with decodes a step's inputs, keeping YAML's shapes: strings, lists of
// strings, maps of strings. Type checks against the action come later, in
// validate, where the action is known.
func (d *decoder) with(n *yaml.Node, step, prefix string) map[string]any {
	if n.Kind != yaml.MappingNode {
		d.problem(n, step, "with", "must be a mapping of input names to values")
		return nil
	}
	out := map[string]any{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		d.pos[prefix+"."+key.Value] = pos{key.Line, key.Column}
		if _, dup := out[key.Value]; dup {
			d.problem(key, step, "with."+key.Value, "input given twice")
		}
		out[key.Value] = d.value(val, step, "with."+key.Value)
	}
	return out
}

func (d *decoder) value(n *yaml.Node, step, field string) any {
	switch n.Kind {
	case yaml.ScalarNode:
		return d.scalar(n, step, field)
	case yaml.SequenceNode:
		list := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			list = append(list, d.scalar(e, step, field))
		}
		return list
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = d.scalar(n.Content[i+1], step, field+"."+n.Content[i].Value)
		}
		return m
	case yaml.AliasNode:
		return d.value(n.Alias, step, field)
	default:
		d.problem(n, step, field, "unsupported value")
		return nil
	}
}

// integer is a whole number from 0 to max, written in decimal. Out of
// range it is a problem and 0, so nothing downstream (an int32 field of
// Temporal's, a loop bound) sees it.
func (d *decoder) integer(n *yaml.Node, step, field string, max int) int {
	v := d.scalar(n, step, field)
	if v == "" {
		return 0
	}
	digits := v != ""
	for _, c := range v {
		digits = digits && c >= '0' && c <= '9'
	}
	if !digits {
		d.problem(n, step, field, "%q: write a whole number from 0 to %d", v, max)
		return 0
	}
	i, err := strconv.Atoi(v)
	if err != nil || i > max {
		d.problem(n, step, field, "%s is more than %d", v, max)
		return 0
	}
	return i
}

// duration is a Go duration of at least least, or 0 for the default.
func (d *decoder) duration(n *yaml.Node, step, field string, least time.Duration) Duration {
	v := d.scalar(n, step, field)
	if v == "" {
		return 0
	}
	dur, err := parseDuration(v)
	switch {
	case err != nil:
		d.problem(n, step, field, "%v", err)
		return 0
	case dur > 0 && dur < least:
		d.problem(n, step, field, "%s is shorter than %s", dur, least)
		return 0
	}
	return Duration(dur)
}

// intMap is a mapping of names to whole numbers from 0 to max; a value
// out of range is a problem and left out.
func (d *decoder) intMap(n *yaml.Node, step, field string, max int) map[string]int {
	if n.Kind != yaml.MappingNode {
		d.problem(n, step, field, "must be a mapping of names to whole numbers")
		return nil
	}
	out := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		d.pos[field+"."+key.Value] = pos{key.Line, key.Column}
		before := len(d.problems)
		v := d.integer(val, step, field+"."+key.Value, max)
		if len(d.problems) == before {
			out[key.Value] = v
		}
	}
	return out
}

// items decodes a fan-out list: strings or maps of strings.
func (d *decoder) items(n *yaml.Node, step, prefix string) []any {
	if n.Kind != yaml.SequenceNode {
		d.problem(n, step, "for_each", "must be a list of items (strings or mappings of strings)")
		return nil
	}
	out := make([]any, 0, len(n.Content))
	for i, e := range n.Content {
		field := fmt.Sprintf("for_each[%d]", i)
		d.pos[prefix+"."+strconv.Itoa(i)] = pos{e.Line, e.Column}
		if e.Kind == yaml.AliasNode && e.Alias != nil {
			e = e.Alias
		}
		switch e.Kind {
		case yaml.ScalarNode:
			out = append(out, d.scalar(e, step, field))
		case yaml.MappingNode:
			m := map[string]any{}
			for j := 0; j+1 < len(e.Content); j += 2 {
				m[e.Content[j].Value] = d.scalar(e.Content[j+1], step, field+"."+e.Content[j].Value)
			}
			out = append(out, m)
		default:
			d.problem(e, step, field, "an item is a string or a mapping of strings")
		}
	}
	if len(out) == 0 {
		d.problem(n, step, "for_each", "needs at least one item")
	}
	return out
}

func (d *decoder) retry(n *yaml.Node, step, prefix string) *Retry {
	if n.Kind != yaml.MappingNode {
		d.problem(n, step, "retry", "must be a mapping with max_attempts, initial_interval, max_interval")
		return nil
	}
	r := &Retry{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		field := "retry." + key.Value
		d.pos[prefix+"."+key.Value] = pos{key.Line, key.Column}
		switch key.Value {
		case "max_attempts":
			r.MaxAttempts = d.integer(val, step, field, MaxRetryAttempts)
		case "initial_interval":
			r.InitialInterval = d.duration(val, step, field, MinInterval)
		case "max_interval":
			r.MaxInterval = d.duration(val, step, field, MinInterval)
		default:
			d.problem(key, step, field, "unknown field (retry has max_attempts, initial_interval, max_interval)")
		}
	}
	return r
}
