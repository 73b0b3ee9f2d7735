package main

import (
	"fmt"
	"io"

	"github.com/imagepipe/imagepipe/pipeline"
)

// cmdSchema prints the JSON Schema of pipeline files, for an editor to
// complete and check them: save it beside the pipelines and name it in a
// file's first line, # yaml-language-server: $schema=pipeline.schema.json.
func cmdSchema(args []string, stdout io.Writer) error {
	fs := newFlags("schema")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("schema: takes no arguments, got %q", fs.Args())}
	}
	b, err := pipeline.Schema()
	if err != nil {
		return err
	}
	if _, err := stdout.Write(b); err != nil {
		return fmt.Errorf("write schema: %w", err)
	}
	return nil
}
