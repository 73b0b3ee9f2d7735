// Package pipeline is the pipeline file: its Go types, its YAML form, its
// validation, and the ${{ steps.<id>.outputs.<field> }} references that
// carry one step's outputs into a later step's inputs.
//
// A pipeline names steps; each step runs one action (a documented vendor
// call, named vendor.verb), takes inputs in `with`, and waits for the steps
// it `needs`. Which actions exist is the Catalog's to say: each vendor
// declares its own (Declare, from typed input and output structs), and the
// engine builds the catalog from its vendor registry (workflows.Vendors).
// A catalog's Parse reports every problem in a file at once, each with its
// file, line and column, so nothing starts until the whole file is right.
//
// The package knows nothing of Temporal: the workflow receives a validated
// Spec as plain data.
package pipeline
