package archcheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/workflows"
)

// maxFilesNamingAVendor is how many non-test Go files outside a vendor's
// provider package may name it: its declarations (pipeline/<v>.go), its
// activities (activities/<v>.go), its workflow code (workflows/steps_<v>.go)
// and its line in the registry's list.
const maxFilesNamingAVendor = 4

// aliases are the other words a vendor goes by in code: its service's or
// product's name.
var aliases = map[string][]string{"huawei": {"ims"}}

// moduleRoot is the module's directory, two levels above this package.
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatal(err)
	}
	return root
}

// sourceFiles are the module's non-test Go files, relative to root;
// nested modules (a go.mod of their own) and bin/ are not the module's.
func sourceFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || rel == "bin" || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// wordsOf splits an identifier, import path or string into lower-case
// words: at anything not a letter or digit, and at camel-case humps
// ("OCIVendor" is oci, vendor; "ocisim" stays one word).
func wordsOf(s string) []string {
	var words []string
	for _, part := range nonWord.Split(s, -1) {
		start := 0
		for i := 1; i < len(part); i++ {
			prev, cur := part[i-1], part[i]
			lowerToUpper := !isUpper(prev) && isUpper(cur)
			acronymEnd := isUpper(prev) && isUpper(cur) && i+1 < len(part) && isLower(part[i+1])
			if lowerToUpper || acronymEnd {
				words = append(words, strings.ToLower(part[start:i]))
				start = i
			}
		}
		if start < len(part) {
			words = append(words, strings.ToLower(part[start:]))
		}
	}
	return words
}

var nonWord = regexp.MustCompile(`[^A-Za-z0-9]+`)

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
func isLower(c byte) bool { return 'a' <= c && c <= 'z' }

// names reports whether word names the vendor: its name or an alias,
// alone or as a package's name (<name>sim, <name>test).
func names(word string, vendor []string) bool {
	for _, n := range vendor {
		if word == n || strings.HasPrefix(word, n) && slices.Contains([]string{"sim", "test", "s"}, word[len(n):]) {
			return true
		}
	}
	return false
}

// namedIn lists the words of file's code (identifiers, import paths and
// string literals; comments are prose) that name the vendor.
func namedIn(t *testing.T, file string, vendor []string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var hits []string
	ast.Inspect(f, func(n ast.Node) bool {
		var s string
		switch x := n.(type) {
		case *ast.Ident:
			s = x.Name
		case *ast.BasicLit:
			if x.Kind != token.STRING {
				return true
			}
			s = x.Value
		default:
			return true
		}
		words := wordsOf(s)
		for i, w := range words {
			// A brand written in camel case ("ZStack") splits in two.
			if names(w, vendor) || i+1 < len(words) && names(w+words[i+1], vendor) {
				hits = append(hits, s)
				break
			}
		}
		return true
	})
	return hits
}

// TestVendorIsNamedInFewFilesOutsideItsProvider holds issue 8's rule: a
// vendor's whole story is its provider package and a handful of files,
// one per layer, so a contributor reads one vendor in a few files and
// adds one without touching the engine.
func TestVendorIsNamedInFewFilesOutsideItsProvider(t *testing.T) {
	root := moduleRoot(t)
	files := sourceFiles(t, root)
	for _, v := range workflows.Vendors() {
		vendor := append([]string{v.Name}, aliases[v.Name]...)
		var naming []string
		for _, rel := range files {
			if provider, ok := strings.CutPrefix(rel, "providers/"); ok && strings.HasPrefix(provider, v.Name) {
				continue
			}
			if hits := namedIn(t, filepath.Join(root, rel), vendor); len(hits) > 0 {
				naming = append(naming, rel+" ("+clip(hits[0])+")")
			}
		}
		t.Logf("%s is named in %d non-test files outside its provider: %s", v.Name, len(naming), strings.Join(naming, ", "))
		if len(naming) > maxFilesNamingAVendor {
			t.Errorf("%s is named in %d non-test files outside its provider package, at most %d may:\n  %s",
				v.Name, len(naming), maxFilesNamingAVendor, strings.Join(naming, "\n  "))
		}
	}
}

// TestWordsOfSplitsAsCodeNamesThings pins the splitting the rule relies on.
func TestWordsOfSplitsAsCodeNamesThings(t *testing.T) {
	for in, want := range map[string][]string{
		"OCIVendor":            {"oci", "vendor"},
		"JobHuaweiImage":       {"job", "huawei", "image"},
		`"fpp.import_image"`:   {"fpp", "import", "image"},
		"providers/oci/ocisim": {"providers", "oci", "ocisim"},
		"TrimSpace":            {"trim", "space"},
		"IMSCopies":            {"ims", "copies"},
		"zstacksim.DemoImage":  {"zstacksim", "demo", "image"},
	} {
		if got := wordsOf(in); !slices.Equal(got, want) {
			t.Errorf("wordsOf(%q) = %q, want %q", in, got, want)
		}
	}
	if names("claims", []string{"ims"}) || !names("huaweisim", []string{"huawei", "ims"}) || !names("ocitest", []string{"oci"}) {
		t.Error("names matches a vendor inside an unrelated word, or misses a vendor's package")
	}
}

// clip shortens a hit for the test's message.
func clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}
