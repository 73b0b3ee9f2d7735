package testenv

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Build compiles the command in package pkg (e.g.
// "github.com/imagepipe/imagepipe/starter") into the test's temporary
// directory and returns the binary's path, so a test runs what a user
// runs.
func Build(t testing.TB, pkg string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), filepath.Base(pkg))
	if out, err := exec.Command(goTool, "build", "-o", bin, pkg).CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}
