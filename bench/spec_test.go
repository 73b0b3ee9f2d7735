package bench

import (
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// rolloutSpec is the four-step rollout pipeline: FPP import → IMS copy →
// ZStack update, and an OCI compartment in parallel. Every name is the
// run's own (${{ run.id }}, the workflow ID), so no run finds another's
// image or compartment and skips its job.
var rolloutSpec = fourSteps("bench-rollout", "")

// sequentialSpec is rolloutSpec's four steps one after another, so each
// step's latency adds up: the compartment waits for the attributes.
var sequentialSpec = fourSteps("bench-sequential", "\n    needs: [attributes]")

// sequentialSteps is how many steps sequentialSpec runs.
const sequentialSteps = 4

// fourSteps is the pipeline name of import, copy, attributes and
// compartment, the compartment step with compartmentNeeds after its uses
// line: the two specs differ only in what the compartment waits for.
func fourSteps(name, compartmentNeeds string) string {
	return `name: ` + name + `
steps:
  - id: import
    uses: fpp.import_image
    with: {image_name: "img-${{ run.id }}", path: /u01/app/oracle/product/19.0.0/dbhome_1, image_type: ORACLEDBSOFTWARE}
  - id: copy
    uses: huawei.copy_image
    needs: [import]
    with: {image_id: ` + huaweisim.DemoSourceImage + `, name: "${{ steps.import.outputs.image_name }}-copy", description: bench}
  - id: attributes
    uses: zstack.update_image
    needs: [copy]
    with: {image_uuid: ` + zstacksim.DemoImage + `, description: "copy ${{ steps.copy.outputs.image_id }}"}
  - id: compartment
    uses: oci.create_compartment` + compartmentNeeds + `
    with: {parent_compartment_id: ` + ocisim.DemoTenancyID + `, name: "c-${{ run.id }}", description: bench}
`
}
