package activities_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/fpp/fpptest"
)

// fppRequests is every request the FPP emulator has received.
func fppRequests(sim *fppsim.Server) int {
	n := 0
	for _, op := range []string{fppsim.OpImportImage, fppsim.OpGetImage, fppsim.OpGetJob, fppsim.OpGetJobOutput, fppsim.OpListJobs} {
		n += sim.Calls(op)
	}
	return n
}

// fppWithHistory is an FPP emulator on a hand-moved clock that has already
// run past jobs (finished imports of other images), as a server in use for
// years has.
func fppWithHistory(t *testing.T, past int, wrap testenv.Wrap) (*fpptest.FPP, *atomic.Int64) {
	t.Helper()
	now := new(atomic.Int64)
	now.Store(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC).UnixNano())
	f := fpptest.New(t, fppsim.Options{
		Clock:       func() time.Time { return time.Unix(0, now.Load()) },
		JobDuration: 10 * time.Minute,
	}, wrap)
	// The history is made through the API, as a server's history is, by
	// a client of its own so that wrap sees only the test's requests.
	c, err := fpp.New(fpp.Config{Endpoint: f.URL, Username: fppsim.DefaultUsername, Password: fppsim.DefaultPassword, CAFile: f.CAFile})
	if err != nil {
		t.Fatal(err)
	}
	for i := range past {
		if _, err := c.ImportImage(context.Background(), fpp.ImportImageInput{ImageName: fmt.Sprintf("old_%d", i), Path: "/u01/old"}); err != nil {
			t.Fatal(err)
		}
	}
	now.Add(int64(time.Hour)) // every past job has ended
	return f, now
}

func fppActivities(t *testing.T, f *fpptest.FPP) (*testsuite.TestActivityEnvironment, *activities.FPP) {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	acts := &activities.FPP{Client: f.Client}
	env.RegisterActivity(acts)
	return env, acts
}

// The check before an import must not read FPP's whole job history: a
// server that has run 500 jobs costs the same few requests as a new one,
// both for a fresh import and while an import of the name is running.
func TestFPPImportImage_CheckCostsTheSameRequestsWhateverFPPsHistory(t *testing.T) {
	in := activities.FPPImportInput{Unit: activities.Unit{StepID: "import"}, ImageName: "db19_gold", Path: "/u01/db"}
	cost := func(t *testing.T, past int) (fresh, running int) {
		f, _ := fppWithHistory(t, past, nil)
		env, acts := fppActivities(t, f)
		before := fppRequests(f.Sim)
		if _, err := env.ExecuteActivity(acts.FPPImportImage, in); err != nil {
			t.Fatalf("import: %v", err)
		}
		fresh = fppRequests(f.Sim) - before
		before = fppRequests(f.Sim)
		// The same import again while the first one runs: what a retry
		// after a lost answer, or a second pipeline, does.
		_, _ = env.ExecuteActivity(acts.FPPImportImage, in)
		running = fppRequests(f.Sim) - before
		return fresh, running
	}
	fresh0, running0 := cost(t, 0)
	fresh500, running500 := cost(t, 500)
	t.Logf("requests per check: fresh import %d (0 past jobs) / %d (500); import running %d / %d", fresh0, fresh500, running0, running500)
	if fresh500 != fresh0 || running500 != running0 {
		t.Fatalf("with 500 past jobs a check costs %d (fresh) and %d (running) requests, with none %d and %d: the cost grows with FPP's history",
			fresh500, running500, fresh0, running0)
	}
}

// The crash window: FPP accepted the import, the answer never reached the
// activity, and Temporal runs the activity again. The retry must find that
// FPP is already importing the image and wait for it, and once that import
// ends the step reuses its image: one import in all.
func TestFPPImportImage_LostAnswerAfterFPPAcceptedImportsOnce(t *testing.T) {
	f, now := fppWithHistory(t, 3, testenv.LoseAnswer(http.MethodPost, "/rhp/images", 1))
	env, acts := fppActivities(t, f)
	in := activities.FPPImportInput{Unit: activities.Unit{StepID: "import"}, ImageName: "db19_gold", Path: "/u01/db"}
	jobsBefore := f.Sim.JobCount()

	if _, err := env.ExecuteActivity(acts.FPPImportImage, in); err == nil {
		t.Fatal("the attempt whose answer was lost succeeded")
	}
	if got := f.Sim.JobCount() - jobsBefore; got != 1 {
		t.Fatalf("%d imports accepted by the first attempt, want 1", got)
	}

	// The retry while FPP still imports: it must not import again, and
	// must ask to be retried later rather than fail the step.
	_, err := env.ExecuteActivity(acts.FPPImportImage, in)
	var appErr *temporal.ApplicationError
	switch {
	case err == nil:
		// A client that found the running job may wait for it directly.
	case !errors.As(err, &appErr) || appErr.NonRetryable():
		t.Fatalf("retry while the import runs failed for good: %v", err)
	case appErr.NextRetryDelay() <= 0:
		t.Errorf("retry while the import runs asks for no delay: %v", err)
	}
	if got := f.Sim.JobCount() - jobsBefore; got != 1 {
		t.Fatalf("%d imports after the retry, want 1", got)
	}

	now.Add(int64(time.Hour)) // the import has succeeded
	val, err := env.ExecuteActivity(acts.FPPImportImage, in)
	if err != nil {
		t.Fatalf("retry after the import ended: %v", err)
	}
	var res activities.FPPImportResult
	if err := val.Get(&res); err != nil {
		t.Fatal(err)
	}
	if !res.Existing {
		t.Errorf("retry after the import ended = %+v, want the imported image reused", res)
	}
	if got := f.Sim.JobCount() - jobsBefore; got != 1 {
		t.Errorf("%d imports in all, want 1", got)
	}
}
