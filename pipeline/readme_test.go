package pipeline_test

import (
	"os"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/workflows"
)

// The README's action table shows each action's inputs (required ones in
// bold) and outputs as the actions' typed structs declare them: one row per
// action of the default vendors, no row for an action that does not exist.
func TestREADME_ActionTableFollowsTheDeclarations(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 4 {
			continue
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows[strings.Trim(cells[0], "`")] = cells
	}
	for _, a := range workflows.Default().Catalog().Actions() {
		row, ok := rows[a.Name]
		if !ok {
			t.Errorf("README has no row for %s", a.Name)
			continue
		}
		delete(rows, a.Name)
		if want := readmeInputs(a); row[2] != want {
			t.Errorf("README inputs of %s = %q, want %q", a.Name, row[2], want)
		}
		if want := strings.Join(a.Outputs, ", "); row[3] != want {
			t.Errorf("README outputs of %s = %q, want %q", a.Name, row[3], want)
		}
	}
	for name := range rows {
		t.Errorf("README lists %s, which no vendor declares", name)
	}
}

func readmeInputs(a pipeline.Action) string {
	var names []string
	for _, in := range a.Inputs {
		if in.Required {
			names = append(names, "**"+in.Name+"**")
		} else {
			names = append(names, in.Name)
		}
	}
	return strings.Join(names, ", ")
}
