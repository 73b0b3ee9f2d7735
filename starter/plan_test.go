package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/workflows"
)

// ociMutations counts the OCI emulator's mutating calls.
func ociMutations(s *ocisim.Server) int {
	return s.Calls(ocisim.OpCreateCompartment) + s.Calls(ocisim.OpChangeImageCompartment)
}

// planVerbs runs plan --json and returns each step's verb.
func planVerbs(t *testing.T, file string) (map[string]workflows.StepPlan, int) {
	t.Helper()
	code, out, errOut := starter(t, "plan", "-f", file, "--json")
	var res struct {
		workflows.PlanResult
		WouldFail []string `json:"would_fail"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("plan --json: exit %d, not JSON (%v):\n%s\n%s", code, err, out, errOut)
	}
	steps := map[string]workflows.StepPlan{}
	for _, s := range res.Steps {
		steps[s.ID] = s
	}
	return steps, code
}

// Against the emulator a fresh pipeline plans a create and a move to a
// compartment known after apply; after `starter run` of the same file it
// plans a reuse of that compartment and nothing to do for the image. The
// emulator records no mutating call from either plan: only its list and
// get.
func TestPlan_CreatesFirstThenReusesAfterARunWithoutMutatingCalls(t *testing.T) {
	o := stack(t)
	const file = "../examples/oci-move.yaml"
	code, out, errOut := starter(t, "plan", "-f", file)
	if code != exitOK {
		t.Fatalf("plan: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"plan of pipeline oci-move", "+ compartment", "create compartment gold-images in " + ocisim.DemoTenancyID,
		"→ move", "from " + ocisim.DemoTenancyID + " to " + workflows.KnownAfterApply, "plan: 1 create, 1 move."} {
		if !strings.Contains(out, want) {
			t.Errorf("first plan lacks %q:\n%s", want, out)
		}
	}
	t.Logf("first plan:\n%s", out)
	if n := ociMutations(o.Sim); n != 0 {
		t.Fatalf("the plan made %d mutating calls", n)
	}
	if o.Sim.Calls(ocisim.OpListCompartments) == 0 || o.Sim.Calls(ocisim.OpGetImage) == 0 {
		t.Errorf("the plan did not look: %d ListCompartments, %d GetImage", o.Sim.Calls(ocisim.OpListCompartments), o.Sim.Calls(ocisim.OpGetImage))
	}

	if code, out, errOut := starter(t, "run", "-f", file); code != exitOK {
		t.Fatalf("run: exit %d\n%s\n%s", code, out, errOut)
	}
	ran := ociMutations(o.Sim)
	steps, code := planVerbs(t, file)
	if code != exitOK {
		t.Fatalf("second plan: exit %d", code)
	}
	comp, move := steps["compartment"], steps["move"]
	if comp.Verb != workflows.PlanReuse || !strings.HasPrefix(comp.Resource, "ocid1.compartment.") {
		t.Errorf("after the run, compartment plans %q of %q (%s), want a reuse of the compartment the run made", comp.Verb, comp.Resource, comp.Summary)
	}
	if move.Verb != workflows.PlanNothing || !strings.Contains(move.Summary, "already in "+comp.Resource) {
		t.Errorf("after the run, move plans %q (%s), want nothing to do: the image is in %s", move.Verb, move.Summary, comp.Resource)
	}
	code, out, _ = starter(t, "plan", "-f", file)
	t.Logf("second plan:\n%s", out)
	if code != exitOK || !strings.Contains(out, "= compartment") || !strings.Contains(out, "nothing to do") {
		t.Errorf("second plan's table: exit %d\n%s", code, out)
	}
	if n := ociMutations(o.Sim); n != ran {
		t.Errorf("the plans after the run made %d mutating calls", n-ran)
	}
}

// A missing image plans "would fail" with OCI's code, and plan exits 1;
// a bad file exits 2 with the located problem and plans nothing.
func TestPlan_MissingImageWouldFailExitsOneAndBadFileExitsTwo(t *testing.T) {
	o := stack(t)
	spec := strings.ReplaceAll(readFile(t, "../examples/oci-move.yaml"), ocisim.DemoImageID, "ocid1.image.oc1.iad.aaaaaaaanosuchimage")
	code, out, errOut := starter(t, "plan", "-f", writeFile(t, spec))
	if code != exitFailed {
		t.Fatalf("plan of a missing image: exit %d, want %d\n%s\n%s", code, exitFailed, out, errOut)
	}
	for _, want := range []string{"! move", "would fail", "oci.NotAuthorizedOrNotFound", "404"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
	t.Logf("failing plan:\n%s%s", out, errOut)
	if !strings.Contains(errOut, "1 step(s) would fail: move") {
		t.Errorf("stderr does not say which step would fail: %q", errOut)
	}
	bad := strings.Replace(spec, "uses: oci.move_image", "uses: oci.move_imag", 1)
	code, out, errOut = starter(t, "plan", "-f", writeFile(t, bad))
	if code != exitUsage || !strings.Contains(errOut, "oci.move_imag") || !strings.Contains(errOut, ":") || out != "" {
		t.Errorf("plan of a bad file: exit %d, stdout %q, stderr %q; want %d naming the line", code, out, errOut, exitUsage)
	}
	if n := ociMutations(o.Sim); n != 0 {
		t.Errorf("the plans made %d mutating calls", n)
	}
}
