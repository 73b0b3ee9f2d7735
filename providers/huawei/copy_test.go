package huawei_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/huawei"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

func faultStatus(status int) simkit.Fault { return simkit.Fault{Status: status} }

func TestCopyImage_JobRunsToSuccessWithTheNewImageID(t *testing.T) {
	e := newEnv(t, huaweisim.Options{JobDuration: 30 * time.Minute})
	ctx := context.Background()
	jobID, err := e.client.CopyImage(ctx, huawei.CopyImageInput{
		SourceImageID: e.source.ID, Name: "ubuntu copy_1.0", Description: "nightly", EnterpriseProjectID: "0",
	})
	if err != nil {
		t.Fatalf("CopyImage: %v", err)
	}

	steps := []struct {
		advance     time.Duration
		status      huawei.JobStatus
		percent     float64
		done, ok    bool
		imageStatus string
	}{
		{0, huawei.JobInit, 0, false, false, huaweisim.StatusQueued},
		{15 * time.Minute, huawei.JobRunning, 50, false, false, huaweisim.StatusSaving},
		{15 * time.Minute, huawei.JobSuccess, 100, true, true, huaweisim.StatusActive},
	}
	for _, st := range steps {
		e.clock.Advance(st.advance)
		job, err := e.client.GetJob(ctx, jobID)
		if err != nil {
			t.Fatalf("GetJob: %v", err)
		}
		if job.Status != st.status || job.Done() != st.done || job.Succeeded() != st.ok || job.Percent != st.percent {
			t.Fatalf("after %v: job %+v, want status %s percent %v done %v succeeded %v",
				st.advance, job, st.status, st.percent, st.done, st.ok)
		}
		if job.ID != jobID || job.Type != "imsCopyImageInRegionJob" || job.BeginTime == "" {
			t.Errorf("job identity %+v", job)
		}
		copies := e.imagesNamed("ubuntu copy_1.0")
		if len(copies) != 1 || copies[0].Status != st.imageStatus {
			t.Fatalf("images named after the copy: %+v, want one %s", copies, st.imageStatus)
		}
		if st.ok {
			if job.ImageID == "" || job.ImageID != copies[0].ID {
				t.Fatalf("job image id %q, emulator copy %q", job.ImageID, copies[0].ID)
			}
			if copies[0].SourceImageID != e.source.ID || copies[0].Description != "nightly" || job.EndTime == "" {
				t.Errorf("copy %+v / job %+v", copies[0], job)
			}
		}
	}
}

func TestCopyImage_InvalidRequestsGetIMSCodesAndCreateNothing(t *testing.T) {
	e := newEnv(t, huaweisim.Options{})
	tests := []struct {
		name   string
		in     huawei.CopyImageInput
		status int
		code   string
	}{
		{"empty name", huawei.CopyImageInput{Name: ""}, 400, "IMG.0013"},
		{"name over 128 characters", huawei.CopyImageInput{Name: strings.Repeat("n", 129)}, 400, "IMG.0002"},
		{"name with slash", huawei.CopyImageInput{Name: "a/b"}, 400, "IMG.0003"},
		{"name ending in space", huawei.CopyImageInput{Name: "copy "}, 400, "IMG.0003"},
		{"description over 1024 characters", huawei.CopyImageInput{Name: "ok", Description: strings.Repeat("d", 1025)}, 400, "IMG.0004"},
		{"description with angle bracket", huawei.CopyImageInput{Name: "ok", Description: "<b>"}, 400, "IMG.0054"},
		{"enterprise project neither 0 nor a UUID", huawei.CopyImageInput{Name: "ok", EnterpriseProjectID: "default"}, 400, "IMG.0155"},
		{"unknown source image", huawei.CopyImageInput{SourceImageID: "0b6a3e1c-0000-4000-8000-000000000000", Name: "ok"}, 404, huawei.CodeImageNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.in.SourceImageID == "" {
				tt.in.SourceImageID = e.source.ID
			}
			_, err := e.client.CopyImage(context.Background(), tt.in)
			ve := vendorError(t, err)
			if ve.StatusCode != tt.status || ve.Code != tt.code || ve.Message == "" {
				t.Fatalf("got %v, want %d %s", ve, tt.status, tt.code)
			}
		})
	}
	if got := len(e.sim.Images()); got != 1 {
		t.Fatalf("rejected copies left %d images, want only the source", got)
	}
	okName := strings.Repeat("n", 128)
	if _, err := e.client.CopyImage(context.Background(), huawei.CopyImageInput{SourceImageID: e.source.ID, Name: okName}); err != nil {
		t.Fatalf("128-character name rejected: %v", err)
	}
}

func TestCopyImage_ThrottledAnswerCarriesRetryAfter(t *testing.T) {
	e := newEnv(t, huaweisim.Options{})
	e.sim.Faults().Inject(huaweisim.OpCopyImageInRegion,
		simkit.Fault{Status: http.StatusTooManyRequests, RetryAfter: 7 * time.Second}, 1)
	in := huawei.CopyImageInput{SourceImageID: e.source.ID, Name: "copy"}

	_, err := e.client.CopyImage(context.Background(), in)
	ve := vendorError(t, err)
	if ve.StatusCode != 429 || ve.Code != huawei.CodeThrottled || ve.RetryAfter != 7*time.Second || !ve.Throttled() {
		t.Fatalf("got %+v, want 429 %s with Retry-After 7s", ve, huawei.CodeThrottled)
	}
	if len(e.imagesNamed("copy")) != 0 {
		t.Fatal("a throttled copy created an image")
	}
	if _, err := e.client.CopyImage(context.Background(), in); err != nil {
		t.Fatalf("copy after the throttle passed: %v", err)
	}
	if got := e.sim.Calls(huaweisim.OpCopyImageInRegion); got != 2 {
		t.Fatalf("emulator saw %d copy calls, want 2", got)
	}
}

func TestCopyImage_TooManyConcurrentCopiesIsThrottlingUntilOneFinishes(t *testing.T) {
	e := newEnv(t, huaweisim.Options{MaxConcurrentCopies: 1, JobDuration: time.Hour})
	ctx := context.Background()
	if _, err := e.client.CopyImage(ctx, huawei.CopyImageInput{SourceImageID: e.source.ID, Name: "first"}); err != nil {
		t.Fatal(err)
	}
	_, err := e.client.CopyImage(ctx, huawei.CopyImageInput{SourceImageID: e.source.ID, Name: "second"})
	ve := vendorError(t, err)
	if ve.StatusCode != 400 || ve.Code != huawei.CodeTooManyJobs || !ve.Throttled() {
		t.Fatalf("got %+v, want 400 %s counted as throttling", ve, huawei.CodeTooManyJobs)
	}
	e.clock.Advance(time.Hour)
	if _, err := e.client.CopyImage(ctx, huawei.CopyImageInput{SourceImageID: e.source.ID, Name: "second"}); err != nil {
		t.Fatalf("copy after the first finished: %v", err)
	}
}

func TestCopyImage_CopyOfACopyInFlightIsRefused(t *testing.T) {
	e := newEnv(t, huaweisim.Options{JobDuration: time.Hour})
	ctx := context.Background()
	jobID, err := e.client.CopyImage(ctx, huawei.CopyImageInput{SourceImageID: e.source.ID, Name: "first"})
	if err != nil {
		t.Fatal(err)
	}
	inFlight := e.imagesNamed("first")[0]
	_, err = e.client.CopyImage(ctx, huawei.CopyImageInput{SourceImageID: inFlight.ID, Name: "second"})
	if ve := vendorError(t, err); ve.StatusCode != 400 || ve.Code != "IMG.0046" {
		t.Fatalf("got %v, want 400 IMG.0046", ve)
	}
	e.clock.Advance(time.Hour)
	job, err := e.client.GetJob(ctx, jobID)
	if err != nil || !job.Succeeded() {
		t.Fatalf("first copy: %+v, %v", job, err)
	}
	if _, err := e.client.CopyImage(ctx, huawei.CopyImageInput{SourceImageID: job.ImageID, Name: "second"}); err != nil {
		t.Fatalf("copy of the finished copy: %v", err)
	}
}
