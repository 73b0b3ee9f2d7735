package integration

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/workflows"
)

// racingPipelines is how many pipelines ask for one resource name at once.
const racingPipelines = 10

// Ten pipelines started at the same moment create the same compartment,
// FPP image or IMS copy (one kind at a time, as separate workflows on the
// dev server): each kind ends with one resource, counted through the
// vendor's own list API, and every pipeline succeeds with it as its output.
func TestSameNameRace_PipelinesShareOneResourceAndAllSucceed(t *testing.T) {
	c := dial(t)
	v := newVendors(t)
	queue := t.Name()
	startWorker(t, c, queue, v.activities()...)
	// Each vendor takes a second to act on a create, as a busy one does,
	// so every pipeline's check runs before the first create has landed.
	slow := simkit.Fault{Delay: time.Second}
	v.oci.Sim.Faults().Inject(ocisim.OpCreateCompartment, slow, racingPipelines)
	v.fpp.Sim.Faults().Inject(fppsim.OpImportImage, slow, racingPipelines)
	v.huawei.Sim.Faults().Inject(huaweisim.OpCopyImageInRegion, slow, racingPipelines)

	kinds := []struct {
		name, uses, with, output string
		count                    func(ctx context.Context) (int, string, error)
	}{
		{
			name: "compartment", uses: "oci.create_compartment", output: "compartment_id",
			with: `{parent_compartment_id: ` + ocisim.DemoTenancyID + `, name: race-images, description: Raced for}`,
			count: func(ctx context.Context) (int, string, error) {
				list, err := v.oci.Client.ListCompartments(ctx, ocisim.DemoTenancyID, "race-images")
				if err != nil || len(list) == 0 {
					return 0, "", err
				}
				return len(list), list[0].ID, nil
			},
		},
		{
			name: "fpp-image", uses: "fpp.import_image", output: "image_name",
			with: `{image_name: race_gold, path: /u01/app/oracle/product/19c/dbhome_1}`,
			count: func(ctx context.Context) (int, string, error) {
				jobs, err := v.fpp.Client.ListJobs(ctx)
				if err != nil {
					return 0, "", err
				}
				n := 0
				for _, j := range jobs {
					job, err := v.fpp.Client.GetJob(ctx, j.ID)
					if err != nil {
						return 0, "", err
					}
					if job.ImageName == "race_gold" {
						n++
					}
				}
				if _, found, err := v.fpp.Client.GetImage(ctx, "race_gold"); err != nil || !found {
					return 0, "", fmt.Errorf("image race_gold found %v: %v", found, err)
				}
				return n, "race_gold", nil
			},
		},
		{
			name: "ims-copy", uses: "huawei.copy_image", output: "image_id",
			with: `{image_id: ` + huaweisim.DemoSourceImage + `, name: race-ubuntu}`,
			count: func(ctx context.Context) (int, string, error) {
				list, err := v.huawei.Client.ListImagesByName(ctx, "race-ubuntu")
				if err != nil || len(list) == 0 {
					return 0, "", err
				}
				return len(list), list[0].ID, nil
			},
		},
	}

	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			spec, err := workflows.Default().Catalog().Parse(k.name+".yaml", []byte(fmt.Sprintf("name: race-%s\nsteps:\n  - id: step\n    uses: %s\n    with: %s\n", k.name, k.uses, k.with)))
			if err != nil {
				t.Fatal(err)
			}
			outputs, failed := racePipelines(ctx, t, c, queue, spec, k.output)
			n, id, err := k.count(ctx)
			if err != nil {
				t.Fatalf("count: %v", err)
			}
			t.Logf("%d pipelines, %d failed, %d resources, outputs %v", racingPipelines, failed, n, outputs)
			if n != 1 {
				t.Errorf("%d resources after %d pipelines raced for the name, want 1", n, racingPipelines)
			}
			if failed > 0 || outputs[id] != racingPipelines {
				t.Errorf("pipelines' outputs %v, want all %d succeeded with %s", outputs, racingPipelines, id)
			}
		})
	}
}

// racePipelines starts racingPipelines runs of spec at the same moment and
// waits for them all. It returns how many succeeded with each value of
// output, and how many failed.
func racePipelines(ctx context.Context, t *testing.T, c client.Client, queue string, spec *pipeline.Spec, output string) (map[string]int, int) {
	t.Helper()
	type outcome struct {
		id  string
		res workflows.PipelineResult
		err error
	}
	outcomes := make(chan outcome, racingPipelines)
	var wg sync.WaitGroup
	start := make(chan struct{})
	stamp := time.Now().UnixNano()
	for i := range racingPipelines {
		id := fmt.Sprintf("%s-%d-%d", spec.Name, i, stamp)
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			o := outcome{id: id}
			run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue}, workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec})
			if o.err = err; err == nil {
				o.err = run.Get(ctx, &o.res)
			}
			outcomes <- o
		}()
	}
	close(start)
	wg.Wait()
	close(outcomes)
	outputs, failed := map[string]int{}, 0
	for o := range outcomes {
		if o.err != nil {
			t.Errorf("pipeline %s failed: %v", o.id, o.err)
			failed++
			continue
		}
		st, _ := o.res.Step("step")
		outputs[st.Outputs[output]]++
	}
	return outputs, failed
}
