// Package genschema builds the JSON Schema of pipeline files from the Go
// types in package pipeline: their json tags give the YAML names, their doc
// comments the descriptions, and the catalog of actions (the vendor registry's) what
// each step's `with` may hold. The result is committed as
// pipeline/schema.json, which pipeline.Schema serves; building it here, and
// not at run time, keeps the reflection library and the source files out of
// the binaries that import pipeline.
package genschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	gopath "path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"
	orderedmap "github.com/wk8/go-ordered-map/v2"

	"github.com/imagepipe/imagepipe/pipeline"
)

// DurationPattern matches what pipeline durations accept: Go's duration
// syntax ("90s", "1h30m", "1.5h", "0"), without a sign for negative values,
// which the parser refuses.
const DurationPattern = `^\+?(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$`

// stepIDPattern repeats the parser's rule for step ids, so editors flag a
// bad id as it is typed.
const stepIDPattern = `^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$`

var durationType = reflect.TypeOf(pipeline.Duration(0))

// Generate returns the indented schema of pipeline files using the actions
// of cat. srcDir is the directory holding package pipeline's Go files, read
// for their doc comments.
func Generate(cat *pipeline.Catalog, srcDir string) ([]byte, error) {
	pkg := durationType.PkgPath()
	comments, err := fieldComments(pkg, srcDir)
	if err != nil {
		return nil, err
	}
	var missing []string
	r := &jsonschema.Reflector{
		ExpandedStruct: true,
		Anonymous:      true,
		Mapper: func(t reflect.Type) *jsonschema.Schema {
			if t != durationType {
				return nil
			}
			// A fresh schema each time: the reflector writes each field's
			// description into it.
			return &jsonschema.Schema{
				Type:     "string",
				Pattern:  DurationPattern,
				Examples: []any{"90s", "45m", "1h30m", "24h"},
			}
		},
		LookupComment: func(t reflect.Type, field string) string {
			if t.PkgPath() != pkg {
				return ""
			}
			key := t.Name()
			if field != "" {
				key += "." + field
			}
			c, ok := comments[key]
			if !ok && field != "" {
				missing = append(missing, key)
			}
			return c
		},
	}
	s := r.Reflect(&pipeline.Spec{})
	if len(missing) > 0 {
		return nil, fmt.Errorf("fields without a doc comment (the schema would leave them undescribed): %s", strings.Join(missing, ", "))
	}
	s.ID = jsonschema.ID(pipeline.SchemaID)
	s.Title = "imagepipe pipeline"
	s.Description = "An imagepipe pipeline file: steps, each running one vendor action, ordered by needs and by the references between them."

	if err := extendSpec(cat, s); err != nil {
		return nil, err
	}
	step, ok := s.Definitions["Step"]
	if !ok {
		return nil, fmt.Errorf("reflected schema has no Step definition")
	}
	if err := extendStep(cat, step); err != nil {
		return nil, err
	}
	retry, ok := s.Definitions["Retry"]
	if !ok {
		return nil, fmt.Errorf("reflected schema has no Retry definition")
	}
	attempts, ok := retry.Properties.Get("max_attempts")
	if !ok {
		return nil, fmt.Errorf("reflected Retry has no max_attempts property")
	}
	attempts.Maximum = number(pipeline.MaxRetryAttempts)
	if err := extendNotify(s); err != nil {
		return nil, err
	}
	return encode(s)
}

// fieldComments reads the doc comments of package pipeline's types and
// fields, keyed "Type" and "Type.Field", rewritten for a YAML reader.
func fieldComments(pkg, srcDir string) (map[string]string, error) {
	var c jsonschema.Reflector
	if err := c.AddGoComments(pkg, srcDir); err != nil {
		return nil, fmt.Errorf("read doc comments in %s: %w", srcDir, err)
	}
	// AddGoComments names the package after the directory it walked.
	prefix := gopath.Join(pkg, filepath.ToSlash(srcDir)) + "."
	names := yamlNames(reflect.TypeOf(pipeline.Spec{}), reflect.TypeOf(pipeline.Step{}), reflect.TypeOf(pipeline.Retry{}), reflect.TypeOf(pipeline.Notify{}))
	out := map[string]string{}
	for key, text := range c.CommentMap {
		rest, ok := strings.CutPrefix(key, prefix)
		if !ok || strings.Contains(rest, "/") {
			continue
		}
		out[rest] = forYAML(text, names)
	}
	return out, nil
}

// yamlNames maps the Go names of the structs' fields to their YAML names.
func yamlNames(types ...reflect.Type) map[string]string {
	names := map[string]string{}
	for _, t := range types {
		for f := range t.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name != "" && name != "-" && f.Tag.Get("jsonschema") != "-" {
				names[f.Name] = name
			}
		}
	}
	return names
}

var word = regexp.MustCompile(`\b[A-Z][A-Za-z]*\b`)

// forYAML rewrites a Go doc comment for someone editing the YAML: the Go
// field names become the keys they write ("MaxParallel" is max_parallel),
// and lines wrapped for the source are joined, keeping paragraphs.
func forYAML(text string, names map[string]string) string {
	paras := strings.Split(strings.TrimSpace(text), "\n\n")
	for i, p := range paras {
		p = strings.Join(strings.Fields(p), " ")
		paras[i] = word.ReplaceAllStringFunc(p, func(w string) string {
			if n, ok := names[w]; ok {
				return n
			}
			return w
		})
	}
	return strings.Join(paras, "\n\n")
}

func extendSpec(cat *pipeline.Catalog, s *jsonschema.Schema) error {
	steps, ok := s.Properties.Get("steps")
	if !ok {
		return fmt.Errorf("reflected schema has no steps property")
	}
	steps.MinItems = uintPtr(1)
	// The parser's caps (pipeline/limits.go), where a schema can say them:
	// the unit cap counts steps and fan-out items together, which only
	// Parse checks, but neither list alone may pass it.
	steps.MaxItems = uintPtr(pipeline.MaxUnits)
	desc, ok := s.Properties.Get("description")
	if !ok {
		return fmt.Errorf("reflected schema has no description property")
	}
	// In characters; Parse counts the encoded bytes, where <, > and & take 6.
	desc.MaxLength = uintPtr(pipeline.MaxDescriptionBytes)

	conc, ok := s.Properties.Get("concurrency")
	if !ok {
		return fmt.Errorf("reflected schema has no concurrency property")
	}
	apis := map[string][]string{}
	for _, a := range cat.Actions() {
		if !slices.Contains(apis[a.Vendor], a.API) {
			apis[a.Vendor] = append(apis[a.Vendor], a.API)
		}
	}
	conc.AdditionalProperties = jsonschema.FalseSchema
	conc.Properties = orderedmap.New[string, *jsonschema.Schema]()
	for _, v := range cat.Vendors() {
		if len(apis[v]) == 0 {
			return fmt.Errorf("vendor %s has no action", v)
		}
		slices.Sort(apis[v])
		conc.Properties.Set(v, &jsonschema.Schema{
			Type:        "integer",
			Minimum:     "1",
			Maximum:     number(pipeline.MaxUnits),
			Description: fmt.Sprintf("How many steps or fan-out items may call %s at once.", strings.Join(apis[v], " and ")),
		})
	}
	return nil
}

func extendStep(cat *pipeline.Catalog, step *jsonschema.Schema) error {
	prop := func(name string) (*jsonschema.Schema, error) {
		p, ok := step.Properties.Get(name)
		if !ok {
			return nil, fmt.Errorf("reflected Step has no %s property", name)
		}
		return p, nil
	}
	id, err := prop("id")
	if err != nil {
		return err
	}
	id.Pattern = stepIDPattern

	uses, err := prop("uses")
	if err != nil {
		return err
	}
	var names, docs []any
	for _, a := range cat.Actions() {
		names = append(names, a.Name)
		docs = append(docs, actionDoc(a))
	}
	uses.Enum = names
	// enumDescriptions is the VS Code (and yaml-language-server) keyword
	// that shows a description beside each completion of an enum.
	uses.Extras = map[string]any{"enumDescriptions": docs}

	with, err := prop("with")
	if err != nil {
		return err
	}
	with.AdditionalProperties = &jsonschema.Schema{AnyOf: []*jsonschema.Schema{
		inputSchema(pipeline.TypeString, ""),
		inputSchema(pipeline.TypeStringList, ""),
		inputSchema(pipeline.TypeStringMap, ""),
	}}

	// The parser takes a single step id where a list is expected.
	needs, err := prop("needs")
	if err != nil {
		return err
	}
	list := &jsonschema.Schema{Type: "array", Items: &jsonschema.Schema{Type: "string"}}
	*needs = jsonschema.Schema{
		Description: needs.Description,
		AnyOf:       []*jsonschema.Schema{{Type: "string"}, list},
	}

	forEach, err := prop("for_each")
	if err != nil {
		return err
	}
	forEach.MinItems = uintPtr(1)
	forEach.MaxItems = uintPtr(pipeline.MaxUnits)
	maxParallel, err := prop("max_parallel")
	if err != nil {
		return err
	}
	maxParallel.Maximum = number(pipeline.MaxUnits)
	forEach.Items = &jsonschema.Schema{AnyOf: []*jsonschema.Schema{
		{Type: "string"},
		{Type: "object", AdditionalProperties: &jsonschema.Schema{Type: "string"}},
	}}

	for _, a := range cat.Actions() {
		rule, err := actionRule(a)
		if err != nil {
			return err
		}
		step.AllOf = append(step.AllOf, rule)
	}
	return nil
}

// actionRule constrains `with` when `uses` names the action: only its
// inputs, of their types, the required ones present.
func actionRule(a pipeline.Action) (*jsonschema.Schema, error) {
	with := &jsonschema.Schema{
		Type:                 "object",
		Description:          fmt.Sprintf("Inputs of %s: %s", a.Name, a.Doc),
		Properties:           orderedmap.New[string, *jsonschema.Schema](),
		AdditionalProperties: jsonschema.FalseSchema,
	}
	for _, in := range a.Inputs {
		switch in.Type {
		case pipeline.TypeString, pipeline.TypeStringList, pipeline.TypeStringMap:
		default:
			return nil, fmt.Errorf("action %s: input %s has type %q, which the schema does not know", a.Name, in.Name, in.Type)
		}
		doc := in.Doc
		if in.Required {
			doc += " (required)"
		}
		s := inputSchema(in.Type, doc)
		if in.Required {
			with.Required = append(with.Required, in.Name)
			if in.Type == pipeline.TypeString {
				// The parser refuses an empty required input too.
				s.MinLength = uintPtr(1)
			}
		}
		with.Properties.Set(in.Name, s)
	}
	then := &jsonschema.Schema{Properties: orderedmap.New[string, *jsonschema.Schema]()}
	then.Properties.Set("with", with)
	if len(with.Required) > 0 {
		then.Required = []string{"with"}
	}
	if a.Name == pipeline.ActionApproval {
		// An approval waits for one decision; it cannot fan out.
		then.Properties.Set("for_each", jsonschema.FalseSchema)
	}
	return &jsonschema.Schema{
		If: &jsonschema.Schema{
			Properties: orderedMap("uses", &jsonschema.Schema{Const: a.Name}),
			Required:   []string{"uses"},
		},
		Then: then,
	}, nil
}

func inputSchema(t pipeline.InputType, doc string) *jsonschema.Schema {
	s := &jsonschema.Schema{Description: doc}
	switch t {
	case pipeline.TypeString:
		s.Type = "string"
	case pipeline.TypeStringList:
		s.Type = "array"
		s.Items = &jsonschema.Schema{Type: "string"}
	case pipeline.TypeStringMap:
		s.Type = "object"
		s.AdditionalProperties = &jsonschema.Schema{Type: "string"}
	}
	return s
}

// actionDoc is what an editor shows beside the action's name: what it does,
// what later steps can reference, and what rollback does.
func actionDoc(a pipeline.Action) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", a.API, a.Doc)
	if len(a.Outputs) > 0 {
		fmt.Fprintf(&b, " Outputs: %s.", strings.Join(a.Outputs, ", "))
	}
	if a.Inverse != "" {
		fmt.Fprintf(&b, " On rollback it %s.", a.Inverse)
	}
	return b.String()
}

func orderedMap(key string, s *jsonschema.Schema) *orderedmap.OrderedMap[string, *jsonschema.Schema] {
	m := orderedmap.New[string, *jsonschema.Schema]()
	m.Set(key, s)
	return m
}

func uintPtr(n uint64) *uint64 { return &n }

func number(n int) json.Number { return json.Number(strconv.Itoa(n)) }

// encode writes the schema indented, with <, > and & as themselves: the
// descriptions quote ${{ steps.<id>.outputs.<field> }}, and the committed
// file should read as it does in an editor.
func encode(s *jsonschema.Schema) ([]byte, error) {
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("marshal schema: %w", err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, unescapeHTML(raw), "", "  "); err != nil {
		return nil, fmt.Errorf("indent schema: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// unescapeHTML undoes encoding/json's \u003c, \u003e and \u0026, stepping
// over every other escape whole so that an escaped backslash is never
// mistaken for the start of one.
func unescapeHTML(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			out = append(out, b[i])
			continue
		}
		if b[i+1] == 'u' && i+6 <= len(b) {
			switch string(b[i+2 : i+6]) {
			case "003c":
				out = append(out, '<')
				i += 5
				continue
			case "003e":
				out = append(out, '>')
				i += 5
				continue
			case "0026":
				out = append(out, '&')
				i += 5
				continue
			}
		}
		out = append(out, b[i], b[i+1])
		i++
	}
	return out
}

// extendNotify says what the parser checks of notify targets and a
// reflected struct cannot: how many there may be, url or url_env (one of
// them), and on as a single event or a list.
func extendNotify(s *jsonschema.Schema) error {
	notify, ok := s.Properties.Get("notify")
	if !ok {
		return fmt.Errorf("reflected schema has no notify property")
	}
	notify.MaxItems = uintPtr(pipeline.MaxNotify)
	def, ok := s.Definitions["Notify"]
	if !ok {
		return fmt.Errorf("reflected schema has no Notify definition")
	}
	def.OneOf = []*jsonschema.Schema{{Required: []string{"url"}}, {Required: []string{"url_env"}}}
	on, ok := def.Properties.Get("on")
	if !ok {
		return fmt.Errorf("reflected Notify has no on property")
	}
	*on = jsonschema.Schema{
		Description: on.Description,
		AnyOf:       []*jsonschema.Schema{on.Items, {Type: "array", Items: on.Items, MinItems: uintPtr(1)}},
	}
	return nil
}
