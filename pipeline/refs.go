package pipeline

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Ref is a reference in an input: ${{ steps.<step>.outputs.<output> }};
// in a fan-out step ${{ item }} (Item true, Key "") or ${{ item.<key> }};
// or a fact of the run, ${{ run.date }} (the day the run started, as
// 20060102, so a nightly run names what it makes) or ${{ run.id }} (the
// workflow ID).
type Ref struct {
	Step   string
	Output string
	Item   bool
	Key    string
	Run    string
}

// RunVars are the names ${{ run.<name> }} takes.
var RunVars = []string{"date", "id"}

var (
	refPattern = regexp.MustCompile(`\$\{\{\s*(?:steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_]+)|(item)(?:\.([A-Za-z0-9_-]+))?|run\.(date|id))\s*\}\}`)
	refOpen    = "${{"
)

func refOf(m []string) Ref {
	switch {
	case m[3] != "":
		return Ref{Item: true, Key: m[4]}
	case m[5] != "":
		return Ref{Run: m[5]}
	default:
		return Ref{Step: m[1], Output: m[2]}
	}
}

// Scope is what references resolve against.
type Scope struct {
	// Outputs maps step id to that step's outputs.
	Outputs map[string]map[string]string
	// Item is the fan-out item being run (a string or a map of strings);
	// nil outside a fan-out.
	Item any
	// Run holds the run's facts by name: "date", "id".
	Run map[string]string
}

// refsIn returns the references in s, and an error for a ${{ … }} that is
// not a well-formed reference (a typo there would otherwise pass as text).
func refsIn(s string) ([]Ref, error) {
	var refs []Ref
	for _, m := range refPattern.FindAllStringSubmatch(s, -1) {
		refs = append(refs, refOf(m))
	}
	if strings.Count(s, refOpen) != len(refs) {
		return refs, fmt.Errorf("malformed reference in %q: write ${{ steps.<id>.outputs.<name> }}, ${{ item }} or ${{ run.date }}", s)
	}
	return refs, nil
}

// valueRefs walks an input value (string, list or map of strings).
func valueRefs(v any) ([]Ref, error) {
	var refs []Ref
	var firstErr error
	walkStrings(v, func(s string) string {
		r, err := refsIn(s)
		refs = append(refs, r...)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return s
	})
	return refs, firstErr
}

// walkStrings calls f on every string in v, replacing it with f's result.
func walkStrings(v any, f func(string) string) any {
	switch t := v.(type) {
	case string:
		return f(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = walkStrings(e, f)
		}
		return out
	case []string:
		out := make([]string, len(t))
		for i, e := range t {
			out[i] = f(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for _, k := range sortedKeys(t) {
			out[k] = walkStrings(t[k], f)
		}
		return out
	case map[string]string:
		out := make(map[string]string, len(t))
		for k, e := range t {
			out[k] = f(e)
		}
		return out
	default:
		return v
	}
}

// Resolve returns the step's inputs with every reference replaced by what
// it names in sc.
//
// A ${{ that is not a well-formed reference is an error, not text to pass
// on: Validate refuses it, so it only reaches here in a spec that skipped
// validation, and a vendor must never receive it.
func Resolve(with map[string]any, sc Scope) (map[string]any, error) {
	var missing []string
	var malformed error
	resolved := walkStrings(with, func(s string) string {
		if _, err := refsIn(s); err != nil && malformed == nil {
			malformed = err
		}
		return refPattern.ReplaceAllStringFunc(s, func(m string) string {
			r := refOf(refPattern.FindStringSubmatch(m))
			if r.Item {
				val, ok := itemValue(sc.Item, r.Key)
				if !ok {
					missing = append(missing, strings.TrimSuffix("item."+r.Key, "."))
				}
				return val
			}
			if r.Run != "" {
				val, ok := sc.Run[r.Run]
				if !ok {
					missing = append(missing, "run."+r.Run)
				}
				return val
			}
			val, ok := sc.Outputs[r.Step][r.Output]
			if !ok {
				missing = append(missing, fmt.Sprintf("steps.%s.outputs.%s", r.Step, r.Output))
			}
			return val
		})
	})
	if malformed != nil {
		return nil, malformed
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("unresolved reference %s", strings.Join(missing, ", "))
	}
	if resolved == nil {
		return map[string]any{}, nil
	}
	return resolved.(map[string]any), nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// itemValue is ${{ item }} (key "") or ${{ item.<key> }} of a fan-out item.
func itemValue(item any, key string) (string, bool) {
	switch it := item.(type) {
	case string:
		return it, key == ""
	case map[string]any:
		v, ok := it[key].(string)
		return v, ok && key != ""
	case map[string]string:
		v, ok := it[key]
		return v, ok && key != ""
	default:
		return "", false
	}
}
