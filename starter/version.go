package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// buildInfo reads the module version and VCS stamp the go command embeds
// in the binary, so a report can name exactly what ran.
var buildInfo = debug.ReadBuildInfo

// cmdVersion prints the starter's module path and version, the commit it
// was built from (with +dirty when the tree had changes) and the Go version.
func cmdVersion(args []string, stdout io.Writer) error {
	fs := newFlags("version")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	info, ok := buildInfo()
	if !ok {
		fmt.Fprintln(stdout, "starter: no build information (built without module support)")
		return nil
	}
	var rev, at string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	fmt.Fprintf(stdout, "starter %s %s\n", info.Main.Path, version)
	switch {
	case rev == "":
		fmt.Fprintln(stdout, "commit: unknown (go build stamps it only in a git clone, not a worktree, and not with -buildvcs=false)")
	case dirty:
		fmt.Fprintf(stdout, "commit: %s+dirty (%s)\n", rev, at)
	default:
		fmt.Fprintf(stdout, "commit: %s (%s)\n", rev, at)
	}
	fmt.Fprintf(stdout, "go: %s\n", info.GoVersion)
	return nil
}
