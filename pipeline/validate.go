package pipeline

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

var (
	namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	idPattern   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$`)
)

// Validate checks a spec built in code (or received by a workflow). Parse
// already validates what it returns.
func (c *Catalog) Validate(s *Spec) error {
	if ps := validate(c, s, positions{}); len(ps) > 0 {
		sortProblems(ps)
		return ps
	}
	return nil
}

// validate finds every problem in s, locating each through pos.
func validate(c *Catalog, s *Spec, pos positions) Problems {
	v := &validator{cat: c, spec: s, pos: pos}
	v.run()
	return v.problems
}

type validator struct {
	cat      *Catalog
	spec     *Spec
	pos      positions
	problems Problems
}

func (v *validator) add(path, step, field, format string, args ...any) {
	p := v.pos.at(path)
	v.problems = append(v.problems, Problem{
		File: v.spec.File, Line: p.line, Column: p.col, Step: step, Field: field,
		Message: fmt.Sprintf(format, args...),
	})
}

func (v *validator) run() {
	s := v.spec
	switch {
	case s.Name == "":
		v.add("name", "", "name", "required")
	case !namePattern.MatchString(s.Name):
		v.add("name", "", "name", "%q: use 1 to 63 lower-case letters, digits and dashes, starting with a letter or digit", s.Name)
	}
	switch s.OnFailure {
	case "", OnFailureStop, OnFailureRollback:
	default:
		v.add("on_failure", "", "on_failure", "%q: use stop or rollback", s.OnFailure)
	}
	for _, vendor := range sortedKeys(s.Concurrency) {
		if !slices.Contains(v.cat.vendors, vendor) {
			v.add("concurrency."+vendor, "", "concurrency."+vendor, "unknown vendor: use %s", strings.Join(v.cat.vendors, ", "))
		} else if s.Concurrency[vendor] < 1 {
			v.add("concurrency."+vendor, "", "concurrency."+vendor, "must be at least 1")
		} else {
			v.concurrencyCaps(vendor)
		}
	}
	v.caps()
	v.notify()
	if len(s.Steps) == 0 {
		v.add("steps", "", "steps", "a pipeline needs at least one step")
		return
	}
	index := map[string]int{}
	for i, st := range s.Steps {
		path := "steps." + strconv.Itoa(i)
		switch {
		case st.ID == "":
			v.add(path, "", fmt.Sprintf("steps[%d].id", i), "required")
			continue
		case !idPattern.MatchString(st.ID):
			v.add(path+".id", st.ID, "id", "use letters, digits, _ and -, at most 63")
		}
		if first, dup := index[st.ID]; dup {
			v.add(path+".id", st.ID, "id", "duplicate step id (first used by step #%d)", first+1)
			continue
		}
		index[st.ID] = i
	}
	for i, st := range s.Steps {
		v.step(i, st, index)
	}
	v.cycles(index)
}

func (v *validator) step(i int, st Step, index map[string]int) {
	path := "steps." + strconv.Itoa(i)
	label := label(st, i)
	v.stepCaps(i, st)
	for _, n := range st.Needs {
		if _, ok := index[n]; !ok {
			v.add(path+".needs", label, "needs", "unknown step %q", n)
		} else if n == st.ID {
			v.add(path+".needs", label, "needs", "a step cannot need itself")
		}
	}
	if st.Uses == "" {
		v.add(path, label, "uses", "required: one of %s", strings.Join(v.cat.actionNames(), ", "))
		return
	}
	action, ok := v.cat.Lookup(st.Uses)
	if !ok {
		v.add(path+".uses", label, "uses", "unknown action %q: use one of %s", st.Uses, strings.Join(v.cat.actionNames(), ", "))
		return
	}
	for _, in := range action.Inputs {
		val, given := st.With[in.Name]
		if !given {
			if in.Required {
				v.add(path+".with", label, "with."+in.Name, "required input of %s is missing", action.Name)
			}
			continue
		}
		if !typeMatches(val, in.Type) {
			v.add(path+".with."+in.Name, label, "with."+in.Name, "must be a %s", in.Type)
		}
		if in.Required && in.Type == TypeString && val == "" {
			v.add(path+".with."+in.Name, label, "with."+in.Name, "required input of %s is empty", action.Name)
		} else if in.Rule != nil {
			v.inputRules(path+".with."+in.Name, label, "with."+in.Name, st, in.Rule, val)
		}
	}
	for _, name := range sortedKeys(st.With) {
		fieldPath := path + ".with." + name
		if _, ok := action.Input(name); !ok {
			v.add(fieldPath, label, "with."+name, "unknown input of %s (it takes %s)", action.Name, inputNames(action))
			continue
		}
		refs, err := valueRefs(st.With[name])
		if err != nil {
			v.add(fieldPath, label, "with."+name, "%v", err)
		}
		for _, r := range refs {
			if r.Item {
				v.itemRef(fieldPath, label, "with."+name, st, r)
				continue
			}
			if r.Run != "" {
				continue // the pattern only matches known run facts
			}
			v.ref(fieldPath, label, "with."+name, st.ID, r, index)
		}
	}
	if st.ForEach != nil && action.Name == ActionApproval {
		v.add(path+".for_each", label, "for_each", "an approval cannot fan out")
	}
}

// itemRef checks ${{ item }} and ${{ item.<key> }} against the step's items.
func (v *validator) itemRef(path, label, field string, st Step, r Ref) {
	if len(st.ForEach) == 0 {
		v.add(path, label, field, "${{ item }} is only defined in a step with for_each")
		return
	}
	for i, it := range st.ForEach {
		if _, ok := itemValue(it, r.Key); !ok {
			want := "a string item"
			if r.Key != "" {
				want = fmt.Sprintf("a mapping with key %q", r.Key)
			}
			v.add(path, label, field, "${{ item%s }} needs %s, but for_each[%d] is not", keySuffix(r.Key), want, i)
			return
		}
	}
}

func keySuffix(k string) string {
	if k == "" {
		return ""
	}
	return "." + k
}

func (v *validator) ref(path, label, field, self string, r Ref, index map[string]int) {
	j, ok := index[r.Step]
	switch {
	case !ok:
		v.add(path, label, field, "reference to unknown step %q", r.Step)
	case r.Step == self:
		v.add(path, label, field, "a step cannot use its own outputs")
	default:
		target := v.spec.Steps[j]
		if a, ok := v.cat.Lookup(target.Uses); ok && !a.HasOutput(r.Output) {
			v.add(path, label, field, "step %q (%s) has no output %q; it has %s", r.Step, a.Name, r.Output, strings.Join(a.Outputs, ", "))
		}
	}
}

// cycles reports each step that sits on a cycle of needs (explicit or
// through references).
func (v *validator) cycles(index map[string]int) {
	const (
		unvisited = iota
		visiting
		done
	)
	state := make([]int, len(v.spec.Steps))
	reported := map[int]bool{}
	var visit func(i int, stack []int)
	visit = func(i int, stack []int) {
		state[i] = visiting
		stack = append(stack, i)
		for _, dep := range Dependencies(v.spec.Steps[i]) {
			j, ok := index[dep]
			if !ok || j == i {
				continue
			}
			switch state[j] {
			case visiting:
				var names []string
				start := 0
				for k, s := range stack {
					if s == j {
						start = k
					}
				}
				for _, s := range stack[start:] {
					names = append(names, v.spec.Steps[s].ID)
				}
				names = append(names, v.spec.Steps[j].ID)
				if !reported[j] {
					reported[j] = true
					v.add("steps."+strconv.Itoa(j), v.spec.Steps[j].ID, "needs", "cycle: %s", strings.Join(names, " -> "))
				}
			case unvisited:
				visit(j, stack)
			}
		}
		state[i] = done
	}
	for i := range v.spec.Steps {
		if state[i] == unvisited && v.spec.Steps[i].ID != "" {
			visit(i, nil)
		}
	}
}

// Dependencies returns the steps a step waits for: its needs and the steps
// its inputs reference, sorted and without repeats.
func Dependencies(st Step) []string {
	set := map[string]bool{}
	for _, n := range st.Needs {
		set[n] = true
	}
	for _, name := range sortedKeys(st.With) {
		refs, _ := valueRefs(st.With[name])
		for _, r := range refs {
			if r.Step != "" {
				set[r.Step] = true
			}
		}
	}
	return sortedKeys(set)
}

func typeMatches(v any, t InputType) bool {
	switch t {
	case TypeString:
		_, ok := v.(string)
		return ok
	case TypeStringList:
		switch l := v.(type) {
		case []string:
			return true
		case []any:
			for _, e := range l {
				if _, ok := e.(string); !ok {
					return false
				}
			}
			return true
		}
	case TypeStringMap:
		switch m := v.(type) {
		case map[string]string:
			return true
		case map[string]any:
			for _, e := range m {
				if _, ok := e.(string); !ok {
					return false
				}
			}
			return true
		}
	}
	return false
}

func inputNames(a Action) string {
	names := make([]string, len(a.Inputs))
	for i, in := range a.Inputs {
		names[i] = in.Name
	}
	return strings.Join(names, ", ")
}

func sortProblems(ps Problems) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Line != ps[j].Line {
			return ps[i].Line < ps[j].Line
		}
		return ps[i].Column < ps[j].Column
	})
}
