package integration

import (
	"context"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
	"github.com/imagepipe/imagepipe/workflows"
)

func TestRejectedApproval_RollsBackOnTheDevServer(t *testing.T) {
	c := dial(t)
	v := newVendors(t)
	queue := t.Name()
	startWorker(t, c, queue, v.activities()...)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	id, run := startPipeline(ctx, t, c, queue, parseSpec(t, "reject.yaml", `name: reject
on_failure: rollback
steps:
  - id: attributes
    uses: zstack.update_image
    with: {image_uuid: `+zstacksim.DemoImage+`, description: release candidate}
  - id: compartment
    uses: oci.create_compartment
    with: {parent_compartment_id: `+ocisim.DemoTenancyID+`, name: staging, description: Staging}
  - id: move
    uses: oci.move_image
    with: {image_id: `+ocisim.DemoImageID+`, compartment_id: "${{ steps.compartment.outputs.compartment_id }}"}
  - id: gate
    uses: imagepipe.approval
    needs: [attributes, move]
    with: {message: "promote?"}
`))
	decide(ctx, t, c, id, workflows.RejectUpdate, workflows.ApprovalInput{Step: "gate", By: "release-manager", Comment: "not tonight"})
	if err := run.Get(ctx, nil); err == nil {
		t.Fatal("pipeline succeeded after its approval was rejected")
	}
	if img, _ := v.oci.Sim.Image(ocisim.DemoImageID); img.CompartmentID != ocisim.DemoTenancyID || img.Moves != 2 {
		t.Errorf("image in %s after %d moves: want it moved back", img.CompartmentID, img.Moves)
	}
	if zimg, _ := v.zstack.Sim.Image(zstacksim.DemoImage); zimg.Description != "CentOS 7 gold image" {
		t.Errorf("zstack description %q: want the one from before", zimg.Description)
	}
	record(t, "rejected-rollback", historiesOf(ctx, t, c, id))
}
