package fppsim_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/fpp/fpptest"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Holdings reports each image an import was accepted for: Absent while
// its job runs or after it failed, held once it succeeded; a seeded image
// nobody imported is not reported.
func TestHoldings_ReportEachImportedImageAndWhetherItCameToBe(t *testing.T) {
	clock := simkit.NewManualClock(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	f := fpptest.New(t, fppsim.Options{Clock: clock.Now, JobDuration: time.Minute, Images: []fppsim.Image{{Name: "seeded"}}}, nil)
	ctx := context.Background()
	for _, name := range []string{"db_ok", "db_failed"} {
		if name == "db_failed" {
			f.Sim.FailNextImport("disk full")
		}
		if _, err := f.Client.ImportImage(ctx, fpp.ImportImageInput{ImageName: name, Path: "/u01/app/oracle/product/19.0.0/dbhome_1"}); err != nil {
			t.Fatal(err)
		}
	}
	want := []simkit.Holding{
		{Kind: fppsim.KindImage, Name: "db_failed", Changes: 1, Absent: true},
		{Kind: fppsim.KindImage, Name: "db_ok", Changes: 1, Absent: true},
	}
	if h := f.Sim.Holdings(); !slices.Equal(h, want) {
		t.Errorf("while the jobs run: %+v, want %+v", h, want)
	}
	clock.Advance(2 * time.Minute)
	want[1].Absent = false
	if h := f.Sim.Holdings(); !slices.Equal(h, want) {
		t.Errorf("after the jobs: %+v, want %+v", h, want)
	}
}
