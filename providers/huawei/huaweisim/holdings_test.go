package huaweisim_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/huawei"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweitest"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Holdings reports every copy by name, one holding per image (two copies
// to one name are two), in progress or done; the seeded source is not
// reported, nor a copy that failed.
func TestHoldings_ReportEveryCopyByNameButNotTheSeededSource(t *testing.T) {
	clock := simkit.NewManualClock(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	h := huaweitest.New(t, huaweisim.Demo(simkit.Timing{Clock: clock.Now, Job: time.Minute}), nil)
	h.Sim.FailCopiesNamed("doomed", "no quota")
	ctx := context.Background()
	for _, name := range []string{"twice", "twice", "doomed"} {
		if _, err := h.Client.CopyImage(ctx, huawei.CopyImageInput{SourceImageID: huaweisim.DemoSourceImage, Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(2 * time.Minute)
	copyOf := simkit.Holding{Kind: huaweisim.KindImage, Name: "twice", Changes: 1}
	if got, want := h.Sim.Holdings(), []simkit.Holding{copyOf, copyOf}; !slices.Equal(got, want) {
		t.Errorf("holdings %+v, want %+v", got, want)
	}
}
