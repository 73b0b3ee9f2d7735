package zstack_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/zstack"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

func TestUpdateImage_AcceptedJobReachesNewAttributesWhenPolled(t *testing.T) {
	e := newEnv(t, zstacksim.Options{JobDuration: 10 * time.Minute})
	ctx := context.Background()

	up, err := e.client.UpdateImage(ctx, zstack.UpdateImageInput{
		UUID: e.image.UUID, Name: ptr("gold-centos-2025.03"), Platform: ptr("Other"),
		JobUUID: zstack.JobUUIDFromKey("wf-1/rename"),
	})
	if err != nil {
		t.Fatalf("UpdateImage: %v", err)
	}
	if up.Done || up.Repeated || !strings.Contains(up.Location, "/zstack/v1/api-jobs/"+zstack.JobUUIDFromKey("wf-1/rename")) {
		t.Fatalf("update = %+v, want a running job at its api-jobs location", up)
	}

	job, err := e.client.GetJob(ctx, up.Location)
	if err != nil {
		t.Fatalf("GetJob: %v", err)
	}
	if job.Done() || job.State != zstack.JobRunning {
		t.Fatalf("job = %+v before its duration passed, want running", job)
	}
	if img, _ := e.sim.Image(e.image.UUID); img.Name != "gold-centos" {
		t.Fatalf("image renamed to %q before the job finished", img.Name)
	}

	job = e.awaitJob(t, up.Location, 10*time.Minute)
	if !job.Succeeded() || job.Image.Name != "gold-centos-2025.03" || job.Image.Platform != "Other" {
		t.Fatalf("job = %+v, want success with the new name and platform", job)
	}
	img, err := e.client.GetImage(ctx, e.image.UUID)
	if err != nil {
		t.Fatalf("GetImage: %v", err)
	}
	if img.Name != "gold-centos-2025.03" || img.Platform != "Other" {
		t.Fatalf("image = %+v, want the new attributes", img)
	}
	if img.Description != "golden image" || img.GuestOSType != "CentOS 7" || img.Architecture != "x86_64" {
		t.Fatalf("image = %+v: attributes not sent were changed", img)
	}
}

func TestUpdateImage_SynchronousAnswerCarriesInventory(t *testing.T) {
	e := newEnv(t, zstacksim.Options{Synchronous: true})
	up, err := e.client.UpdateImage(context.Background(), zstack.UpdateImageInput{
		UUID: e.image.UUID, Description: ptr(""), GuestOSType: ptr("Rocky 9"),
		JobUUID: zstack.JobUUIDFromKey("wf-2/describe"),
	})
	if err != nil {
		t.Fatalf("UpdateImage: %v", err)
	}
	if !up.Done || up.Location != "" || up.Image.GuestOSType != "Rocky 9" || up.Image.Description != "" {
		t.Fatalf("update = %+v, want done with the new inventory", up)
	}
	if img, _ := e.sim.Image(e.image.UUID); img.GuestOSType != "Rocky 9" || img.Description != "" {
		t.Fatalf("emulator image = %+v, want the update applied", img)
	}
}

func TestUpdateImage_SameJobUUIDAppliesOnce(t *testing.T) {
	for _, sync := range []bool{false, true} {
		t.Run(map[bool]string{false: "async", true: "synchronous"}[sync], func(t *testing.T) {
			e := newEnv(t, zstacksim.Options{Synchronous: sync, JobDuration: time.Minute})
			ctx := context.Background()
			jobUUID := zstack.JobUUIDFromKey("wf-3/rename")

			first, err := e.client.UpdateImage(ctx, zstack.UpdateImageInput{UUID: e.image.UUID, Name: ptr("first"), JobUUID: jobUUID})
			if err != nil {
				t.Fatalf("first UpdateImage: %v", err)
			}
			// The activity retries as if it never saw the first answer, even
			// with a body that changed in between.
			again, err := e.client.UpdateImage(ctx, zstack.UpdateImageInput{UUID: e.image.UUID, Name: ptr("second"), JobUUID: jobUUID})
			if err != nil {
				t.Fatalf("repeated UpdateImage: %v", err)
			}
			if !again.Repeated || again.Done || again.Location != e.client.JobLocation(jobUUID) {
				t.Fatalf("repeat = %+v, want the first job's location", again)
			}
			if !sync && first.Location != again.Location {
				t.Fatalf("locations differ: %s then %s", first.Location, again.Location)
			}

			job := e.awaitJob(t, again.Location, time.Minute)
			if !job.Succeeded() || job.Image.Name != "first" {
				t.Fatalf("job = %+v, want the first request's result", job)
			}
			if n := e.sim.AppliedUpdates(e.image.UUID); n != 1 {
				t.Fatalf("updates applied = %d, want 1", n)
			}
			if img, _ := e.sim.Image(e.image.UUID); img.Name != "first" {
				t.Fatalf("image name = %q, want first", img.Name)
			}
		})
	}
}

func TestUpdateImage_RefusedPUTLeavesJobUUIDFree(t *testing.T) {
	e := newEnv(t, zstacksim.Options{})
	in := zstack.UpdateImageInput{UUID: e.image.UUID, Name: ptr("after-outage"), JobUUID: zstack.JobUUIDFromKey("wf-4/rename")}
	e.sim.Faults().Inject(zstacksim.OpUpdateImage, simkit.Fault{Status: 503, RetryAfter: time.Second}, 1)
	if _, err := e.client.UpdateImage(context.Background(), in); err == nil {
		t.Fatal("UpdateImage succeeded through an injected 503")
	}
	up, err := e.client.UpdateImage(context.Background(), in)
	if err != nil {
		t.Fatalf("retried UpdateImage: %v", err)
	}
	if up.Repeated {
		t.Fatalf("update = %+v: the refused PUT left a job behind", up)
	}
	if job := e.awaitJob(t, up.Location, zstacksim.DefaultJobDuration); !job.Succeeded() || job.Image.Name != "after-outage" {
		t.Fatalf("job = %+v, want success", job)
	}
}

func TestUpdateImage_ExpiredSessionLogsInBeforeSending(t *testing.T) {
	e := newEnv(t, zstacksim.Options{})
	ctx := context.Background()
	if _, err := e.client.GetImage(ctx, e.image.UUID); err != nil {
		t.Fatalf("GetImage: %v", err)
	}
	e.sim.ExpireSessions()

	up, err := e.client.UpdateImage(ctx, zstack.UpdateImageInput{UUID: e.image.UUID, Name: ptr("renamed"), JobUUID: zstack.JobUUIDFromKey("wf-5/rename")})
	if err != nil {
		t.Fatalf("UpdateImage: %v", err)
	}
	job := e.awaitJob(t, up.Location, zstacksim.DefaultJobDuration)
	if !job.Succeeded() {
		t.Fatalf("job failed with %s %q: the PUT went out with the dead session", job.Code, job.Reason)
	}
	if n := e.sim.Calls(zstacksim.OpLogInByAccount); n != 2 {
		t.Fatalf("LogInByAccount calls = %d, want 2", n)
	}
	if n := e.sim.Calls(zstacksim.OpUpdateImage); n != 1 {
		t.Fatalf("UpdateImage calls = %d, want 1", n)
	}
}

func TestUpdateImage_RejectsMalformedJobUUIDWithoutSending(t *testing.T) {
	e := newEnv(t, zstacksim.Options{})
	for _, id := range []string{
		"",
		"0A1B2C3D4E5F60718293A4B5C6D7E8F9",     // upper case
		"0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", // dashes
		"0a1b2c3d4e5f60718293a4b5c6d7e8f",      // 31 digits
	} {
		_, err := e.client.UpdateImage(context.Background(), zstack.UpdateImageInput{UUID: e.image.UUID, Name: ptr("x"), JobUUID: id})
		if !errors.Is(err, zstack.ErrInvalidInput) {
			t.Errorf("job uuid %q: error = %v, want ErrInvalidInput", id, err)
		}
	}
	if n := e.sim.Calls(zstacksim.OpUpdateImage); n != 0 {
		t.Fatalf("UpdateImage sent %d times", n)
	}
}

func TestJobUUIDFromKey_StableAndShapedForZStack(t *testing.T) {
	a, b := zstack.JobUUIDFromKey("pipeline-7/step-rename"), zstack.JobUUIDFromKey("pipeline-7/step-rename")
	other := zstack.JobUUIDFromKey("pipeline-7/step-describe")
	if a != b || a == other {
		t.Fatalf("uuids %s %s %s: want equal for one key, different across keys", a, b, other)
	}
	// A version-4 UUID without dashes, as ZStack's manual asks.
	if !regexp.MustCompile(`^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$`).MatchString(a) {
		t.Fatalf("uuid %s is not a dashless version-4 UUID", a)
	}
}
