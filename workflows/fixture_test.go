package workflows_test

import (
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/fpp/fpptest"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweitest"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/oci/ocitest"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacktest"
	"github.com/imagepipe/imagepipe/workflows"
)

const (
	tenancyID    = "ocid1.tenancy.oc1..aaaaaaaatesttenancy"
	imageID      = "ocid1.image.oc1.iad.aaaaaaaatestimage"
	sourceImage  = "8d6a3b0e-5b8f-4c39-9a53-2f0e6f1c7a11"
	zstackImage  = "6b0d3f4c2a1e4f0b9c8d7e6f5a4b3c2d"
	zstackBefore = "gold-centos"
)

// fixture is a time-skipping workflow environment whose activities are the
// real ones, calling the four vendor emulators over HTTP; the emulators read
// the environment's clock, so vendor jobs finish in workflow time.
type fixture struct {
	env    *testsuite.TestWorkflowEnvironment
	oci    *ocitest.OCI
	fpp    *fpptest.FPP
	huawei *huaweitest.Huawei
	zstack *zstacktest.ZStack
	// kernels are the emulators' kernels by vendor name, where tests inject
	// faults and count calls.
	kernels map[string]*simkit.Kernel
	later   atomic.Int64 // how far the vendors' clocks run ahead of the workflow's, in ns
}

// options shape the vendors of a fixture.
type options struct {
	activation  time.Duration           // OCI compartment CREATING -> ACTIVE
	jobDuration time.Duration           // FPP, IMS and ZStack jobs
	wrap        map[string]testenv.Wrap // per vendor: "oci", "fpp", "huawei", "zstack"
	imsMaxJobs  int                     // IMS's own limit on concurrent copies; 0: none
	metrics     client.MetricsHandler   // where the workflows' and activities' metrics go; nil: nowhere
}

func newFixture(t *testing.T, o options) *fixture {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	// The real activities log every expected retry; keep failures readable.
	suite.SetLogger(log.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	if o.metrics != nil {
		suite.SetMetricsHandler(o.metrics)
	}
	env := suite.NewTestWorkflowEnvironment()
	f := &fixture{env: env}
	clock := simkit.Clock(func() time.Time { return env.Now().Add(time.Duration(f.later.Load())) })
	if o.jobDuration == 0 {
		o.jobDuration = time.Minute
	}
	f.oci = ocitest.New(t, ocisim.Options{
		Clock: clock, ActivationDelay: o.activation, TenancyID: tenancyID,
		Images: []ocisim.Image{{ID: imageID, CompartmentID: tenancyID, DisplayName: "gold"}},
	}, o.wrap["oci"])
	f.fpp = fpptest.New(t, fppsim.Options{Clock: clock, JobDuration: o.jobDuration}, o.wrap["fpp"])
	f.huawei = huaweitest.New(t, huaweisim.Options{
		Clock: clock, JobDuration: o.jobDuration, MaxConcurrentCopies: o.imsMaxJobs,
		Images: []huaweisim.Image{{ID: sourceImage, Name: "gold-ubuntu-22.04"}},
	}, o.wrap["huawei"])
	f.zstack = zstacktest.New(t, zstacksim.Options{
		Clock: clock, JobDuration: o.jobDuration,
		Images: []zstacksim.Image{{UUID: zstackImage, Name: zstackBefore, Platform: "Linux", Architecture: "x86_64", GuestOSType: "CentOS 7"}},
	}, o.wrap["zstack"])
	f.kernels = map[string]*simkit.Kernel{
		"oci": &f.oci.Sim.Kernel, "fpp": &f.fpp.Sim.Kernel, "huawei": &f.huawei.Sim.Kernel, "zstack": &f.zstack.Sim.Kernel,
	}
	workflows.Register(env, workflows.Default(),
		&activities.OCI{Client: f.oci.Client}, &activities.FPP{Client: f.fpp.Client},
		&activities.Huawei{Client: f.huawei.Client}, &activities.ZStack{Client: f.zstack.Client})
	return f
}

func parse(t *testing.T, yaml string) pipeline.Spec {
	t.Helper()
	spec, err := workflows.Default().Catalog().Parse("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return *spec
}

// rolloutSpec is the walking-skeleton pipeline: ensure a compartment, move
// the image into it.
func rolloutSpec(t *testing.T) pipeline.Spec {
	return parse(t, `name: rollout
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
`)
}

// wait lets d pass on the vendors' clocks after the pipeline ended, so a
// job it left running finishes and shows what it did.
func (f *fixture) wait(d time.Duration) { f.later.Add(int64(d)) }

// at runs fn after d of workflow time.
func (f *fixture) at(d time.Duration, fn func()) { f.env.RegisterDelayedCallback(fn, d) }

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

func importInput() fpp.ImportImageInput {
	return fpp.ImportImageInput{ImageName: "db19_gold", Path: "/u01/db"}
}

// awaitJobChildren makes the fixture's pipelines wait for jobs as those
// started before workflows.JobWaitActivityChange do, with AwaitJob
// children: recorded pipelines still run so. Such pipelines predate
// workflows.EngineChange too, and ask each change on its own.
func (f *fixture) awaitJobChildren() {
	f.env.OnGetVersion(workflows.EngineChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	f.env.OnGetVersion(workflows.JobWaitActivityChange, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
}
