package pipeline

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// FuzzParse: Parse never panics; what it refuses comes with located
// problems, the same each time; what it accepts fits every cap and, sent
// to the workflow as JSON, still validates there.
func FuzzParse(f *testing.F) {
	// The examples and the reproduced bad cases are in testdata/fuzz; the
	// ones too large to mutate well (10,000 steps, a 50 MB description)
	// are unit tests in limits_test.go.
	addExamples(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, err := Parse("fuzz.yaml", data)
		if err != nil {
			checkProblems(t, data, err)
			return
		}
		checkAccepted(t, spec)
	})
}

func checkProblems(t *testing.T, data []byte, err error) {
	var ps Problems
	if !errors.As(err, &ps) || len(ps) == 0 {
		t.Fatalf("Parse failed without problems: %v", err)
	}
	for i, p := range ps {
		if p.File != "fuzz.yaml" || p.Line < 1 || p.Message == "" {
			t.Fatalf("problem without a place or a message: %#v", p)
		}
		if i > 0 && (ps[i-1].Line > p.Line || ps[i-1].Line == p.Line && ps[i-1].Column > p.Column) {
			t.Fatalf("problems out of file order:\n%s", ps.Error())
		}
	}
	_, again := Parse("fuzz.yaml", data)
	if again == nil || again.Error() != err.Error() {
		t.Fatalf("Parse reports differently on the same file:\n%v\n---\n%v", err, again)
	}
}

func checkAccepted(t *testing.T, spec *Spec) {
	b, err := json.Marshal(spec)
	if err != nil || len(b) > MaxSpecBytes {
		t.Fatalf("accepted spec is %d bytes as JSON (err %v)", len(b), err)
	}
	var sent Spec
	if err := json.Unmarshal(b, &sent); err != nil {
		t.Fatalf("accepted spec does not decode: %v", err)
	}
	if err := Validate(&sent); err != nil {
		t.Fatalf("the workflow would refuse what Parse accepted: %v\n%s", err, b)
	}
	units := 0
	for _, st := range spec.Steps {
		units += max(1, len(st.ForEach))
		for _, it := range st.ForEach {
			if n := len(ItemLabel(it)); n > MaxItemLabelBytes {
				t.Fatalf("step %s: item label of %d bytes accepted", st.ID, n)
			}
		}
		if st.Retry != nil && (st.Retry.MaxAttempts < 0 || st.Retry.MaxAttempts > MaxRetryAttempts) {
			t.Fatalf("step %s: max_attempts %d accepted", st.ID, st.Retry.MaxAttempts)
		}
		if st.MaxParallel < 0 || st.MaxParallel > MaxUnits {
			t.Fatalf("step %s: max_parallel %d accepted", st.ID, st.MaxParallel)
		}
	}
	if units > MaxUnits {
		t.Fatalf("%d units accepted", units)
	}
}

func addExamples(f *testing.F) {
	paths, _ := filepath.Glob("../examples/*.yaml")
	if len(paths) == 0 {
		f.Fatal("no examples")
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzResolve: Resolve never panics; a well-formed template whose
// references the scope holds resolves, once (a value that looks like a
// reference stays as it is), leaving no ${{ behind; the shape of the
// inputs is kept.
func FuzzResolve(f *testing.F) {
	// The seeds are in testdata/fuzz/FuzzResolve.
	f.Fuzz(func(t *testing.T, template, item, output string, mapping bool) {
		with := map[string]any{
			"s": template,
			"l": []any{template, "plain"},
			"m": map[string]any{"k": template},
		}
		var it any = item
		if mapping {
			it = map[string]any{"name": item, "team": output}
		}
		sc := Scope{
			Outputs: map[string]map[string]string{"s": {"o": output}},
			Item:    it,
			Run:     map[string]string{"date": "20260101", "id": "pipeline-x-20260101T000000.000Z"},
		}
		got, err := Resolve(with, sc)
		refs, malformed := refsIn(template)
		resolvable := malformed == nil && !slices.ContainsFunc(refs, func(r Ref) bool {
			_, ok := resolves(r, sc)
			return !ok
		})
		if resolvable != (err == nil) {
			t.Fatalf("Resolve(%q) = %v; refs %v, malformed %v", template, err, refs, malformed)
		}
		if err != nil {
			return
		}
		if reflect.TypeOf(got["l"]) != reflect.TypeOf(with["l"]) || reflect.TypeOf(got["m"]) != reflect.TypeOf(with["m"]) || len(got) != len(with) {
			t.Fatalf("shape changed: %#v", got)
		}
		s := got["s"].(string)
		if want := once(template, sc); s != want {
			t.Fatalf("Resolve(%q) = %q, want %q", template, s, want)
		}
		if !strings.Contains(item+output, refOpen) && strings.Contains(s, refOpen) {
			t.Fatalf("Resolve(%q) left a reference: %q", template, s)
		}
		if got["l"].([]any)[0] != s || got["m"].(map[string]any)["k"] != s {
			t.Fatalf("the same template resolved differently: %#v", got)
		}
	})
}

// resolves is what r names in sc, by the documented meaning of each form.
func resolves(r Ref, sc Scope) (string, bool) {
	switch {
	case r.Item:
		return itemValue(sc.Item, r.Key)
	case r.Run != "":
		v, ok := sc.Run[r.Run]
		return v, ok
	default:
		v, ok := sc.Outputs[r.Step][r.Output]
		return v, ok
	}
}

// once substitutes every reference of s by hand, left to right, without
// looking again at what it put in: the model Resolve must agree with.
func once(s string, sc Scope) string {
	var b strings.Builder
	for {
		loc := refPattern.FindStringSubmatchIndex(s)
		if loc == nil {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:loc[0]])
		m := make([]string, len(loc)/2)
		for i := range m {
			if loc[2*i] >= 0 {
				m[i] = s[loc[2*i]:loc[2*i+1]]
			}
		}
		v, _ := resolves(refOf(m), sc)
		b.WriteString(v)
		s = s[loc[1]:]
	}
}
