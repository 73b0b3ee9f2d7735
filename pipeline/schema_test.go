package pipeline_test

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/pipeline/internal/genschema"
	"github.com/imagepipe/imagepipe/workflows"
)

var (
	compileOnce sync.Once
	compiled    *jsonschema.Schema
	compileErr  error
)

// compiledSchema compiles what pipeline.Schema serves, once: compiling also
// checks it against the draft 2020-12 meta-schema.
func compiledSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	compileOnce.Do(func() { compiled, compileErr = compileSchema() })
	if compileErr != nil {
		t.Fatalf("compile schema: %v", compileErr)
	}
	return compiled
}

func compileSchema() (*jsonschema.Schema, error) {
	b, err := pipeline.Schema()
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(pipeline.SchemaID, doc); err != nil {
		return nil, err
	}
	return c.Compile(pipeline.SchemaID)
}

// validate checks a pipeline file against the schema as an editor sees it:
// YAML scalars typed by their tags, as yaml-language-server types them.
func validate(t *testing.T, src string) error {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatalf("test YAML does not parse: %v\n%s", err, src)
	}
	v, err := jsonValue(&doc)
	if err != nil {
		t.Fatalf("test YAML: %v", err)
	}
	return compiledSchema(t).Validate(v)
}

// jsonValue turns a YAML node into the values JSON decoding would give.
func jsonValue(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return jsonValue(n.Content[0])
	case yaml.AliasNode:
		return jsonValue(n.Alias)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			v, err := jsonValue(e)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := jsonValue(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			out[n.Content[i].Value] = v
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!bool", "!!int", "!!float":
			var v any
			if err := n.Decode(&v); err != nil {
				return nil, fmt.Errorf("line %d: %w", n.Line, err)
			}
			return v, nil
		default: // !!str, !!timestamp, !!binary: text in JSON
			return n.Value, nil
		}
	}
	return nil, fmt.Errorf("line %d: unsupported YAML node kind %v", n.Line, n.Kind)
}

// leaves lists the innermost failures of a validation error, each as
// "<instance location> <keyword>: <message>".
func leaves(err error) []string {
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []string{err.Error()}
	}
	p := message.NewPrinter(language.English)
	var out []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			kw := e.ErrorKind.KeywordPath()
			out = append(out, fmt.Sprintf("/%s %s: %s", strings.Join(e.InstanceLocation, "/"), strings.Join(kw, "/"), e.ErrorKind.LocalizedString(p)))
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return out
}

// assertRejected checks that the schema rejects src at the wanted place for
// the wanted reason (a prefix of a leaf, e.g. "/steps/0/with required:"),
// and that Parse rejects it too, so the case is a real mistake.
func assertRejected(t *testing.T, src, want string) {
	t.Helper()
	err := validate(t, src)
	if err == nil {
		t.Fatalf("schema accepted:\n%s", src)
	}
	got := leaves(err)
	found := false
	for _, l := range got {
		if strings.HasPrefix(l, want) {
			found = true
		}
	}
	if !found {
		t.Errorf("schema rejected it, but not with %q; it said:\n  %s", want, strings.Join(got, "\n  "))
	}
	if _, perr := workflows.Default().Catalog().Parse("bad.yaml", []byte(src)); perr == nil {
		t.Errorf("Parse accepts what the schema rejects:\n%s", src)
	}
}

// moveFile is a valid one-step pipeline; cases replace its parts.
func moveFile(top, step, with string) string {
	return "name: demo\n" + top + "steps:\n  - id: move\n    uses: oci.move_image\n" + step +
		"    with:\n" + with
}

const moveWith = "      image_id: ocid1.image.oc1..aaaa\n      compartment_id: ocid1.compartment.oc1..bbbb\n"

func TestSchema_MatchesTheGenerator(t *testing.T) {
	want, err := genschema.Generate(workflows.Default().Catalog(), ".")
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	got, err := pipeline.Schema()
	if err != nil {
		t.Fatalf("Schema: %v", err)
	}
	if line, g, w := firstDifference(string(got), string(want)); line > 0 {
		t.Fatalf("schema.json is stale: run go generate ./pipeline\nfirst difference at line %d:\n committed: %q\n generated: %q", line, g, w)
	}
}

// firstDifference returns the first line (1-based) where a and b differ and
// that line of each; 0 when they are equal.
func firstDifference(a, b string) (int, string, string) {
	al, bl := strings.SplitAfter(a, "\n"), strings.SplitAfter(b, "\n")
	for i := range max(len(al), len(bl)) {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return i + 1, x, y
		}
	}
	return 0, "", ""
}

func TestSchema_AcceptsEveryExample(t *testing.T) {
	if err := validate(t, moveFile("", "", moveWith)); err != nil {
		t.Fatalf("schema rejects the base file the other cases change: %v", leaves(err))
	}
	files, err := filepath.Glob("../examples/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples found (%v)", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := validate(t, string(src)); err != nil {
				t.Errorf("schema rejects %s:\n  %s", f, strings.Join(leaves(err), "\n  "))
			}
		})
	}
}

func TestSchema_RejectsUnknownAction(t *testing.T) {
	src := strings.Replace(moveFile("", "", moveWith), "oci.move_image", "oci.delete_image", 1)
	assertRejected(t, src, "/steps/0/uses enum:")
}

func TestSchema_RejectsUnknownInputOfAnAction(t *testing.T) {
	tests := []struct{ name, input string }{
		{"input no action takes", "image_ocid"},
		{"input of another action", "cmk_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := moveFile("", "", moveWith+"      "+tt.input+": x\n")
			assertRejected(t, src, "/steps/0/with additionalProperties: additional properties '"+tt.input+"'")
		})
	}
}

func TestSchema_RejectsMissingRequiredInput(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"one input left out", moveFile("", "", "      image_id: ocid1.image.oc1..aaaa\n"),
			"/steps/0/with required: missing property 'compartment_id'"},
		{"no with at all", "name: demo\nsteps:\n  - id: move\n    uses: oci.move_image\n",
			"/steps/0 required: missing property 'with'"},
		{"required input empty", moveFile("", "", "      image_id: \"\"\n      compartment_id: ocid1.compartment.oc1..bbbb\n"),
			"/steps/0/with/image_id minLength:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assertRejected(t, tt.src, tt.want) })
	}
}

func TestSchema_RejectsWrongInputType(t *testing.T) {
	approval := func(with string) string {
		return "name: demo\nsteps:\n  - id: ok\n    uses: imagepipe.approval\n    with:\n" + with
	}
	compartment := func(tags string) string {
		return "name: demo\nsteps:\n  - id: c\n    uses: oci.create_compartment\n    with:\n" +
			"      parent_compartment_id: ocid1.tenancy\n      name: gold\n      description: gold images\n" +
			"      freeform_tags: " + tags + "\n"
	}
	tests := []struct{ name, src, want string }{
		{"list for a string", moveFile("", "", "      image_id: [a, b]\n      compartment_id: ocid1.compartment.oc1..bbbb\n"),
			"/steps/0/with/image_id type:"},
		{"string for a list", approval("      approvers: release-manager\n"),
			"/steps/0/with/approvers type:"},
		{"list for a map", compartment("[owner]"),
			"/steps/0/with/freeform_tags type:"},
		{"map holding a list", compartment("{owner: [a, b]}"),
			"/steps/0/with/freeform_tags/owner type:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assertRejected(t, tt.src, tt.want) })
	}
}

func TestSchema_RejectsBadOnFailure(t *testing.T) {
	assertRejected(t, moveFile("on_failure: continue\n", "", moveWith), "/on_failure enum:")
}

func TestSchema_RejectsUnknownConcurrencyVendor(t *testing.T) {
	tests := []struct{ name, top, want string }{
		{"unknown vendor", "concurrency:\n  aws: 2\n", "/concurrency additionalProperties: additional properties 'aws'"},
		{"cap below one", "concurrency:\n  oci: 0\n", "/concurrency/oci minimum:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assertRejected(t, moveFile(tt.top, "", moveWith), tt.want) })
	}
}

func TestSchema_RejectsBadDuration(t *testing.T) {
	tests := []struct{ name, step, want string }{
		{"words", "    timeout: 5 minutes\n", "/steps/0/timeout pattern:"},
		{"days", "    retry:\n      max_interval: 1d\n", "/steps/0/retry/max_interval pattern:"},
		{"negative", "    retry:\n      initial_interval: -5s\n", "/steps/0/retry/initial_interval pattern:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assertRejected(t, moveFile("", tt.step, moveWith), tt.want) })
	}
}

// The schema repeats some of the parser's rules (durations, names, ids,
// fan-out of approvals); for values of one type both must agree.
func TestSchema_AgreesWithTheParserOnValues(t *testing.T) {
	var cases []string
	for _, d := range []string{"90s", "1h30m", "1.5h", ".5s", "5.s", "0", "+5m", "100ms", "2µs", "3us",
		"45", "5 m", "-5m", "1d", "h", "1h-5m", "1.2.3s"} {
		cases = append(cases, moveFile("", "    timeout: "+strconv.Quote(d)+"\n", moveWith))
	}
	for _, name := range []string{"gold-rollout", "a", "0day", "Gold", "-gold", "gold_rollout", strings.Repeat("a", 63), strings.Repeat("a", 64)} {
		cases = append(cases, "name: "+strconv.Quote(name)+"\nsteps:\n  - id: m\n    uses: oci.move_image\n    with:\n"+moveWith)
	}
	for _, id := range []string{"move", "Move_1", "a-b", "-move", "_move", "move.it", strings.Repeat("m", 63), strings.Repeat("m", 64)} {
		cases = append(cases, strings.Replace(moveFile("", "", moveWith), "id: move", "id: "+strconv.Quote(id), 1))
	}
	cases = append(cases,
		"name: demo\nsteps:\n  - id: ok\n    uses: imagepipe.approval\n    for_each: [a, b]\n",
		"name: demo\nsteps:\n  - id: ok\n    uses: imagepipe.approval\n",
		moveFile("", "    needs: other\n", moveWith)+"  - id: other\n    uses: imagepipe.approval\n",
		moveFile("", "    for_each: []\n", moveWith),
		moveFile("", "    for_each: [a, {k: v}]\n", moveWith),
		moveFile("", "    for_each: [[a]]\n", moveWith),
		moveFile("", "    max_parallel: -1\n", moveWith),
		moveFile("", "    bogus: 1\n", moveWith),
		"name: demo\nsteps: []\n",
	)
	// The caps of pipeline/limits.go, on each side of the line.
	for _, n := range []int{pipeline.MaxUnits, pipeline.MaxUnits + 1} {
		cases = append(cases,
			moveFile("", fmt.Sprintf("    max_parallel: %d\n", n), moveWith),
			moveFile(fmt.Sprintf("concurrency: {oci: %d}\n", n), "", moveWith),
			moveFile("", "    for_each: ["+strings.TrimSuffix(strings.Repeat("x, ", n), ", ")+"]\n", moveWith))
	}
	for _, n := range []int{pipeline.MaxRetryAttempts, pipeline.MaxRetryAttempts + 1} {
		cases = append(cases, moveFile("", fmt.Sprintf("    retry: {max_attempts: %d}\n", n), moveWith))
	}
	for _, src := range cases {
		_, perr := workflows.Default().Catalog().Parse("case.yaml", []byte(src))
		serr := validate(t, src)
		if (perr == nil) != (serr == nil) {
			t.Errorf("Parse and schema disagree on:\n%s\nParse: %v\nschema: %v", src, perr, serr)
		}
	}
}

// Every action of the default catalog, built from its declarations: the
// smallest valid step passes, and each way of breaking its inputs fails, in
// the schema and in Parse alike.
func TestSchema_FollowsTheActionTable(t *testing.T) {
	good := map[pipeline.InputType]string{
		pipeline.TypeString: "x", pipeline.TypeStringList: "[x]", pipeline.TypeStringMap: "{k: x}",
	}
	wrong := map[pipeline.InputType]string{
		pipeline.TypeString: "[x]", pipeline.TypeStringList: "x", pipeline.TypeStringMap: "[x]",
	}
	file := func(a pipeline.Action, with map[string]string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "name: demo\nsteps:\n  - id: s\n    uses: %s\n", a.Name)
		if len(with) > 0 {
			b.WriteString("    with:\n")
			names := []string{"unknown_input"}
			for _, in := range a.Inputs {
				names = append(names, in.Name)
			}
			for _, n := range names {
				if v, ok := with[n]; ok {
					fmt.Fprintf(&b, "      %s: %s\n", n, v)
				}
			}
		}
		return b.String()
	}
	for _, a := range workflows.Default().Catalog().Actions() {
		t.Run(a.Name, func(t *testing.T) {
			required, all := map[string]string{}, map[string]string{}
			for _, in := range a.Inputs {
				all[in.Name] = good[in.Type]
				switch {
				case in.Rule != nil && in.Type == pipeline.TypeString:
					all[in.Name] = strconv.Quote(in.Rule.Example)
				case in.Rule != nil && in.Type == pipeline.TypeStringList:
					all[in.Name] = "[" + strconv.Quote(in.Rule.Example) + "]"
				}
				if in.Required {
					required[in.Name] = all[in.Name]
				}
			}
			for _, with := range []map[string]string{required, all} {
				src := file(a, with)
				if err := validate(t, src); err != nil {
					t.Errorf("schema rejects a valid step:\n%s%v", src, leaves(err))
				}
				if _, err := workflows.Default().Catalog().Parse("ok.yaml", []byte(src)); err != nil {
					t.Errorf("Parse rejects the step the test built:\n%s%v", src, err)
				}
			}
			for _, in := range a.Inputs {
				with := maps.Clone(all)
				with[in.Name] = wrong[in.Type]
				assertRejected(t, file(a, with), "/steps/0/with/"+in.Name+" type:")
				if in.Required {
					with := maps.Clone(all)
					delete(with, in.Name)
					assertRejected(t, file(a, with), "/steps/0/")
				}
			}
			with := maps.Clone(all)
			with["unknown_input"] = "x"
			assertRejected(t, file(a, with), "/steps/0/with additionalProperties:")
		})
	}
}

// Editors show a property's description on hover and in completion; every
// property a pipeline file can hold must have one.
func TestSchema_DescribesEveryProperty(t *testing.T) {
	b, err := pipeline.Schema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		obj, ok := v.(map[string]any)
		if !ok {
			if arr, ok := v.([]any); ok {
				for i, e := range arr {
					walk(fmt.Sprintf("%s/%d", path, i), e)
				}
			}
			return
		}
		for k, sub := range obj {
			if k == "if" {
				continue // the condition on uses, not a property a file holds
			}
			if k == "properties" {
				for name, ps := range sub.(map[string]any) {
					p, ok := ps.(map[string]any)
					if !ok {
						continue // false: a property forbidden there
					}
					if d, _ := p["description"].(string); strings.TrimSpace(d) == "" {
						t.Errorf("%s/properties/%s has no description", path, name)
					}
				}
			}
			walk(path+"/"+k, sub)
		}
	}
	walk("#", doc)
}
