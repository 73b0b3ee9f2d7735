package zstacksim_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/zstack"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacktest"
)

// Holdings reports the image an update took effect on, with the
// description it left, once per update that did; a seeded image nobody
// updated is not reported, nor one whose update is still running.
func TestHoldings_ReportEachImageAnUpdateTookEffectOn(t *testing.T) {
	clock := simkit.NewManualClock(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	opts := zstacksim.Demo(simkit.Timing{Clock: clock.Now, Job: time.Minute})
	opts.Images = append(opts.Images, zstacksim.Image{UUID: "0123456789abcdef0123456789abcdef", Name: "untouched"})
	z := zstacktest.New(t, opts, nil)
	ctx := context.Background()
	update := func(key, desc string) {
		t.Helper()
		if _, err := z.Client.UpdateImage(ctx, zstack.UpdateImageInput{UUID: zstacksim.DemoImage, Description: &desc, JobUUID: zstack.JobUUIDFromKey(key)}); err != nil {
			t.Fatal(err)
		}
	}
	update("first", "copy 1")
	if h := z.Sim.Holdings(); len(h) != 0 {
		t.Errorf("while the update runs: %+v, want nothing", h)
	}
	clock.Advance(2 * time.Minute)
	want := []simkit.Holding{{Kind: zstacksim.KindImage, Name: zstacksim.DemoImage, Changes: 1, State: "copy 1"}}
	if h := z.Sim.Holdings(); !slices.Equal(h, want) {
		t.Errorf("after the update: %+v, want %+v", h, want)
	}
	update("second", "copy 2")
	clock.Advance(2 * time.Minute)
	want[0].Changes, want[0].State = 2, "copy 2"
	if h := z.Sim.Holdings(); !slices.Equal(h, want) {
		t.Errorf("after a second update: %+v, want %+v", h, want)
	}
}
