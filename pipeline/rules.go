package pipeline

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Rule is what a vendor documents for a string input: its length, its
// characters, its values. A value that breaks it is refused by the vendor
// (a 400 the step cannot retry past), so validate refuses it first, and a
// value built from references is checked again once they are filled in
// (CheckInputs).
type Rule struct {
	// Vendor and Field name the rule's source in messages: the vendor,
	// and what the rule is about ("compartment names").
	Vendor, Field string
	// MinLen and MaxLen bound the length in characters (UTF-16 units when
	// UTF16, as Java counts); 0 is no bound.
	MinLen, MaxLen int
	UTF16          bool
	// Allowed, when set, is every character the value may hold, described
	// by AllowedDoc.
	Allowed    func(rune) bool
	AllowedDoc string
	// Forbidden are characters the value may never hold.
	Forbidden string
	// NoEdgeSpace refuses a value that starts or ends with a space.
	NoEdgeSpace bool
	// OneOf lists the values accepted, when the vendor has a fixed set.
	OneOf []string
	// Pattern, when set, is the whole value's form, described by PatternDoc.
	Pattern    *regexp.Regexp
	PatternDoc string
	// Example is a value the rule accepts, for documentation and tests.
	Example string
}

// length counts value as the vendor does.
func (r *Rule) length(value string) int {
	if !r.UTF16 {
		return utf8.RuneCountInString(value)
	}
	n := 0
	for _, c := range value {
		n += utf16.RuneLen(c)
	}
	return n
}

// check returns what is wrong with value, or "". When complete is false,
// value is only the parts of the input known before its references are
// filled in, and only what those parts break on their own is reported.
func (r *Rule) check(value string, complete bool) string {
	n := r.length(value)
	switch {
	case r.MaxLen > 0 && n > r.MaxLen && complete:
		return fmt.Sprintf("%d characters; %s takes at most %d for %s", n, r.Vendor, r.MaxLen, r.Field)
	case r.MaxLen > 0 && n > r.MaxLen:
		return fmt.Sprintf("%d characters before its references are filled in; %s takes at most %d for %s", n, r.Vendor, r.MaxLen, r.Field)
	case complete && n < r.MinLen:
		return fmt.Sprintf("%d characters; %s takes at least %d for %s", n, r.Vendor, r.MinLen, r.Field)
	}
	if i := strings.IndexAny(value, r.Forbidden); r.Forbidden != "" && i >= 0 {
		c, _ := utf8.DecodeRuneInString(value[i:])
		return fmt.Sprintf("%q is not allowed in %s %s", c, r.Vendor, r.Field)
	}
	if r.Allowed != nil {
		for _, c := range value {
			if !r.Allowed(c) {
				return fmt.Sprintf("%q is not allowed: %s %s take %s", c, r.Vendor, r.Field, r.AllowedDoc)
			}
		}
	}
	if !complete {
		return ""
	}
	if r.NoEdgeSpace && (strings.HasPrefix(value, " ") || strings.HasSuffix(value, " ")) {
		return fmt.Sprintf("%s %s cannot start or end with a space", r.Vendor, r.Field)
	}
	if r.OneOf != nil && !slices.Contains(r.OneOf, value) {
		return fmt.Sprintf("%q: %s takes one of %s for %s", value, r.Vendor, strings.Join(r.OneOf, ", "), r.Field)
	}
	if r.Pattern != nil && !r.Pattern.MatchString(value) {
		return fmt.Sprintf("%q: %s takes %s for %s", value, r.Vendor, r.PatternDoc, r.Field)
	}
	return ""
}

func asciiAlnum(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// An approver is named by the --by of starter approve, which must be one
// of them exactly; a blank name can never approve.
var approverName = &Rule{Vendor: "imagepipe", Field: "approver names", MinLen: 1, NoEdgeSpace: true, Example: "alice",
	Pattern: regexp.MustCompile(`\S`), PatternDoc: "a name that is not blank"}

// CheckInputs checks a step's inputs, once their references are filled in,
// against the vendor's rules for them: what validate could not know (a
// previous step's output, the run's ID) is checked here, before the call.
// The error names the input and the rule; the step should fail on it
// without retrying.
func (c *Catalog) CheckInputs(uses string, with map[string]any) error {
	a, ok := c.Lookup(uses)
	if !ok {
		return fmt.Errorf("unknown action %q", uses)
	}
	var bad []string
	for _, in := range a.Inputs {
		if in.Rule == nil {
			continue
		}
		switch val := with[in.Name].(type) {
		case string:
			if msg := in.Rule.check(val, true); msg != "" {
				bad = append(bad, "with."+in.Name+": "+msg)
			}
		case []any:
			for i, e := range val {
				if s, ok := e.(string); ok {
					if msg := in.Rule.check(s, true); msg != "" {
						bad = append(bad, fmt.Sprintf("with.%s[%d]: %s", in.Name, i, msg))
					}
				}
			}
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s", strings.Join(bad, "; "))
	}
	return nil
}

// knownText is what validate knows of an input before the run: item
// references filled in from the item, ${{ run.date }} by a date of its
// form, the output of a step fanned out over several items by the commas
// that join its values; the rest of a step's output and ${{ run.id }}
// (which --id may set) are left out, and complete says whether anything
// was.
func (v *validator) knownText(s string, item any) (text string, complete bool) {
	complete = true
	text = refPattern.ReplaceAllStringFunc(s, func(m string) string {
		r := refOf(refPattern.FindStringSubmatch(m))
		switch {
		case r.Item:
			if val, ok := itemValue(item, r.Key); ok {
				return val
			}
		case r.Run == "date":
			return "20060102"
		case r.Step != "":
			if st, ok := v.spec.Step(r.Step); ok && len(st.ForEach) > 1 {
				complete = false
				return strings.Repeat(",", len(st.ForEach)-1)
			}
		}
		complete = false
		return ""
	})
	return text, complete
}

// inputRules checks an input against its rule: a string, or each string
// of a list.
func (v *validator) inputRules(path, label, field string, st Step, rule *Rule, val any) {
	switch t := val.(type) {
	case string:
		v.inputRule(path, label, field, st, rule, t)
	case []any:
		for i, e := range t {
			if s, ok := e.(string); ok {
				v.inputRule(path, label, fmt.Sprintf("%s[%d]", field, i), st, rule, s)
			}
		}
	}
}

// inputRule checks one string input of a step against its vendor rule, for
// each fan-out item when the input names the item.
func (v *validator) inputRule(path, label, field string, st Step, rule *Rule, value string) {
	refs, err := refsIn(value)
	if err != nil {
		return // the malformed reference is the problem to fix first
	}
	items := []any{nil}
	if slices.ContainsFunc(refs, func(r Ref) bool { return r.Item }) && len(st.ForEach) > 0 {
		items = st.ForEach
	}
	for i, it := range items {
		text, complete := v.knownText(value, it)
		if msg := rule.check(text, complete); msg != "" {
			if it != nil {
				msg = fmt.Sprintf("for_each[%d] makes it %q: %s", i, text, msg)
			}
			v.add(path, label, field, "%s", msg)
			return
		}
	}
}
