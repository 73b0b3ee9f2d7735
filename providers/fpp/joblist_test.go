package fpp_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// listShapes are the two item shapes a server may send for GET /jobs: the
// documented example's bare ids, and items carrying status and operation.
// The client must list the same jobs from either.
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

func TestListJobs_VendorErrorsAreAPIErrors(t *testing.T) {
	listJobs := func(c *fpp.Client) error {
		_, err := c.ListJobs(context.Background())
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
		{"ListJobs wrong password", listJobs, func(*env) {}, "wrong", fpp.OpListJobs, 401, 0},
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
