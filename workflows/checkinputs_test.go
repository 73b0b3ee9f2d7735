package workflows_test

import (
	"strings"
	"testing"

	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
)

// TestImagePipeline_ResolvedInputTheVendorRefusesFailsBeforeAnyCall proves
// that a value validate could not know (here the run's ID) is checked
// against the vendor's rules once resolved: the step fails naming the input,
// and nothing reaches the vendor.
func TestImagePipeline_ResolvedInputTheVendorRefusesFailsBeforeAnyCall(t *testing.T) {
	f := newFixture(t, options{})
	f.env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: "nightly build #7"})
	_, err := f.run(t, parse(t, `name: named-by-run
steps:
  - id: compartment
    uses: oci.create_compartment
    with:
      parent_compartment_id: `+tenancyID+`
      name: gold-${{ run.id }}
      description: named after the run
`))
	if err == nil {
		t.Fatal("pipeline succeeded with a compartment name OCI refuses")
	}
	if msg := err.Error(); !strings.Contains(msg, `step "compartment"`) || !strings.Contains(msg, "name") {
		t.Errorf("error = %q, want it to name the step and the input", msg)
	}
	for _, op := range []string{ocisim.OpListCompartments, ocisim.OpCreateCompartment} {
		if n := f.oci.Sim.Calls(op); n != 0 {
			t.Errorf("%s reached OCI %d times; the input should have been refused first", op, n)
		}
	}
}
