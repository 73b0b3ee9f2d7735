package pipeline

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Rule is what a vendor documents for a string input: its length, its
// characters, its values. A value that breaks it is refused by the vendor
// (a 400 the step cannot retry past), so validate refuses it first, and a
// value built from references is checked again once they are filled in
// (CheckInputs).
type Rule struct {
	// Vendor and Field name the rule's source in messages: "OCI",
	// "compartment names".
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

// The vendors' documented rules, by the inputs that carry them. Each cites
// the document it follows; what no document states is marked Unverified.
var (
	// OCI Identity, "Renaming a Compartment": "a maximum of 100
	// characters, including letters, numbers, periods, hyphens, and
	// underscores"; CreateCompartmentDetails.name is 1 to 100 long.
	// Unverified: that "letters" means ASCII letters only.
	ociCompartmentName = &Rule{Vendor: "OCI", Field: "compartment names", MinLen: 1, MaxLen: 100, Example: "gold-images",
		Allowed:    func(c rune) bool { return asciiAlnum(c) || strings.ContainsRune("._-", c) },
		AllowedDoc: "letters, digits, '.', '-' and '_'"}
	// CreateCompartmentDetails.description: 1 to 400.
	ociCompartmentDescription = &Rule{Vendor: "OCI", Field: "compartment descriptions", MinLen: 1, MaxLen: 400, Example: "Gold images"}
	// ChangeImageCompartmentDetails.compartmentId: 1 to 255. Unverified:
	// CreateCompartmentDetails.compartmentId documents no length; the same
	// is assumed.
	ociCompartmentID = &Rule{Vendor: "OCI", Field: "compartment OCIDs", MinLen: 1, MaxLen: 255, Example: "ocid1.compartment.oc1..aaaa"}

	// Huawei IMS, "Image Attributes": a name is 1 to 128 characters of
	// letters, digits, spaces, '-', '_' and '.', and cannot start or end
	// with a space. Chinese characters count as letters (the SDK's field
	// doc).
	imsImageName = &Rule{Vendor: "IMS", Field: "image names", MinLen: 1, MaxLen: 128, NoEdgeSpace: true, Example: "gold-ubuntu 22.04",
		Allowed: func(c rune) bool {
			return asciiAlnum(c) || strings.ContainsRune("-_. ", c) || unicode.Is(unicode.Han, c)
		},
		AllowedDoc: "letters, digits, spaces, '-', '_' and '.'"}
	// Copy image, description: "a maximum of 1024 characters ... Carriage
	// returns and angle brackets (< >) are not allowed". Unverified: that
	// a line feed is refused like a carriage return.
	imsDescription = &Rule{Vendor: "IMS", Field: "image descriptions", MaxLen: 1024, Forbidden: "\r\n<>", Example: "Gold image"}
	// Unverified: the copy API documents enterprise_project_id without a
	// form; IMS's image APIs describe it as 0 (the default project) or the
	// project's UUID.
	imsEnterpriseProject = &Rule{Vendor: "IMS", Field: "enterprise projects", Example: "0",
		Pattern:    regexp.MustCompile(`^(0|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$`),
		PatternDoc: "0 (the default project) or a project's UUID"}

	// ZStack APIUpdateImageMsg's @APIParams: lengths in Java characters.
	zstackName        = &Rule{Vendor: "ZStack", Field: "image names", MaxLen: 255, UTF16: true, Example: "gold-centos"}
	zstackDescription = &Rule{Vendor: "ZStack", Field: "image descriptions", MaxLen: 2048, UTF16: true, Example: "Gold image"}
	zstackGuestOSType = &Rule{Vendor: "ZStack", Field: "guest OS types", MaxLen: 255, UTF16: true, Example: "CentOS 7"}
	zstackPlatform    = &Rule{Vendor: "ZStack", Field: "platforms", Example: "Linux",
		OneOf: []string{"Linux", "Windows", "Other", "Paravirtualization", "WindowsVirtio"}}
	// Unverified: the architectures of ZStack 4.x and later (older
	// releases lack loongarch64).
	zstackArchitecture = &Rule{Vendor: "ZStack", Field: "architectures", MaxLen: 32, Example: "x86_64",
		OneOf: []string{"x86_64", "aarch64", "mips64el", "loongarch64"}}

	// An approver is named by the --by of starter approve, which must be
	// one of them exactly; a blank name can never approve.
	approverName = &Rule{Vendor: "imagepipe", Field: "approver names", MinLen: 1, NoEdgeSpace: true, Example: "alice",
		Pattern: regexp.MustCompile(`\S`), PatternDoc: "a name that is not blank"}

	// FPP ImportImageBody.path: "the absolute path location of the
	// software home".
	fppPath = &Rule{Vendor: "FPP", Field: "software home paths", Example: "/u01/app/oracle/product/19.0.0/dbhome_1",
		Pattern: regexp.MustCompile(`^/`), PatternDoc: "an absolute path"}
	// Unverified: FPP documents no rule for image names. They become ACFS
	// file system and directory names and a URL path segment, and every
	// documented example is letters, digits, '_' and '.'; the emulator
	// takes those and '-', starting with a letter or digit.
	fppImageName = &Rule{Vendor: "FPP", Field: "image names", MinLen: 1, Example: "db19_gold",
		Allowed:    func(c rune) bool { return asciiAlnum(c) || strings.ContainsRune("_.-", c) },
		AllowedDoc: "letters, digits, '_', '.' and '-'",
		Pattern:    regexp.MustCompile(`^[A-Za-z0-9]`), PatternDoc: "a name starting with a letter or digit"}
)

// CheckInputs checks a step's inputs, once their references are filled in,
// against the vendor's rules for them: what validate could not know (a
// previous step's output, the run's ID) is checked here, before the call.
// The error names the input and the rule; the step should fail on it
// without retrying.
func CheckInputs(uses string, with map[string]any) error {
	a, ok := LookupAction(uses)
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
