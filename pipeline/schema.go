package pipeline

import (
	_ "embed" // schema.json is served by Schema
	"encoding/json"
	"errors"
	"slices"
)

//go:generate go run ./internal/genschema/cmd -o schema.json

// SchemaID is the $id of the pipeline file schema. Editors find the schema
// through a comment at the top of the pipeline file, naming a copy of it
// (starter schema > pipeline.schema.json) or a URL:
//
//	# yaml-language-server: $schema=pipeline.schema.json
const SchemaID = "https://imagepipe.dev/schema/pipeline.json"

// schemaJSON is generated from this package's types, doc comments and the
// default vendors' actions by internal/genschema; a test fails when it is
// stale.
//
//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema (draft 2020-12) of pipeline files,
// indented, for editors to complete and check them. It covers the file's
// shape, each action's inputs and the vendors' names; what needs the whole
// file (references to other steps, cycles) only Parse checks.
func Schema() ([]byte, error) {
	// A schema.json broken by hand or by a merge would otherwise reach
	// editors as a confusing load failure.
	if !json.Valid(schemaJSON) {
		return nil, errors.New("pipeline: schema.json is not valid JSON; regenerate it with go generate ./pipeline")
	}
	return slices.Clone(schemaJSON), nil
}
