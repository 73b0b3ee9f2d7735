package bench

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/demo"
	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/workflows"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// A pipeline of its own per run: a compartment named after the run, and an
// update of the ZStack image: two vendors, five activities, two job waits.
const throughputSpec = `name: bench
steps:
  - id: compartment
    uses: oci.create_compartment
    with: {parent_compartment_id: ` + demo.OCITenancyID + `, name: "c-${{ run.id }}", description: bench}
  - id: attributes
    uses: zstack.update_image
    with: {image_uuid: ` + demo.ZStackImage + `, description: "touched by ${{ run.id }}"}
`

// BenchmarkPipelines_OnTheDevServer runs b.N pipelines at once against the
// emulators and reports pipelines a second and history events a pipeline
// (its own and its job waits').
func BenchmarkPipelines_OnTheDevServer(b *testing.B) {
	timing := demo.Timing{Activation: time.Millisecond, Job: time.Millisecond}
	acts := []any{
		&activities.OCI{Client: testenv.NewOCI(b, demo.OCI(timing), nil).Client},
		&activities.ZStack{Client: testenv.NewZStack(b, demo.ZStack(timing), nil).Client},
	}
	c := testenv.Dial(b)
	queue := fmt.Sprintf("bench-%d", time.Now().UnixNano())
	testenv.StartWorker(b, c, queue, acts...)
	spec, err := workflows.Default().Catalog().Parse("bench.yaml", []byte(throughputSpec))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	ids := make([]string, b.N)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, b.N)
	for i := range b.N {
		ids[i] = fmt.Sprintf("%s-%d", queue, i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: ids[i], TaskQueue: queue}, workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec})
			if err == nil {
				err = run.Get(ctx, nil)
			}
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "pipelines/s")
	b.ReportMetric(float64(eventsOf(ctx, b, c, ids[0])), "events/pipeline")
}

// eventsOf counts the events of a pipeline and its job waits.
func eventsOf(ctx context.Context, b *testing.B, c client.Client, id string) int {
	n := 0
	queue := []string{id}
	for len(queue) > 0 {
		wid := queue[0]
		queue = queue[1:]
		it := c.GetWorkflowHistory(ctx, wid, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				b.Fatal(err)
			}
			n++
			if a := ev.GetChildWorkflowExecutionStartedEventAttributes(); a != nil {
				queue = append(queue, a.GetWorkflowExecution().GetWorkflowId())
			}
		}
	}
	return n
}
