package pipeline

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

const goodSpec = `name: gold-rollout
description: move the gold image into its own compartment
steps:
  - id: compartment
    uses: oci.create_compartment
    with:
      parent_compartment_id: ocid1.tenancy.oc1..aaaa
      name: gold-images
      description: Gold images
      freeform_tags: {team: platform}
  - id: move
    uses: oci.move_image
    with:
      image_id: ocid1.image.oc1..bbbb
      compartment_id: ${{ steps.compartment.outputs.compartment_id }}
`

func TestParse_ValidSpecKeepsStepsInputsAndImplicitDependencies(t *testing.T) {
	spec, err := Parse("gold.yaml", []byte(goodSpec))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if spec.Name != "gold-rollout" || len(spec.Steps) != 2 {
		t.Fatalf("got %+v", spec)
	}
	move := spec.Steps[1]
	if move.Line != 11 {
		t.Errorf("move step line = %d, want 11", move.Line)
	}
	if got := Dependencies(move); !reflect.DeepEqual(got, []string{"compartment"}) {
		t.Errorf("Dependencies(move) = %v, want [compartment]", got)
	}
	tags := spec.Steps[0].With["freeform_tags"].(map[string]any)
	if tags["team"] != "platform" {
		t.Errorf("freeform_tags = %v", tags)
	}
}

func TestParse_ReportsEveryProblemAtOnceWithLines(t *testing.T) {
	bad := `name: Bad_Name
steps:
  - id: a
    uses: oci.create_compartment
    with:
      parent_compartment_id: [not, a, string]
      name: x
      colour: blue
  - id: a
    uses: oci.teleport_image
  - id: b
    uses: oci.move_image
    needs: [ghost]
    with:
      image_id: ${{ steps.nowhere.outputs.image_id }}
      compartment_id: ${{ steps.a.outputs.compartment }}
  - id: c
    uses: oci.move_image
    needs: [d]
    with: {image_id: x, compartment_id: "${{ steps.d.outputs.image_id }}"}
  - id: d
    uses: oci.move_image
    with: {image_id: "${{ steps.c.outputs.image_id }}", compartment_id: "${{ steps.c.outputs.oops"}
`
	_, err := Parse("bad.yaml", []byte(bad))
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Parse error = %v, want Problems", err)
	}
	want := []string{
		`bad.yaml:1:1: name: "Bad_Name": use 1 to 63`,
		`bad.yaml:5:5: step "a": with.description: required input of oci.create_compartment is missing`,
		`bad.yaml:6:7: step "a": with.parent_compartment_id: must be a string`,
		`bad.yaml:8:7: step "a": with.colour: unknown input of oci.create_compartment`,
		`bad.yaml:9:5: step "a": id: duplicate step id (first used by step #1)`,
		`bad.yaml:13:5: step "b": needs: unknown step "ghost"`,
		`bad.yaml:15:7: step "b": with.image_id: reference to unknown step "nowhere"`,
		`bad.yaml:16:7: step "b": with.compartment_id: step "a" (oci.create_compartment) has no output "compartment"`,
		`bad.yaml:17:5: step "c": needs: cycle: c -> d -> c`,
		`bad.yaml:23:57: step "d": with.compartment_id: malformed reference`,
	}
	text := err.Error()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("missing problem %q in:\n%s", w, text)
		}
	}
	if strings.Contains(text, "teleport") && !strings.Contains(text, `unknown action "oci.teleport_image"`) {
		t.Errorf("unknown action not reported clearly:\n%s", text)
	}
}

func TestParse_YAMLSyntaxErrorNamesTheLine(t *testing.T) {
	_, err := Parse("broken.yaml", []byte("name: x\nsteps:\n  - id: a\n    uses: b: c\n"))
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Line != 4 {
		t.Fatalf("got %#v, want one problem on line 4", err)
	}
}

func TestResolve_ReplacesReferencesInsideStringsListsAndMaps(t *testing.T) {
	with := map[string]any{
		"name": "copy-of-${{ steps.import.outputs.image_name }}",
		"tags": []any{"src=${{steps.import.outputs.job_id}}"},
		"meta": map[string]any{"from": "${{ steps.import.outputs.image_name }}"},
	}
	got, err := Resolve(with, Scope{Outputs: map[string]map[string]string{"import": {"image_name": "gold", "job_id": "7"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"name": "copy-of-gold",
		"tags": []any{"src=7"},
		"meta": map[string]any{"from": "gold"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Resolve = %#v, want %#v", got, want)
	}
	if _, err := Resolve(with, Scope{}); err == nil || !strings.Contains(err.Error(), "steps.import.outputs.image_name") {
		t.Fatalf("Resolve without outputs: err = %v, want unresolved reference named", err)
	}
}
