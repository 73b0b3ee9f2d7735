package cluster

import (
	"fmt"
	"testing"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/oci/ocitest"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacktest"
	"github.com/imagepipe/imagepipe/workflows"
)

// planned is pipeline i of a batch, of every action, and what it must
// leave at the vendors, each exactly once: an FPP image, an IMS copy, one
// update of its ZStack image, an OCI compartment and its OCI image moved
// into it (testenv.ServedVendors.Held counts them).
type planned struct {
	testenv.Planned
	spec *pipeline.Spec
}

// plan plans n pipelines of every action and seeds the vendors with the
// OCI and ZStack images they change.
func plan(t *testing.T, v *testenv.ServedVendors, n int) []*planned {
	t.Helper()
	var out []*planned
	for i := range n {
		name := fmt.Sprintf("cluster-%02d", i)
		fppImage := fmt.Sprintf("cluster_%02d_gold", i)
		imsCopy := name + "-copy"
		zstackImage := fmt.Sprintf("c1a5%028d", i)
		ociImage := fmt.Sprintf("ocid1.image.oc1.iad.aaaaaaaacluster%036d", i)
		p := &planned{Planned: testenv.Planned{Name: name, Leaves: []testenv.Want{
			{Kind: fppsim.KindImage, Name: fppImage},
			{Kind: huaweisim.KindImage, Name: imsCopy},
			{Kind: zstacksim.KindImage, Name: zstackImage, State: name + ": Huawei "},
			{Kind: ocisim.KindCompartment, Name: name},
			{Kind: ocisim.KindImage, Name: ociImage, State: name},
		}}}
		ocitest.Sim(v).AddImage(ocisim.Image{ID: ociImage, CompartmentID: ocisim.DemoTenancyID, DisplayName: name})
		zstacktest.Sim(v).AddImage(zstacksim.Image{UUID: zstackImage, Name: name, Description: "before",
			GuestOSType: "CentOS 7", Platform: "Linux", Architecture: "x86_64", Format: "qcow2", MediaType: "RootVolumeTemplate"})
		src := fmt.Sprintf(`name: %[1]s
steps:
  - id: import
    uses: fpp.import_image
    with: {image_name: %[2]s, path: /u01/app/oracle/product/19.0.0/dbhome_1, image_type: ORACLEDBSOFTWARE}
  - id: copy
    uses: huawei.copy_image
    needs: [import]
    with: {image_id: %[3]s, name: %[4]s, description: "Copy of ${{ steps.import.outputs.image_name }}"}
  - id: attributes
    uses: zstack.update_image
    with: {image_uuid: %[5]s, description: "%[1]s: Huawei ${{ steps.copy.outputs.image_id }}", platform: Linux}
  - id: compartment
    uses: oci.create_compartment
    with: {parent_compartment_id: %[6]s, name: %[7]s, description: Cluster test}
  - id: move
    uses: oci.move_image
    with: {image_id: %[8]s, compartment_id: "${{ steps.compartment.outputs.compartment_id }}"}
`, name, fppImage, huaweisim.DemoSourceImage, imsCopy, zstackImage, ocisim.DemoTenancyID, name, ociImage)
		spec, err := workflows.Default().Catalog().Parse(name+".yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		p.spec = spec
		out = append(out, p)
	}
	return out
}
