package huawei_test

import (
	"context"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/huawei"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
)

// copyStep is what an activity does with check-before-create: look for the
// copy by name, and copy only when there is none.
func copyStep(ctx context.Context, c *huawei.Client, source, name string) (existing huawei.Image, jobID string, err error) {
	img, found, err := c.FindImageByName(ctx, name)
	if err != nil || found {
		return img, "", err
	}
	jobID, err = c.CopyImage(ctx, huawei.CopyImageInput{SourceImageID: source, Name: name})
	return huawei.Image{}, jobID, err
}

func TestFindImageByName_RetriedStepFindsTheAcceptedCopyInsteadOfCopyingTwice(t *testing.T) {
	e := newEnv(t, huaweisim.Options{JobDuration: time.Hour})
	ctx := context.Background()
	const name = "pipeline-7-copy-eu"

	_, jobID, err := copyStep(ctx, e.client, e.source.ID, name)
	if err != nil || jobID == "" {
		t.Fatalf("first attempt: job %q, %v", jobID, err)
	}
	// The worker crashes after the POST was accepted; the activity is
	// retried at several points of the copy's life.
	for _, st := range []struct {
		advance time.Duration
		status  string
	}{
		{0, huawei.ImageQueued},
		{30 * time.Minute, huawei.ImageSaving},
		{30 * time.Minute, huawei.ImageActive},
	} {
		e.clock.Advance(st.advance)
		found, again, err := copyStep(ctx, e.client, e.source.ID, name)
		if err != nil {
			t.Fatal(err)
		}
		if again != "" {
			t.Fatalf("retry started a second copy (job %s) while the first was %s", again, st.status)
		}
		if found.Name != name || found.Status != st.status || found.Owner != e.sim.ProjectID() {
			t.Fatalf("retry found %+v, want the copy in status %s", found, st.status)
		}
	}
	if n := len(e.imagesNamed(name)); n != 1 {
		t.Fatalf("emulator holds %d copies named %q, want 1", n, name)
	}
	if n := e.sim.Calls(huaweisim.OpCopyImageInRegion); n != 1 {
		t.Fatalf("emulator saw %d copy requests, want 1", n)
	}
	job, err := e.client.GetJob(ctx, jobID)
	if err != nil || job.ImageID != e.imagesNamed(name)[0].ID {
		t.Fatalf("job %+v does not name the copy found (%v)", job, err)
	}
}

func TestFindImageByName_MatchesOnlyThisProjectsPrivateImageOfThatName(t *testing.T) {
	e := newEnv(t, huaweisim.Options{})
	e.sim.AddImage(huaweisim.Image{Name: "shared-name", ImageType: "gold"})
	e.sim.AddImage(huaweisim.Image{Name: "shared-name-2"})
	e.sim.AddImage(huaweisim.Image{Name: "shared-name", Owner: "another-project"})
	ctx := context.Background()

	if img, found, err := e.client.FindImageByName(ctx, "shared-name"); err != nil || found {
		t.Fatalf("found %+v (%v): public, foreign and similarly named images must not match", img, err)
	}
	mine := e.sim.AddImage(huaweisim.Image{Name: "shared-name"})
	img, found, err := e.client.FindImageByName(ctx, "shared-name")
	if err != nil || !found || img.ID != mine.ID || !img.Active() || img.ImageType != "private" {
		t.Fatalf("found %+v, %v, %v; want the project's own image %s", img, found, err, mine.ID)
	}
}

func TestFindImageByName_PrefersAnActiveImageOverOneInProgress(t *testing.T) {
	e := newEnv(t, huaweisim.Options{JobDuration: time.Hour})
	ctx := context.Background()
	done := e.sim.AddImage(huaweisim.Image{Name: "twin", CreatedAt: e.clock.Now().Add(-time.Hour)})
	if _, err := e.client.CopyImage(ctx, huawei.CopyImageInput{SourceImageID: e.source.ID, Name: "twin"}); err != nil {
		t.Fatal(err)
	}
	img, found, err := e.client.FindImageByName(ctx, "twin")
	if err != nil || !found || img.ID != done.ID {
		t.Fatalf("found %+v, want the older active image %s", img, done.ID)
	}
}

func TestFindImageByName_ThrottledListIsAVendorError(t *testing.T) {
	e := newEnv(t, huaweisim.Options{})
	e.sim.Faults().Inject(huaweisim.OpListImages, faultStatus(429), 1)
	_, _, err := e.client.FindImageByName(context.Background(), "x")
	if ve := vendorError(t, err); ve.Operation != huawei.OpListImages || !ve.Throttled() {
		t.Fatalf("got %+v, want a throttled ListImages error", ve)
	}
}
