package fpp_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// listShapes are the two item shapes a server may send for GET /jobs: the
// documented example's bare ids, and items carrying status and operation.
// The client must find the same jobs from either.
var listShapes = []struct {
	name     string
	detailed bool
}{
	{"bare items as documented", false},
	{"items with status and operation", true},
}

func mustImport(t *testing.T, e *env, name string) fpp.Job {
	t.Helper()
	job, err := e.client.ImportImage(context.Background(), fpp.ImportImageInput{ImageName: name, Path: "/u01/app/oracle/" + name})
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return job
}

func TestFindImportJob_FindsTheRunningImportOfTheImage(t *testing.T) {
	for _, shape := range listShapes {
		t.Run(shape.name, func(t *testing.T) {
			e := newEnv(t, fppsim.Options{JobDuration: time.Hour, DetailedJobList: shape.detailed})
			mustImport(t, e, "OTHER_IMG")
			started := mustImport(t, e, "DB_GOLD")
			mustImport(t, e, "LATER_IMG")
			e.clock.Advance(20 * time.Minute)

			job, found, err := e.client.FindImportJob(context.Background(), "DB_GOLD")

			if err != nil || !found {
				t.Fatalf("FindImportJob = found %v, err %v; want the running import", found, err)
			}
			if job.ID != started.ID || job.Status != fpp.JobExecuting || job.Done() || job.ImageName != "DB_GOLD" {
				t.Fatalf("found %+v, want job %s EXECUTING for DB_GOLD", job, started.ID)
			}
			if n := e.sim.Calls(fppsim.OpListJobs); n != 1 {
				t.Fatalf("server saw %d job listings, want 1", n)
			}
		})
	}
}

func TestFindImportJob_RetriedImportWaitsForTheRunningJobInsteadOfConflicting(t *testing.T) {
	e := newEnv(t, fppsim.Options{JobDuration: 10 * time.Minute})
	ctx := context.Background()
	in := fpp.ImportImageInput{ImageName: "DB_GOLD", Path: "/u01/db"}
	// The first attempt's import is accepted, but its answer never reaches
	// the workflow.
	if _, err := e.client.ImportImage(ctx, in); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(2 * time.Minute)

	// The retried attempt checks before creating, as the activity does.
	if _, found, err := e.client.GetImage(ctx, in.ImageName); err != nil || found {
		t.Fatalf("GetImage while importing: found %v err %v, want absent", found, err)
	}
	job, found, err := e.client.FindImportJob(ctx, in.ImageName)
	if err != nil || !found {
		t.Fatalf("FindImportJob: found %v err %v, want the first attempt's job", found, err)
	}
	e.clock.Advance(8 * time.Minute)
	if done := mustGetJob(t, e.client, job.ID); !done.Succeeded() {
		t.Fatalf("waited-for job = %+v, want SUCCEEDED", done)
	}

	if n := e.sim.Calls(fppsim.OpImportImage); n != 1 {
		t.Fatalf("server saw %d imports, want 1", n)
	}
	if imgs := e.sim.Images(); len(imgs) != 1 || imgs[0].Name != "DB_GOLD" {
		t.Fatalf("emulator holds %+v, want exactly DB_GOLD", imgs)
	}
}

func TestFindImportJob_IgnoresAFailedImport(t *testing.T) {
	for _, shape := range listShapes {
		t.Run(shape.name, func(t *testing.T) {
			e := newEnv(t, fppsim.Options{JobDuration: time.Minute, DetailedJobList: shape.detailed})
			ctx := context.Background()
			e.sim.FailImport("DB_GOLD", "PRCZ-2002 : failed to execute command: disk group DATA is full")
			failed := mustImport(t, e, "DB_GOLD")
			e.clock.Advance(time.Minute)
			if got := mustGetJob(t, e.client, failed.ID); got.Status != fpp.JobFailed {
				t.Fatalf("setup: job %s is %s, want FAILED", failed.ID, got.Status)
			}

			if job, found, err := e.client.FindImportJob(ctx, "DB_GOLD"); err != nil || found {
				t.Fatalf("FindImportJob after a failed import = %+v, %v, %v; want none", job, found, err)
			}

			// A fresh import of the name is the one to wait for, not the
			// older failure.
			again := mustImport(t, e, "DB_GOLD")
			job, found, err := e.client.FindImportJob(ctx, "DB_GOLD")
			if err != nil || !found || job.ID != again.ID {
				t.Fatalf("FindImportJob after re-import = %+v, %v, %v; want job %s", job, found, err, again.ID)
			}
		})
	}
}

func TestFindImportJob_IgnoresOtherImagesJobs(t *testing.T) {
	for _, shape := range listShapes {
		t.Run(shape.name, func(t *testing.T) {
			e := newEnv(t, fppsim.Options{JobDuration: time.Hour, DetailedJobList: shape.detailed})
			ctx := context.Background()
			// Names that contain, or are contained in, the one looked for.
			for _, name := range []string{"DB_GOLD2", "XDB_GOLD", "DB"} {
				mustImport(t, e, name)
			}

			if job, found, err := e.client.FindImportJob(ctx, "DB_GOLD"); err != nil || found {
				t.Fatalf("FindImportJob(DB_GOLD) = %+v, %v, %v; want none", job, found, err)
			}
			if job, found, err := e.client.FindImportJob(ctx, "DB_GOLD2"); err != nil || !found || job.ImageName != "DB_GOLD2" {
				t.Fatalf("FindImportJob(DB_GOLD2) = %+v, %v, %v; want its import", job, found, err)
			}
		})
	}
}

func TestFindImportJob_NewestIsTheHighestNumericJobID(t *testing.T) {
	e := newEnv(t, fppsim.Options{JobDuration: time.Minute})
	for i := 1; i <= 8; i++ {
		mustImport(t, e, fmt.Sprintf("FILLER%d", i))
	}
	e.sim.FailImport("DB_GOLD", "PRCT-1011 : failed to run")
	older := mustImport(t, e, "DB_GOLD")
	e.clock.Advance(time.Minute)
	newer := mustImport(t, e, "DB_GOLD")
	// Two imports of one name that both count: "9" sorts after "10" as
	// text, before it as a number.
	if !e.sim.SetJobStatus(older.ID, fppsim.StatusSucceeded) {
		t.Fatalf("emulator has no job %s", older.ID)
	}
	if older.ID != "9" || newer.ID != "10" {
		t.Fatalf("setup: job ids %s and %s, want 9 and 10", older.ID, newer.ID)
	}

	job, found, err := e.client.FindImportJob(context.Background(), "DB_GOLD")

	if err != nil || !found || job.ID != newer.ID {
		t.Fatalf("FindImportJob = %+v, %v, %v; want job %s", job, found, err, newer.ID)
	}
}

func TestFindImportJob_EmptyNameIsRefusedWithoutARequest(t *testing.T) {
	e := newEnv(t, fppsim.Options{})
	if _, _, err := e.client.FindImportJob(context.Background(), ""); err == nil {
		t.Fatal("FindImportJob accepted an empty image name")
	}
	if n := e.sim.Calls(fppsim.OpListJobs); n != 0 {
		t.Fatalf("server saw %d job listings", n)
	}
}

func TestListJobs_ReturnsAllJobs(t *testing.T) {
	for _, shape := range listShapes {
		t.Run(shape.name, func(t *testing.T) {
			e := newEnv(t, fppsim.Options{JobDuration: 10 * time.Minute, DetailedJobList: shape.detailed})
			e.sim.FailImport("BAD_IMG", "PRGO-1 : no space")
			var want []string
			for _, name := range []string{"DONE_IMG", "BAD_IMG"} {
				want = append(want, mustImport(t, e, name).ID)
			}
			e.clock.Advance(10 * time.Minute)
			want = append(want, mustImport(t, e, "RUNNING_IMG").ID)

			jobs, err := e.client.ListJobs(context.Background())
			if err != nil {
				t.Fatal(err)
			}

			var got []string
			for _, j := range jobs {
				got = append(got, j.ID)
				if !shape.detailed {
					continue
				}
				// Whatever the list says must agree with the job itself.
				one := mustGetJob(t, e.client, j.ID)
				if j.Status != one.Status || j.ImageName != one.ImageName || j.Operation != one.Operation {
					t.Fatalf("listed %+v, GetJob says %+v", j, one)
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("listed job ids %v, want %v", got, want)
			}
		})
	}
}

func TestListJobs_EmptyServerListsNothing(t *testing.T) {
	e := newEnv(t, fppsim.Options{})
	jobs, err := e.client.ListJobs(context.Background())
	if err != nil || len(jobs) != 0 {
		t.Fatalf("ListJobs = %+v, %v; want none", jobs, err)
	}
}

func TestListJobs_VendorErrorsAreAPIErrorsFromBothCalls(t *testing.T) {
	listJobs := func(c *fpp.Client) error {
		_, err := c.ListJobs(context.Background())
		return err
	}
	findImportJob := func(c *fpp.Client) error {
		_, _, err := c.FindImportJob(context.Background(), "DB_GOLD")
		return err
	}
	throttleList := func(e *env) {
		e.sim.Faults().Inject(fppsim.OpListJobs, simkit.Fault{Status: 429, RetryAfter: 3 * time.Second}, 1)
	}
	tests := []struct {
		name       string
		call       func(*fpp.Client) error
		setup      func(*env)
		password   string
		wantOp     string
		wantStatus int
		wantRetry  time.Duration
	}{
		{"ListJobs throttled", listJobs, throttleList, "", fpp.OpListJobs, 429, 3 * time.Second},
		{"FindImportJob throttled", findImportJob, throttleList, "", fpp.OpListJobs, 429, 3 * time.Second},
		{"ListJobs wrong password", listJobs, func(*env) {}, "wrong", fpp.OpListJobs, 401, 0},
		{"FindImportJob wrong password", findImportJob, func(*env) {}, "wrong", fpp.OpListJobs, 401, 0},
		{
			// From a bare list FindImportJob reads the jobs one by one.
			"FindImportJob job lookup unavailable", findImportJob,
			func(e *env) {
				mustImport(t, e, "DB_GOLD")
				e.sim.Faults().Inject(fppsim.OpGetJob, simkit.Fault{Status: 503}, 1)
			},
			"", fpp.OpGetJob, 503, 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, fppsim.Options{JobDuration: time.Hour})
			tt.setup(e)
			c := e.client
			if tt.password != "" {
				c = e.newClient(t, testUser, tt.password)
			}

			apiErr := asAPIError(t, tt.call(c))

			if apiErr.Operation != tt.wantOp || apiErr.StatusCode != tt.wantStatus || apiErr.RetryAfter != tt.wantRetry {
				t.Fatalf("got %s %d retry %v, want %s %d retry %v",
					apiErr.Operation, apiErr.StatusCode, apiErr.RetryAfter, tt.wantOp, tt.wantStatus, tt.wantRetry)
			}
		})
	}
}
