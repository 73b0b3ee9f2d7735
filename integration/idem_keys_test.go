package integration

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/oci/ocitest"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacktest"
	"github.com/imagepipe/imagepipe/workflows"
)

// keyLog records the idempotency keys a client sends (ZStack's X-Job-UUID,
// OCI's opc-retry-token), as the vendor receives them.
type keyLog struct {
	mu   sync.Mutex
	keys []string
}

func (l *keyLog) wrap() testenv.Wrap {
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			for _, h := range []string{"X-Job-UUID", "opc-retry-token"} {
				if k := r.Header.Get(h); k != "" {
					l.mu.Lock()
					l.keys = append(l.keys, k)
					l.mu.Unlock()
				}
			}
			return next.RoundTrip(r)
		})
	}
}

// distinct is every key sent so far, once each, sorted.
func (l *keyLog) distinct() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := slices.Clone(l.keys)
	slices.Sort(out)
	return slices.Compact(out)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// keyedVendors are the OCI and ZStack emulators with the demo data, their
// clients logging the keys they send.
type keyedVendors struct {
	oci    *ocitest.OCI
	zstack *zstacktest.ZStack
	keys   keyLog
}

func newKeyedVendors(t *testing.T) *keyedVendors {
	t.Helper()
	timing := simkit.Timing{Activation: 1500 * time.Millisecond, Job: 2 * time.Second}
	v := &keyedVendors{}
	v.oci = ocitest.New(t, ocisim.Demo(timing), v.keys.wrap())
	v.zstack = zstacktest.New(t, zstacksim.Demo(timing), v.keys.wrap())
	return v
}

// runPipeline runs yaml as workflow id on queue and waits for its end.
func runPipeline(ctx context.Context, t *testing.T, c client.Client, queue, id, yaml string) (client.WorkflowRun, error) {
	t.Helper()
	spec := parseSpec(t, "idem.yaml", yaml)
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue}, workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec})
	if err != nil {
		t.Fatal(err)
	}
	return run, run.Get(ctx, nil)
}

// keyedRun is a worker of its own on the keyed vendors, and the workflow
// ID its test runs a pipeline under, more than once.
type keyedRun struct {
	ctx   context.Context // ends with the test, within two minutes
	c     client.Client
	v     *keyedVendors
	queue string
	id    string
}

// startKeyed starts a worker on new keyed vendors and picks the ID of a
// pipeline named name.
func startKeyed(t *testing.T, name string) *keyedRun {
	t.Helper()
	k := &keyedRun{c: dial(t), v: newKeyedVendors(t), queue: t.Name(), id: workflows.WorkflowID(name, time.Now())}
	startWorker(t, k.c, k.queue, &activities.OCI{Client: k.v.oci.Client}, &activities.ZStack{Client: k.v.zstack.Client})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	k.ctx = ctx
	return k
}

// run runs yaml as the pipeline k.id and waits for its end.
func (k *keyedRun) run(t *testing.T, yaml string) (client.WorkflowRun, error) {
	t.Helper()
	return runPipeline(k.ctx, t, k.c, k.queue, k.id, yaml)
}

// keyedSteps is the pipeline name whose steps each send a key: a ZStack
// update to description, and an OCI compartment created under the
// tenancy, as compartment described as compartmentDescription.
func keyedSteps(name, description, compartment, compartmentDescription string) string {
	return `name: ` + name + `
steps:
  - id: attributes
    uses: zstack.update_image
    with: {image_uuid: ` + zstacksim.DemoImage + `, description: "` + description + `"}
  - id: compartment
    uses: oci.create_compartment
    with: {parent_compartment_id: ` + ocisim.DemoTenancyID + `, name: ` + compartment + `, description: ` + compartmentDescription + `}
`
}
