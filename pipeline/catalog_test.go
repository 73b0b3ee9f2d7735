package pipeline

// The package's own tests parse with the catalog of the built-in vendors'
// declarations; the engine builds the same one from its vendor registry
// (workflows.Vendors), whose tests check that it lists these.
var builtin = func() *Catalog {
	c, err := NewCatalog(FPPImportImage, HuaweiCopyImage, ZStackUpdateImage, OCICreateCompartment, OCIMoveImage)
	if err != nil {
		panic(err)
	}
	return c
}()

func Parse(file string, data []byte) (*Spec, error)      { return builtin.Parse(file, data) }
func ParseFile(path string) (*Spec, error)               { return builtin.ParseFile(path) }
func Validate(s *Spec) error                             { return builtin.Validate(s) }
func CheckInputs(uses string, with map[string]any) error { return builtin.CheckInputs(uses, with) }
func Actions() []Action                                  { return builtin.Actions() }
