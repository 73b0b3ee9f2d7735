package fpp_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
)

func mustGetJob(t *testing.T, c *fpp.Client, id string) fpp.Job {
	t.Helper()
	job, err := c.GetJob(context.Background(), id)
	if err != nil {
		t.Fatalf("GetJob %s: %v", id, err)
	}
	return job
}

func TestImportImage_JobRunsByTheClockAndTheImageAppearsOnSuccess(t *testing.T) {
	e := newEnv(t, fppsim.Options{JobDuration: time.Hour})
	ctx := context.Background()

	job, err := e.client.ImportImage(ctx, fpp.ImportImageInput{
		ImageName: "DB_19_25_IMG", Path: "/u01/app/oracle/product/19.0.0/dbhome_1", PathOwner: "oracle",
	})
	if err != nil {
		t.Fatal(err)
	}
	if job.ID == "" || job.Status != fpp.JobScheduled || job.Done() || job.ImageName != "DB_19_25_IMG" {
		t.Fatalf("accepted job = %+v, want a scheduled job for DB_19_25_IMG", job)
	}

	if got := mustGetJob(t, e.client, job.ID); got.Status != fpp.JobScheduled || got.Done() {
		t.Fatalf("at start: %+v, want SCHEDULED and not done", got)
	}
	if _, found, err := e.client.GetImage(ctx, "DB_19_25_IMG"); err != nil || found {
		t.Fatalf("image visible before the job ran: found=%v err=%v", found, err)
	}

	e.clock.Advance(20 * time.Minute)
	running := mustGetJob(t, e.client, job.ID)
	if running.Status != fpp.JobExecuting || running.Done() {
		t.Fatalf("after 20m: %+v, want EXECUTING and not done", running)
	}
	early, err := e.client.GetJobOutput(ctx, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(30 * time.Minute)
	later, err := e.client.GetJobOutput(ctx, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if early == "" || len(later) <= len(early) || !strings.HasPrefix(later, early) {
		t.Fatalf("job output did not grow while running:\nearly: %q\nlater: %q", early, later)
	}

	e.clock.Advance(10 * time.Minute)
	done := mustGetJob(t, e.client, job.ID)
	if !done.Done() || !done.Succeeded() || done.Reason != "" {
		t.Fatalf("after 1h: %+v, want SUCCEEDED", done)
	}
	img, found, err := e.client.GetImage(ctx, "DB_19_25_IMG")
	if err != nil || !found {
		t.Fatalf("GetImage after success: found=%v err=%v", found, err)
	}
	if img.ID != "DB_19_25_IMG" || img.Owner != "oracle" || !img.Complete || img.Type != "ORACLEDBSOFTWARE" {
		t.Fatalf("image = %+v", img)
	}
}

func TestGetJob_FailedImportSurfacesTheReason(t *testing.T) {
	e := newEnv(t, fppsim.Options{JobDuration: 10 * time.Minute})
	const reason = "PRCZ-2002 : failed to execute command on node node1: disk group DATA is full"
	e.sim.FailNextImport(reason)
	ctx := context.Background()

	job, err := e.client.ImportImage(ctx, fpp.ImportImageInput{ImageName: "GI_IMG", Path: "/u01/grid", ImageType: "ORACLEGISOFTWARE"})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(10 * time.Minute)

	got := mustGetJob(t, e.client, job.ID)
	if got.Status != fpp.JobFailed || !got.Done() || got.Succeeded() {
		t.Fatalf("job = %+v, want FAILED and done", got)
	}
	if !strings.Contains(got.Reason, reason) {
		t.Fatalf("reason %q does not carry %q", got.Reason, reason)
	}
	out, err := e.client.GetJobOutput(ctx, job.ID)
	if err != nil || !strings.Contains(out, reason) {
		t.Fatalf("output %q (err %v) does not carry the reason", out, err)
	}
	if _, found, err := e.client.GetImage(ctx, "GI_IMG"); err != nil || found {
		t.Fatalf("failed import left an image: found=%v err=%v", found, err)
	}
}

func TestGetJob_StatusDecidesDoneAndSucceeded(t *testing.T) {
	tests := []struct {
		raw           string
		done, success bool
		reasonQuotes  string
	}{
		{"SCHEDULED", false, false, ""},
		{"EXECUTING", false, false, ""},
		{"PAUSED", false, false, ""},
		{"SUCCEEDED", true, true, ""},
		{"ABORTED", true, false, "ABORTED"},
		{"TERMINATED", true, false, "TERMINATED"},
		{"UNKNOWN", true, false, "UNKNOWN"},
		{"REBOOTING", true, false, `"REBOOTING"`},
		{"succeeded", true, false, `"succeeded"`},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			// The job has not started, so it has no output: a reason
			// must come from the status itself.
			e := newEnv(t, fppsim.Options{})
			job, err := e.client.ImportImage(context.Background(), fpp.ImportImageInput{ImageName: "IMG", Path: "/u01/db"})
			if err != nil {
				t.Fatal(err)
			}
			if !e.sim.SetJobStatus(job.ID, tt.raw) {
				t.Fatalf("emulator has no job %s", job.ID)
			}

			got := mustGetJob(t, e.client, job.ID)

			if string(got.Status) != tt.raw || got.Done() != tt.done || got.Succeeded() != tt.success {
				t.Fatalf("status %q: done=%v succeeded=%v, want done=%v succeeded=%v",
					got.Status, got.Done(), got.Succeeded(), tt.done, tt.success)
			}
			if tt.reasonQuotes == "" && got.Reason != "" {
				t.Fatalf("reason %q on a job that did not fail", got.Reason)
			}
			if !strings.Contains(got.Reason, tt.reasonQuotes) {
				t.Fatalf("reason %q does not quote %s", got.Reason, tt.reasonQuotes)
			}
		})
	}
}

func TestGetJob_MissingJobIsNotFoundError(t *testing.T) {
	e := newEnv(t, fppsim.Options{})
	_, err := e.client.GetJob(context.Background(), "4242")
	apiErr := asAPIError(t, err)
	if apiErr.StatusCode != 404 || apiErr.Operation != fpp.OpGetJob {
		t.Fatalf("got %v, want GetJob 404", apiErr)
	}
}
