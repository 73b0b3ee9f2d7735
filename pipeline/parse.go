package pipeline

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// pos is a place in the file.
type pos struct{ line, col int }

// positions maps a path in the spec ("steps.2.with.image_id") to where it
// was written, so validation can point at the line.
type positions map[string]pos

func (p positions) at(path string) pos { return p[path] }

// ParseFile reads and parses the pipeline file at path.
func ParseFile(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse parses and validates a pipeline file. file names it in messages. On
// any problem it returns Problems listing all of them.
func Parse(file string, data []byte) (*Spec, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, Problems{yamlProblem(file, err)}
	}
	d := &decoder{file: file, pos: positions{}}
	spec := d.spec(&root)
	spec.File = file
	problems := append(d.problems, validate(spec, d.pos)...)
	if len(problems) > 0 {
		sortProblems(problems)
		return nil, problems
	}
	return spec, nil
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// yamlProblem turns a YAML syntax error into a located Problem.
func yamlProblem(file string, err error) Problem {
	p := Problem{File: file, Message: err.Error()}
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		p.Message = te.Errors[0]
	}
	if m := yamlLine.FindStringSubmatch(p.Message); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
	}
	return p
}

type decoder struct {
	file     string
	pos      positions
	problems Problems
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
		d.problems = append(d.problems, Problem{File: d.file, Message: "empty pipeline file"})
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
			spec.Concurrency = d.intMap(val, "", "concurrency")
		case "steps":
			if val.Kind != yaml.SequenceNode {
				d.problem(val, "", "steps", "must be a list of steps")
				continue
			}
			for j, sn := range val.Content {
				spec.Steps = append(spec.Steps, d.step(sn, j))
			}
		default:
			d.problem(key, "", key.Value, "unknown field (a pipeline has name, description, on_failure, concurrency, steps)")
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
			st.ForEach = d.items(val, label)
		case "max_parallel":
			st.MaxParallel = d.integer(val, label, "max_parallel")
		case "timeout":
			st.Timeout = d.duration(val, label, "timeout")
		case "retry":
			st.Retry = d.retry(val, label)
		default:
			d.problem(key, label, key.Value, "unknown field (a step has id, uses, with, needs, for_each, max_parallel, timeout, retry)")
		}
	}
	return st
}

func (d *decoder) scalar(n *yaml.Node, step, field string) string {
	if n.Kind != yaml.ScalarNode {
		d.problem(n, step, field, "must be a single value")
		return ""
	}
	return n.Value
}

func (d *decoder) stringList(n *yaml.Node, step, field string) []string {
	if n.Kind == yaml.ScalarNode {
		return []string{n.Value}
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
		return n.Value
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

func (d *decoder) integer(n *yaml.Node, step, field string) int {
	v := d.scalar(n, step, field)
	if v == "" {
		return 0
	}
	i, err := strconv.Atoi(v)
	if err != nil || i < 0 {
		d.problem(n, step, field, "must be a whole number, 0 or more")
		return 0
	}
	return i
}

func (d *decoder) duration(n *yaml.Node, step, field string) Duration {
	v := d.scalar(n, step, field)
	if v == "" {
		return 0
	}
	dur, err := parseDuration(v)
	if err != nil {
		d.problem(n, step, field, "%v", err)
	}
	return Duration(dur)
}

func (d *decoder) intMap(n *yaml.Node, step, field string) map[string]int {
	if n.Kind != yaml.MappingNode {
		d.problem(n, step, field, "must be a mapping of names to whole numbers")
		return nil
	}
	out := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		d.pos[field+"."+key.Value] = pos{key.Line, key.Column}
		out[key.Value] = d.integer(val, step, field+"."+key.Value)
	}
	return out
}

// items decodes a fan-out list: strings or maps of strings.
func (d *decoder) items(n *yaml.Node, step string) []any {
	if n.Kind != yaml.SequenceNode {
		d.problem(n, step, "for_each", "must be a list of items (strings or mappings of strings)")
		return nil
	}
	out := make([]any, 0, len(n.Content))
	for i, e := range n.Content {
		field := fmt.Sprintf("for_each[%d]", i)
		switch e.Kind {
		case yaml.ScalarNode:
			out = append(out, e.Value)
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

func (d *decoder) retry(n *yaml.Node, step string) *Retry {
	if n.Kind != yaml.MappingNode {
		d.problem(n, step, "retry", "must be a mapping with max_attempts, initial_interval, max_interval")
		return nil
	}
	r := &Retry{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		field := "retry." + key.Value
		switch key.Value {
		case "max_attempts":
			r.MaxAttempts = d.integer(val, step, field)
		case "initial_interval":
			r.InitialInterval = d.duration(val, step, field)
		case "max_interval":
			r.MaxInterval = d.duration(val, step, field)
		default:
			d.problem(key, step, field, "unknown field (retry has max_attempts, initial_interval, max_interval)")
		}
	}
	return r
}
