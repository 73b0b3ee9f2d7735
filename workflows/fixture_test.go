package workflows_test

import (
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/workflows"
)

const (
	tenancyID = "ocid1.tenancy.oc1..aaaaaaaatesttenancy"
	imageID   = "ocid1.image.oc1.iad.aaaaaaaatestimage"
)

// fixture is a time-skipping workflow environment whose activities are the
// real ones, calling the vendor emulators over HTTP; the emulators read the
// environment's clock, so vendor jobs finish in workflow time.
type fixture struct {
	env    *testsuite.TestWorkflowEnvironment
	oci    *ocisim.Server
	client *oci.Client
}

func newFixture(t *testing.T, activation time.Duration) *fixture {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	o := testenv.NewOCI(t, ocisim.Options{
		Clock:           simkit.Clock(env.Now),
		ActivationDelay: activation,
		TenancyID:       tenancyID,
		Images:          []ocisim.Image{{ID: imageID, CompartmentID: tenancyID, DisplayName: "gold"}},
	})
	workflows.Register(env, &activities.Activities{OCI: o.Client})
	return &fixture{env: env, oci: o.Sim, client: o.Client}
}

// rolloutSpec is the walking-skeleton pipeline: ensure a compartment, move
// the image into it.
func rolloutSpec(t *testing.T) pipeline.Spec {
	t.Helper()
	spec, err := pipeline.Parse("rollout.yaml", []byte(`name: rollout
steps:
  - id: compartment
    uses: oci.create_compartment
    with:
      parent_compartment_id: `+tenancyID+`
      name: gold-images
      description: Gold images ready for release
  - id: move
    uses: oci.move_image
    with:
      image_id: `+imageID+`
      compartment_id: ${{ steps.compartment.outputs.compartment_id }}
`))
	if err != nil {
		t.Fatal(err)
	}
	return *spec
}

func (f *fixture) run(t *testing.T, spec pipeline.Spec) (workflows.PipelineResult, error) {
	t.Helper()
	f.env.ExecuteWorkflow(workflows.ImagePipeline, workflows.PipelineInput{Spec: spec})
	if !f.env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete")
	}
	var res workflows.PipelineResult
	err := f.env.GetWorkflowError()
	if err == nil {
		if gerr := f.env.GetWorkflowResult(&res); gerr != nil {
			t.Fatal(gerr)
		}
	}
	return res, err
}
