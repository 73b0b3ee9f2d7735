package archcheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/workflows"
)

// registryNames are the names the registry dispatches on: every vendor's,
// action's and job kind's.
func registryNames() map[string]string {
	names := map[string]string{}
	for _, v := range workflows.Vendors() {
		names[v.Name] = "vendor " + v.Name
		for _, a := range v.Actions {
			names[a.Declaration().Name] = "action " + a.Declaration().Name
		}
		for _, j := range v.Jobs {
			names[j.Kind] = "job kind " + j.Kind
		}
	}
	return names
}

// stringConsts are the module's string constants by name, so a case on
// JobFPP is seen as a case on its value.
func stringConsts(t *testing.T, root string, files []string) map[string]string {
	t.Helper()
	consts := map[string]string{}
	for _, rel := range files {
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(root, rel), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							consts[n.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			}
		}
	}
	return consts
}

// TestEngineDoesNotDispatchOnRegistryNames holds issue 8's rule that
// workflows/ and activities/ hold no switch over actions, job kinds or
// vendors: the engine looks them up in the registry, so a new vendor adds
// no case anywhere.
func TestEngineDoesNotDispatchOnRegistryNames(t *testing.T) {
	root := moduleRoot(t)
	files := sourceFiles(t, root)
	names := registryNames()
	consts := stringConsts(t, root, files)
	valueOf := func(e ast.Expr) (string, bool) {
		switch x := e.(type) {
		case *ast.BasicLit:
			if x.Kind == token.STRING {
				v, err := strconv.Unquote(x.Value)
				return v, err == nil
			}
		case *ast.Ident:
			v, ok := consts[x.Name]
			return v, ok
		case *ast.SelectorExpr:
			v, ok := consts[x.Sel.Name]
			return v, ok
		}
		return "", false
	}
	for _, rel := range files {
		if !strings.HasPrefix(rel, "workflows/") && !strings.HasPrefix(rel, "activities/") {
			continue
		}
		fs := token.NewFileSet()
		f, err := parser.ParseFile(fs, filepath.Join(root, rel), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		report := func(pos token.Pos, e ast.Expr) {
			if v, ok := valueOf(e); ok {
				if what, ok := names[v]; ok {
					t.Errorf("%s: the engine dispatches on %s; look it up in the registry instead", fs.Position(pos), what)
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CaseClause:
				for _, e := range x.List {
					report(e.Pos(), e)
				}
			case *ast.BinaryExpr:
				if x.Op == token.EQL || x.Op == token.NEQ {
					report(x.Pos(), x.X)
					report(x.Pos(), x.Y)
				}
			}
			return true
		})
	}
}
