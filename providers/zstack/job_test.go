package zstack_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/zstack"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

func TestGetJob_FailedJobSurfacesZStackReason(t *testing.T) {
	tests := []struct {
		name       string
		prepare    func(*env)
		in         func(*env) zstack.UpdateImageInput
		wantCode   string
		wantReason string
	}{
		{
			name:    "job failed while running",
			prepare: func(e *env) { e.sim.FailNextUpdate("backup storage bs-1 is disconnected") },
			in: func(e *env) zstack.UpdateImageInput {
				return zstack.UpdateImageInput{UUID: e.image.UUID, Name: ptr("never")}
			},
			wantCode: zstack.CodeOperationError, wantReason: "backup storage bs-1 is disconnected",
		},
		{
			name: "unknown image",
			in: func(*env) zstack.UpdateImageInput {
				return zstack.UpdateImageInput{UUID: "fedcba9876543210fedcba9876543210", Name: ptr("never")}
			},
			wantCode: zstack.CodeResourceNotFound, wantReason: "fedcba9876543210fedcba9876543210",
		},
		{
			name: "platform ZStack does not know",
			in: func(e *env) zstack.UpdateImageInput {
				return zstack.UpdateImageInput{UUID: e.image.UUID, Platform: ptr("BeOS")}
			},
			wantCode: zstack.CodeInvalidArgument, wantReason: "field[platform]",
		},
		{
			name: "name over 255 characters",
			in: func(e *env) zstack.UpdateImageInput {
				return zstack.UpdateImageInput{UUID: e.image.UUID, Name: ptr(strings.Repeat("n", 256))}
			},
			wantCode: zstack.CodeInvalidArgument, wantReason: "exceeds max length",
		},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, zstacksim.Options{})
			if tt.prepare != nil {
				tt.prepare(e)
			}
			in := tt.in(e)
			in.JobUUID = zstack.JobUUIDFromKey("fail/" + string(rune('a'+i)))
			up, err := e.client.UpdateImage(context.Background(), in)
			if err != nil {
				t.Fatalf("UpdateImage: %v (ZStack accepts first and fails the job)", err)
			}
			job := e.awaitJob(t, up.Location, zstacksim.DefaultJobDuration)
			if job.Succeeded() || job.State != zstack.JobFailed || job.Code != tt.wantCode || !strings.Contains(job.Reason, tt.wantReason) {
				t.Fatalf("job = %+v, want failed %s mentioning %q", job, tt.wantCode, tt.wantReason)
			}
			if img, _ := e.sim.Image(e.image.UUID); img.Name != "gold-centos" || img.Platform != "Linux" {
				t.Fatalf("failed job changed the image: %+v", img)
			}
		})
	}
}

func TestGetJob_RebasesLocationOntoEndpoint(t *testing.T) {
	// The management node writes its own configured address into locations.
	e := newEnv(t, zstacksim.Options{BaseURL: "http://mn.zstack.invalid:8080/zstack"})
	up, err := e.client.UpdateImage(context.Background(), zstack.UpdateImageInput{
		UUID: e.image.UUID, Name: ptr("rebased"), JobUUID: zstack.JobUUIDFromKey("wf-6/rename"),
	})
	if err != nil {
		t.Fatalf("UpdateImage: %v", err)
	}
	if !strings.HasPrefix(up.Location, "http://mn.zstack.invalid:8080/zstack/v1/api-jobs/") {
		t.Fatalf("location = %s, want the node's own address", up.Location)
	}
	if job := e.awaitJob(t, up.Location, zstacksim.DefaultJobDuration); !job.Succeeded() || job.Image.Name != "rebased" {
		t.Fatalf("job = %+v, want success", job)
	}
}

func TestGetJob_ForgottenJobIsNotFound(t *testing.T) {
	e := newEnv(t, zstacksim.Options{})
	jobUUID := zstack.JobUUIDFromKey("wf-7/rename")
	up, err := e.client.UpdateImage(context.Background(), zstack.UpdateImageInput{UUID: e.image.UUID, Name: ptr("old news"), JobUUID: jobUUID})
	if err != nil {
		t.Fatalf("UpdateImage: %v", err)
	}
	e.awaitJob(t, up.Location, zstacksim.DefaultJobDuration)

	e.clock.Advance(zstacksim.DefaultJobRetention)
	_, err = e.client.GetJob(context.Background(), up.Location)
	ze := vendorErr(t, err)
	if ze.StatusCode != 404 || ze.RequestID != jobUUID || !strings.Contains(ze.Message, "expired") {
		t.Fatalf("error = %+v, want 404 'the job has been expired' quoting job %s", ze, jobUUID)
	}
}

func TestGetJob_RejectsLocationWithoutJob(t *testing.T) {
	e := newEnv(t, zstacksim.Options{})
	for _, loc := range []string{"", "http://127.0.0.1:8080/zstack/v1/images/abc", "http://h/zstack/v1/api-jobs/"} {
		if _, err := e.client.GetJob(context.Background(), loc); !errors.Is(err, zstack.ErrInvalidInput) {
			t.Errorf("GetJob(%q) error = %v, want ErrInvalidInput", loc, err)
		}
	}
	if n := e.sim.Calls(zstacksim.OpGetAPIJob); n != 0 {
		t.Fatalf("GetAPIJob sent %d times", n)
	}
}

// ZStack answers a failed job and an unavailable management node alike:
// 503 with an error. Only the job's own error is the job's state; SYS.1012
// says where the poll landed, so it is an error for the caller to retry.
func TestGetJob_NodeUnavailableIsAnErrorNotAFailedJob(t *testing.T) {
	e := newEnv(t, zstacksim.Options{})
	up, err := e.client.UpdateImage(context.Background(), zstack.UpdateImageInput{
		UUID: e.image.UUID, Name: ptr("through a flap"), JobUUID: zstack.JobUUIDFromKey("wf-8/flap"),
	})
	if err != nil {
		t.Fatalf("UpdateImage: %v", err)
	}
	e.sim.Faults().Inject(zstacksim.OpGetAPIJob, simkit.Fault{Status: http.StatusServiceUnavailable, Code: zstack.CodeNodeUnavailable}, 1)
	job, err := e.client.GetJob(context.Background(), up.Location)
	if !zstack.NodeUnavailable(err) || vendorErr(t, err).StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("GetJob = %+v, %v; want a 503 SYS.1012 error, not a job state", job, err)
	}
	if job := e.awaitJob(t, up.Location, zstacksim.DefaultJobDuration); !job.Succeeded() || job.Image.Name != "through a flap" {
		t.Fatalf("job after the flap = %+v, want it succeeded", job)
	}
	if zstack.NodeUnavailable(errors.New("SYS.1012")) {
		t.Error("a plain error is not ZStack's answer")
	}
}
