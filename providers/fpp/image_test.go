package fpp_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

func asAPIError(t *testing.T, err error) *vendorerr.Error {
	t.Helper()
	var apiErr *vendorerr.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v (%T), want *vendorerr.Error", err, err)
	}
	return apiErr
}

// importOnce is what the import activity does: FPP has no idempotency
// token, so it looks for the image before importing it.
func importOnce(ctx context.Context, c *fpp.Client, in fpp.ImportImageInput) (job fpp.Job, imported bool, err error) {
	if _, found, err := c.GetImage(ctx, in.ImageName); err != nil || found {
		return fpp.Job{}, false, err
	}
	job, err = c.ImportImage(ctx, in)
	return job, err == nil, err
}

func TestImportImage_RetriedAttemptFindsTheImageInsteadOfImportingAgain(t *testing.T) {
	e := newEnv(t, fppsim.Options{JobDuration: time.Minute})
	ctx := context.Background()
	in := fpp.ImportImageInput{ImageName: "DB_GOLD", Path: "/u01/db"}

	job, imported, err := importOnce(ctx, e.client, in)
	if err != nil || !imported {
		t.Fatalf("first attempt: imported=%v err=%v", imported, err)
	}
	e.clock.Advance(time.Minute)
	if got := mustGetJob(t, e.client, job.ID); !got.Succeeded() {
		t.Fatalf("job = %+v, want SUCCEEDED", got)
	}

	// The worker crashed before recording the result; the activity runs again.
	_, imported, err = importOnce(ctx, e.client, in)
	if err != nil || imported {
		t.Fatalf("retried attempt: imported=%v err=%v, want it to find the image", imported, err)
	}

	if n := e.sim.Calls(fppsim.OpImportImage); n != 1 {
		t.Fatalf("server saw %d imports, want 1", n)
	}
	if imgs := e.sim.Images(); len(imgs) != 1 || imgs[0].Name != "DB_GOLD" {
		t.Fatalf("emulator holds %+v, want exactly DB_GOLD", imgs)
	}
}

func TestImportImage_ExistingOrRunningNameIsRefusedWithConflict(t *testing.T) {
	e := newEnv(t, fppsim.Options{
		JobDuration: time.Hour,
		Images:      []fppsim.Image{{Name: "SEEDED"}},
	})
	ctx := context.Background()
	if _, err := e.client.ImportImage(ctx, fpp.ImportImageInput{ImageName: "RUNNING", Path: "/u01/a"}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"SEEDED", "RUNNING"} {
		_, err := e.client.ImportImage(ctx, fpp.ImportImageInput{ImageName: name, Path: "/u01/b"})
		apiErr := asAPIError(t, err)
		if apiErr.StatusCode != 409 || apiErr.Code != fppsim.CodeImageExists || !strings.Contains(apiErr.Message, name) {
			t.Fatalf("%s: got %v, want 409 ImageExists naming it", name, apiErr)
		}
	}
	if n := e.sim.JobCount(); n != 1 {
		t.Fatalf("emulator accepted %d jobs, want 1", n)
	}
}

func TestImportImage_ConcurrentImportsOfOneNameCreateOneJob(t *testing.T) {
	e := newEnv(t, fppsim.Options{JobDuration: time.Minute})
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.client.ImportImage(context.Background(), fpp.ImportImageInput{ImageName: "RACE", Path: "/u01/db"})
		}()
	}
	wg.Wait()
	accepted := 0
	for _, err := range errs {
		if err == nil {
			accepted++
		} else if asAPIError(t, err).StatusCode != 409 {
			t.Fatalf("unexpected refusal %v", err)
		}
	}
	e.clock.Advance(time.Minute)
	if accepted != 1 || len(e.sim.Images()) != 1 {
		t.Fatalf("accepted %d imports, emulator holds %d images; want 1 and 1", accepted, len(e.sim.Images()))
	}
}

func TestImportImage_InvalidBodyIsBadRequestNamingTheField(t *testing.T) {
	tests := []struct {
		name  string
		in    fpp.ImportImageInput
		field string
	}{
		{"no image name", fpp.ImportImageInput{Path: "/u01/db"}, "imageName"},
		{"image name with a slash", fpp.ImportImageInput{ImageName: "a/b", Path: "/u01/db"}, "imageName"},
		{"no path", fpp.ImportImageInput{ImageName: "IMG"}, "path"},
		{"relative path", fpp.ImportImageInput{ImageName: "IMG", Path: "u01/db"}, "path"},
		{"unknown state", fpp.ImportImageInput{ImageName: "IMG", Path: "/u01/db", State: "DRAFT"}, "state"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, fppsim.Options{})
			_, err := e.client.ImportImage(context.Background(), tt.in)
			apiErr := asAPIError(t, err)
			if apiErr.StatusCode != 400 || apiErr.Code != fppsim.CodeInvalidParameter || !strings.Contains(apiErr.Message, tt.field) {
				t.Fatalf("got %v, want 400 InvalidParameter naming %s", apiErr, tt.field)
			}
			if n := e.sim.JobCount(); n != 0 {
				t.Fatalf("invalid import created %d jobs", n)
			}
		})
	}
}

func TestGetImage_AbsentImageIsNotFoundWithoutError(t *testing.T) {
	e := newEnv(t, fppsim.Options{Images: []fppsim.Image{{Name: "DB_18.1", Version: "18.1.0.0.0"}}})
	ctx := context.Background()

	if img, found, err := e.client.GetImage(ctx, "NOPE"); err != nil || found || img.ID != "" {
		t.Fatalf("GetImage(NOPE) = %+v, %v, %v; want not found, no error", img, found, err)
	}
	img, found, err := e.client.GetImage(ctx, "DB_18.1")
	if err != nil || !found || img.Version != "18.1.0.0.0" {
		t.Fatalf("GetImage(DB_18.1) = %+v, %v, %v", img, found, err)
	}
}

func TestImportImage_JobIDsAreDistinctAcrossImports(t *testing.T) {
	e := newEnv(t, fppsim.Options{})
	seen := map[string]bool{}
	for i := range 3 {
		job, err := e.client.ImportImage(context.Background(), fpp.ImportImageInput{ImageName: fmt.Sprintf("IMG%d", i), Path: "/u01/db"})
		if err != nil {
			t.Fatal(err)
		}
		if seen[job.ID] {
			t.Fatalf("job id %s handed out twice", job.ID)
		}
		seen[job.ID] = true
	}
}
