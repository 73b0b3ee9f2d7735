package integration

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
	"github.com/imagepipe/imagepipe/workflows"
)

// Cancelled while its ZStack update is on its way or its job is running, a
// pipeline with on_failure: rollback puts the image's attributes back.
func TestRollback_CancelDuringAZStackUpdateRestoresTheAttributes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		prepare func(*vendors)
		ready   func(*vendors) bool
	}{
		{
			// ZStack holds the PUT a few seconds before acting on it; the
			// cancel arrives meanwhile, and the call still lands.
			name: "during the call",
			prepare: func(v *vendors) {
				v.zstack.Sim.Faults().Inject(zstacksim.OpUpdateImage, simkit.Fault{Delay: 4 * time.Second}, 1)
			},
			ready: func(v *vendors) bool { return v.zstack.Sim.Calls(zstacksim.OpUpdateImage) == 1 },
		},
		{
			name:    "during the job",
			prepare: func(v *vendors) { v.zstack.Sim.SetJobDuration(8 * time.Second) },
			ready: func(v *vendors) bool {
				if v.zstack.Sim.Calls(zstacksim.OpGetAPIJob) == 0 {
					return false
				}
				v.zstack.Sim.SetJobDuration(time.Second) // for the restore
				return true
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(t)
			v := newVendors(t)
			tc.prepare(v)
			queue := t.Name()
			startWorker(t, c, queue, v.activities()...)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			id := workflows.WorkflowID("cancel-update", time.Now())
			done := make(chan error, 1)
			go func() {
				_, err := runPipeline(ctx, t, c, queue, id, `name: cancel-update
on_failure: rollback
steps:
  - id: attributes
    uses: zstack.update_image
    with: {image_uuid: `+zstacksim.DemoImage+`, name: gold-centos-7-rc, description: release candidate}
`)
				done <- err
			}()
			for !tc.ready(v) {
				select {
				case err := <-done:
					t.Fatalf("pipeline ended (%v) before it could be cancelled %s", err, tc.name)
				case <-ctx.Done():
					t.Fatal("the update never got under way")
				case <-time.After(20 * time.Millisecond):
				}
			}
			if err := c.CancelWorkflow(ctx, id, ""); err != nil {
				t.Fatal(err)
			}
			canceledAt := time.Now()
			if err := <-done; !temporal.IsCanceledError(err) {
				t.Fatalf("pipeline ended with %v, want cancelled", err)
			}
			// Whatever was still on its way when the pipeline ended lands by now.
			time.Sleep(time.Until(canceledAt.Add(15 * time.Second)))
			img, _ := v.zstack.Sim.Image(zstacksim.DemoImage)
			if img.Name != "gold-centos-7" || img.Description != "CentOS 7 gold image" {
				t.Errorf("zstack image = %q %q after the rollback, want the name and description from before", img.Name, img.Description)
			}
			if got := v.zstack.Sim.AppliedUpdates(zstacksim.DemoImage); got != 2 {
				t.Errorf("%d updates applied, want the update and its restore", got)
			}
			record(t, "cancel-update-"+strings.ReplaceAll(tc.name, " ", "-"), historiesOf(ctx, t, c, id))
		})
	}
}
