package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// problemsOf parses src and returns its problems, failing the test when
// Parse accepts it.
func problemsOf(t *testing.T, src string) Problems {
	t.Helper()
	spec, err := Parse("limits.yaml", []byte(src))
	if err == nil {
		t.Fatalf("Parse accepted a file that cannot run (%d steps)", len(spec.Steps))
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v, want Problems", err)
	}
	return ps
}

// wantProblem fails unless one of ps is at line:col and says want.
func wantProblem(t *testing.T, ps Problems, line, col int, want string) {
	t.Helper()
	for _, p := range ps {
		if p.Line == line && (col == 0 || p.Column == col) && strings.Contains(p.String(), want) {
			return
		}
	}
	t.Errorf("no problem at %d:%d saying %q in:\n%s", line, col, want, ps.Error())
}

const moveStep = `  - id: move
    uses: oci.move_image
    with: {image_id: ocid1.image.oc1..a, compartment_id: ocid1.compartment.oc1..b}
`

func TestParse_TenThousandStepsIsALocatedError(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: huge\nsteps:\n")
	for i := range 10000 {
		fmt.Fprintf(&b, "  - {id: s%d, uses: imagepipe.approval}\n", i)
	}
	// At about 40 bytes a step the file is past the size cap first.
	ps := problemsOf(t, b.String())
	wantProblem(t, ps, 6270, 23, "the file is larger than 262144 bytes")

	// Built in code, as the workflow receives it, it is past the unit cap.
	spec := &Spec{Name: "huge"}
	for i := range 10000 {
		spec.Steps = append(spec.Steps, Step{ID: fmt.Sprintf("s%d", i), Uses: ActionApproval})
	}
	err := Validate(spec)
	if err == nil || !strings.Contains(err.Error(), "steps: 10000 steps and fan-out items; a pipeline runs at most 100") {
		t.Errorf("Validate = %v", err)
	}
}

func TestParse_MoreStepsAndItemsThanTheCapIsALocatedError(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: big\nsteps:\n  - {id: first, uses: imagepipe.approval}\n")
	for i := range 100 {
		fmt.Fprintf(&b, "  - {id: s%d, uses: imagepipe.approval}\n", i)
	}
	ps := problemsOf(t, b.String())
	wantProblem(t, ps, 2, 1, "steps: 101 steps and fan-out items; a pipeline runs at most 100")
}

func TestParse_FanOutOfTenThousandItemsIsALocatedError(t *testing.T) {
	items := make([]string, 10000)
	for i := range items {
		items[i] = fmt.Sprintf("gold-%d", i)
	}
	ps := problemsOf(t, `name: wide
steps:
  - id: copy
    uses: huawei.copy_image
    for_each: [`+strings.Join(items, ", ")+`]
    with: {image_id: src, name: "${{ item }}"}
`)
	wantProblem(t, ps, 5, 5, `step "copy": for_each: 10000 items; a pipeline runs at most 100 steps and fan-out items`)
}

func TestParse_MaxAttemptsOutOfRangeIsALocatedError(t *testing.T) {
	// 2147483648 wrapped to a negative int32; 4294967297 became 1.
	for _, n := range []string{"2147483648", "4294967297", "99999999999999999999", "101"} {
		t.Run(n, func(t *testing.T) {
			ps := problemsOf(t, "name: retry\nsteps:\n"+moveStep+"    retry: {max_attempts: "+n+"}\n")
			wantProblem(t, ps, 6, 27, `step "move": retry.max_attempts: `+n+` is more than 100`)
		})
	}
}

func TestParse_IntegersOutOfRangeAreLocatedErrors(t *testing.T) {
	ps := problemsOf(t, `name: ints
concurrency: {oci: 9223372036854775808}
steps:
`+moveStep+`    max_parallel: 18446744073709551616
`)
	wantProblem(t, ps, 2, 20, "concurrency.oci: 9223372036854775808 is more than 100")
	wantProblem(t, ps, 7, 19, `step "move": max_parallel: 18446744073709551616 is more than 100`)
}

func TestParse_ItemTooLongForTemporalIDsIsALocatedError(t *testing.T) {
	long := strings.Repeat("a", 2000)
	ps := problemsOf(t, `name: long-item
steps:
  - id: attrs
    uses: zstack.update_image
    for_each: [short, `+long+`]
    with: {image_uuid: "${{ item }}"}
`)
	wantProblem(t, ps, 5, 23, `step "attrs": for_each[1]: the item names its activities and child workflows and is 2000 bytes; at most 255`)
}

func TestParseFile_FiftyMegabyteDescriptionIsALocatedError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	body := "name: big\ndescription: " + strings.Repeat("d", 50<<20) + "\nsteps:\n" + moveStep
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ParseFile(path)
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v, want Problems", err)
	}
	wantProblem(t, ps, 2, 0, "the file is larger than 262144 bytes")
	if !strings.HasPrefix(ps[0].String(), path+":2:") {
		t.Errorf("problem %q does not start with the file and line", ps[0])
	}
}

func TestParse_DescriptionTooLongForTheWorkflowSummaryIsALocatedError(t *testing.T) {
	ps := problemsOf(t, "name: desc\ndescription: "+strings.Repeat("<", 100)+"\nsteps:\n"+moveStep)
	wantProblem(t, ps, 2, 1, "description: 602 bytes once encoded for the workflow summary; at most 360")
}

func TestParse_RetryIntervalsTemporalRefusesAreLocatedErrors(t *testing.T) {
	// Alone, each override meets the other's default: 5m is past the
	// default max_interval (1m), 500ms under the default initial_interval (1s).
	ps := problemsOf(t, `name: intervals
steps:
  - id: a
    uses: imagepipe.approval
    retry: {initial_interval: 5m}
  - id: b
    uses: imagepipe.approval
    retry: {max_interval: 1s, initial_interval: 100ms}
`)
	wantProblem(t, ps, 5, 13, `step "a": retry.initial_interval: 5m0s is longer than the default max_interval 1m0s`)
	wantProblem(t, ps, 8, 49, `step "b": retry.initial_interval: 100ms is shorter than 1s`)
}

func TestParse_SecondYAMLDocumentIsAnError(t *testing.T) {
	ps := problemsOf(t, "name: one\nsteps:\n"+moveStep+"---\nname: two\nsteps:\n"+moveStep)
	wantProblem(t, ps, 6, 1, "a second YAML document")
}

func TestParse_InvalidUTF8IsLocated(t *testing.T) {
	ps := problemsOf(t, "name: utf\nsteps:\n"+moveStep+"    timeout: \"1h\xff\"\n")
	wantProblem(t, ps, 6, 17, "byte 0xff at offset 154 is not UTF-8")
}

func TestParse_BinaryInputIsLocated(t *testing.T) {
	ps := problemsOf(t, "\x7fELF\x02\x01\x01\x00\x00\x00")
	wantProblem(t, ps, 1, 1, "control character U+007F")
}

func TestParse_ControlCharacterInAValueIsLocated(t *testing.T) {
	ps := problemsOf(t, "name: ctl\nsteps:\n"+moveStep+"    timeout: \"1h\\u0000\"\n")
	wantProblem(t, ps, 6, 14, `step "move": timeout: control character U+0000`)
}

func TestParse_EveryProblemHasALine(t *testing.T) {
	for _, src := range []string{
		"",
		"# only a comment\n",
		"name: x\n",
		"[a, b]\n",
		"name: x\nsteps:\n  - id: a\n    uses: oci.move_image\n",
		"name: x\nsteps:\n  - {}\n",
		"name: x\nsteps: [{id: a, uses: huawei.copy_image, for_each: []}]\n",
		"a: *nope\n",
		"name: x\nsteps:\n  - id: a\n    uses: oci.move_image\n    with: {image_id: \"${{ steps.b.outputs }}\"}\n",
	} {
		_, err := Parse("f.yaml", []byte(src))
		var ps Problems
		if !errors.As(err, &ps) {
			t.Errorf("%q: err = %v, want Problems", src, err)
			continue
		}
		for _, p := range ps {
			if p.Line < 1 || p.Column < 1 {
				t.Errorf("%q: problem without a position: %s", src, p)
			}
		}
	}
}

func TestResolve_MalformedReferenceIsAnErrorNotText(t *testing.T) {
	_, err := Resolve(map[string]any{"name": "gold-${{ steps.a.outputs }}"}, Scope{})
	if err == nil || !strings.Contains(err.Error(), "malformed reference") {
		t.Fatalf("Resolve = %v, want the malformed reference refused", err)
	}
}
