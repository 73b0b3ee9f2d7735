// Command cmd writes the pipeline file schema (see package genschema) for
// the actions of the default vendors (workflows.Vendors). It is
// run by go generate in the pipeline directory:
//
//	go run ./internal/genschema/cmd -o schema.json
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/imagepipe/imagepipe/pipeline/internal/genschema"
	"github.com/imagepipe/imagepipe/workflows"
)

func main() {
	out := flag.String("o", "schema.json", "file to write")
	src := flag.String("src", ".", "directory of package pipeline's Go files, for their doc comments")
	flag.Parse()
	b, err := genschema.Generate(workflows.Default().Catalog(), *src)
	if err == nil {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genschema:", err)
		os.Exit(1)
	}
}
