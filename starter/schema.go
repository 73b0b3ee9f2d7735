package main

import (
	"fmt"
	"io"

	"github.com/imagepipe/imagepipe/pipeline"
)

// cmdSchema prints the JSON Schema of pipeline files, for an editor to
// complete and check them: save it beside the pipelines and name it in a
// file's first line, # yaml-language-server: $schema=pipeline.schema.json.
func cmdSchema(stdout io.Writer) error {
	b, err := pipeline.Schema()
	if err != nil {
		return err
	}
	if _, err := stdout.Write(b); err != nil {
		return fmt.Errorf("write schema: %w", err)
	}
	return nil
}
