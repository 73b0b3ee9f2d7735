package genschema

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/workflows"
)

func TestGenerate_FromAnotherDirectoryGivesTheCommittedSchema(t *testing.T) {
	got, err := Generate(workflows.Default().Catalog(), "../..")
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	want, err := pipeline.Schema()
	if err != nil {
		t.Fatalf("Schema: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("schema generated from ../.. differs from schema.json (stale, or comments lost with the directory)")
	}
}

func TestGenerate_RefusesAFieldWithoutDocComment(t *testing.T) {
	dir := t.TempDir()
	files, err := filepath.Glob("../../*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no pipeline sources (%v)", err)
	}
	field := ""
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if name, cut, ok := withoutStepFieldDoc(t, f, src); ok {
			field, src = name, cut
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if field == "" {
		t.Fatal("no documented field of Step found in the pipeline sources")
	}
	_, err = Generate(workflows.Default().Catalog(), dir)
	if err == nil || !strings.Contains(err.Error(), "Step."+field) {
		t.Fatalf("Generate with Step.%s undocumented: err = %v, want one naming it", field, err)
	}
	if strings.Contains(err.Error(), "Spec.Name") {
		t.Errorf("Generate lost the comments it was given: %v", err)
	}
}

// withoutStepFieldDoc removes the doc comment of the first documented field
// of type Step, if src declares it.
func withoutStepFieldDoc(t *testing.T, name string, src []byte) (string, []byte, bool) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, spec := range g.Specs {
			ts, ok := spec.(*ast.TypeSpec)
			if !ok || ts.Name.Name != "Step" {
				continue
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			for _, fld := range st.Fields.List {
				if fld.Doc == nil || len(fld.Names) == 0 {
					continue
				}
				from, to := fset.Position(fld.Doc.Pos()).Offset, fset.Position(fld.Doc.End()).Offset
				out := append(append([]byte{}, src[:from]...), src[to:]...)
				return fld.Names[0].Name, out, true
			}
		}
	}
	return "", nil, false
}

func TestUnescapeHTML_RestoresOnlyHTMLEscapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{`"steps.\u003cid\u003e"`, `"steps.<id>"`},
		{`"a \u0026 b"`, `"a & b"`},
		{`"\\u003c"`, `"\\u003c"`}, // an escaped backslash, then text
		{`"\\\u003c"`, `"\\<"`},
		{`"\u00e9 \n"`, `"\u00e9 \n"`},
		{`"ends with \\"`, `"ends with \\"`},
	}
	for _, tt := range tests {
		if got := string(unescapeHTML([]byte(tt.in))); got != tt.want {
			t.Errorf("unescapeHTML(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
