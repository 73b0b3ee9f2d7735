package huawei_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/huawei"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
)

func TestGetJob_FailureSurfacesFailReasonAndLeavesNoImage(t *testing.T) {
	e := newEnv(t, huaweisim.Options{JobDuration: 20 * time.Minute})
	e.sim.FailNextCopy("insufficient storage in the backend pool")
	ctx := context.Background()
	jobID, err := e.client.CopyImage(ctx, huawei.CopyImageInput{SourceImageID: e.source.ID, Name: "doomed"})
	if err != nil {
		t.Fatal(err)
	}
	running, err := e.client.GetJob(ctx, jobID)
	if err != nil || running.Done() {
		t.Fatalf("a failing job should run first: %+v, %v", running, err)
	}

	e.clock.Advance(20 * time.Minute)
	job, err := e.client.GetJob(ctx, jobID)
	if err != nil {
		t.Fatalf("GetJob: %v", err)
	}
	if job.Status != huawei.JobFail || !job.Done() || job.Succeeded() {
		t.Fatalf("job %+v, want FAIL, done, not succeeded", job)
	}
	if job.FailReason != "insufficient storage in the backend pool" || job.ErrorCode == "" || job.ImageID != "" {
		t.Fatalf("job %+v, want the injected fail_reason, an error code and no image", job)
	}
	if _, found, err := e.client.FindImageByName(ctx, "doomed"); err != nil || found {
		t.Fatalf("failed copy still found: %v, %v", found, err)
	}
}

func TestGetJob_NamedFailureAffectsOnlyThatName(t *testing.T) {
	e := newEnv(t, huaweisim.Options{JobDuration: time.Minute})
	e.sim.FailCopiesNamed("bad-name", "kms key disabled")
	ctx := context.Background()
	bad, _ := e.client.CopyImage(ctx, huawei.CopyImageInput{SourceImageID: e.source.ID, Name: "bad-name"})
	good, _ := e.client.CopyImage(ctx, huawei.CopyImageInput{SourceImageID: e.source.ID, Name: "good-name"})
	e.clock.Advance(time.Minute)
	for id, want := range map[string]huawei.JobStatus{bad: huawei.JobFail, good: huawei.JobSuccess} {
		job, err := e.client.GetJob(ctx, id)
		if err != nil || job.Status != want {
			t.Fatalf("job %s: %+v, %v; want %s", id, job, err, want)
		}
	}
}

func TestGetJob_UnknownStatusIsAFailureQuotingIt(t *testing.T) {
	e := newEnv(t, huaweisim.Options{})
	ctx := context.Background()
	jobID, err := e.client.CopyImage(ctx, huawei.CopyImageInput{SourceImageID: e.source.ID, Name: "copy"})
	if err != nil {
		t.Fatal(err)
	}
	e.sim.OverrideJobStatus(jobID, "PAUSED")
	job, err := e.client.GetJob(ctx, jobID)
	if err != nil {
		t.Fatal(err)
	}
	if !job.Done() || job.Succeeded() || !strings.Contains(job.FailReason, `"PAUSED"`) {
		t.Fatalf("job %+v, want a finished failure quoting PAUSED", job)
	}
}

func TestGetJob_UnknownJobIsAVendorError(t *testing.T) {
	e := newEnv(t, huaweisim.Options{})
	_, err := e.client.GetJob(context.Background(), "ff8080814dbd65d7014dbe0d84db0013")
	ve := vendorError(t, err)
	if ve.StatusCode != http.StatusNotFound || ve.Code == "" || ve.Operation != huawei.OpShowJob {
		t.Fatalf("got %+v, want a 404 ShowJob error", ve)
	}
}
