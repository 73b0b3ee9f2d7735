package workflows_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/workflows"
)

// racers is how many creators of one name run at once.
const racers = 10

// sameNameFanOut is a pipeline whose one step runs racers times at once,
// each item creating the same resource: the race of racers pipelines
// asking for one name, inside one time-skipping test.
func sameNameFanOut(uses, with string) string {
	items := make([]string, racers)
	for i := range items {
		items[i] = fmt.Sprint(i)
	}
	return fmt.Sprintf(`name: race
concurrency: {huawei: %d}
steps:
  - id: step
    uses: %s
    for_each: [%s]
    with: %s
`, racers, uses, strings.Join(items, ", "), with)
}

// A race between creators of one name ends with one resource, counted
// through the vendor's own list API, and every creator succeeding with
// that resource as its output.
func TestImagePipeline_SameNameCreatorsAtOnceMakeOneResourceAndAllSucceed(t *testing.T) {
	cases := []struct {
		vendor, uses, with, output string
		count                      func(t *testing.T, f *fixture) (int, string)
	}{
		{
			vendor: "oci", uses: "oci.create_compartment", output: "compartment_id",
			with: `{parent_compartment_id: ` + tenancyID + `, name: gold-images, description: Gold images}`,
			count: func(t *testing.T, f *fixture) (int, string) {
				list, err := f.oci.Client.ListCompartments(context.Background(), tenancyID, "gold-images")
				if err != nil {
					t.Fatal(err)
				}
				if len(list) == 0 {
					return 0, ""
				}
				return len(list), list[0].ID
			},
		},
		{
			vendor: "fpp", uses: "fpp.import_image", output: "image_name",
			with: `{image_name: db19_gold, path: /u01/app/oracle/product/19c/dbhome_1}`,
			count: func(t *testing.T, f *fixture) (int, string) {
				jobs, err := f.fpp.Client.ListJobs(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if _, found, err := f.fpp.Client.GetImage(context.Background(), "db19_gold"); err != nil || !found {
					t.Fatalf("image db19_gold found %v, %v", found, err)
				}
				return len(jobs), "db19_gold"
			},
		},
		{
			vendor: "huawei", uses: "huawei.copy_image", output: "image_id",
			with: `{image_id: ` + sourceImage + `, name: gold-ubuntu-copy}`,
			count: func(t *testing.T, f *fixture) (int, string) {
				list, err := f.huawei.Client.ListImagesByName(context.Background(), "gold-ubuntu-copy")
				if err != nil {
					t.Fatal(err)
				}
				if len(list) == 0 {
					return 0, ""
				}
				return len(list), list[0].ID
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.vendor, func(t *testing.T) {
			f := newFixture(t, options{activation: 30 * time.Second, jobDuration: 10 * time.Minute})
			res, err := f.run(t, parse(t, sameNameFanOut(tc.uses, tc.with)))
			if err != nil {
				t.Fatalf("pipeline failed: %v", err)
			}
			n, id := tc.count(t, f)
			if n != 1 {
				t.Fatalf("%d resources named alike after %d creators raced, want 1", n, racers)
			}
			st, _ := res.Step("step")
			if len(st.Items) != racers {
				t.Fatalf("%d items, want %d", len(st.Items), racers)
			}
			for i, item := range st.Items {
				if item.State != workflows.StepSucceeded || item.Outputs[tc.output] != id {
					t.Errorf("item %d = %s with %s %q, want succeeded with %q", i, item.State, tc.output, item.Outputs[tc.output], id)
				}
			}
		})
	}
}

// Another importer (a pipeline, or an earlier attempt whose answer was
// lost) holds the image name for three hours, far past what the step's
// own retries allow: the step waits for that import and reuses its image.
func TestImagePipeline_FPPStepWaitsForAnImportItDidNotStartPastItsRetries(t *testing.T) {
	f := newFixture(t, options{jobDuration: 3 * time.Hour})
	if _, err := f.fpp.Client.ImportImage(context.Background(), fpp.ImportImageInput{ImageName: "db19_gold", Path: "/u01/db"}); err != nil {
		t.Fatal(err)
	}
	res, err := f.run(t, parse(t, `name: wait
steps:
  - id: import
    uses: fpp.import_image
    retry: {max_attempts: 2}
    with: {image_name: db19_gold, path: /u01/db}
`))
	if err != nil {
		t.Fatalf("pipeline failed: %v", err)
	}
	if got := f.fpp.Sim.JobCount(); got != 1 {
		t.Errorf("%d imports, want the other importer's alone", got)
	}
	st, _ := res.Step("import")
	if st.Outputs["image_name"] != "db19_gold" {
		t.Errorf("outputs %v", st.Outputs)
	}
}

// The import the step waited for failed: the name is free again, so the
// step imports the image itself and waits for its own job.
func TestImagePipeline_FPPStepImportsItselfWhenTheImportItWaitedForFailed(t *testing.T) {
	f := newFixture(t, options{jobDuration: 30 * time.Minute})
	f.fpp.Sim.FailNextImport("PRGO-1108 : not enough space in the ACFS file system")
	if _, err := f.fpp.Client.ImportImage(context.Background(), fpp.ImportImageInput{ImageName: "db19_gold", Path: "/u01/db"}); err != nil {
		t.Fatal(err)
	}
	res, err := f.run(t, parse(t, `name: wait
steps:
  - id: import
    uses: fpp.import_image
    with: {image_name: db19_gold, path: /u01/db}
`))
	if err != nil {
		t.Fatalf("pipeline failed: %v", err)
	}
	if got := f.fpp.Sim.JobCount(); got != 2 {
		t.Errorf("%d imports, want the failed one and the step's own", got)
	}
	if imgs := f.fpp.Sim.Images(); len(imgs) != 1 {
		t.Errorf("images %+v, want db19_gold once", imgs)
	}
	st, _ := res.Step("import")
	if st.Outputs["job_id"] == "" {
		t.Errorf("outputs %v: want the step's own job", st.Outputs)
	}
}

// A step that lost the race for a compartment name says it reused the
// compartment rather than created it.
func TestImagePipeline_CompartmentStepThatLostTheRaceSaysItReused(t *testing.T) {
	f := newFixture(t, options{activation: 30 * time.Second})
	res, err := f.run(t, parse(t, sameNameFanOut("oci.create_compartment",
		`{parent_compartment_id: `+tenancyID+`, name: gold-images, description: Gold images}`)))
	if err != nil {
		t.Fatalf("pipeline failed: %v", err)
	}
	st, _ := res.Step("step")
	created := 0
	for _, item := range st.Items {
		if item.Outputs["created"] == "true" {
			created++
		}
	}
	if created != 1 {
		t.Errorf("%d items say they created the compartment, want 1", created)
	}
}
