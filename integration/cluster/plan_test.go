package cluster

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/internal/demo"
	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// planned is pipeline i of a batch and what it must leave at the vendors,
// each exactly once: an FPP image, an IMS copy, one update of its ZStack
// image, an OCI compartment and its OCI image moved into it. No two
// pipelines share a resource, so everything a vendor holds at the end is
// traced to one pipeline.
type planned struct {
	name        string
	spec        *pipeline.Spec
	fppImage    string
	imsCopy     string
	zstackImage string
	compartment string
	ociImage    string
}

// plan plans n pipelines of every action and seeds the vendors with the
// OCI and ZStack images they change.
func plan(t *testing.T, v *testenv.ServedVendors, n int) []*planned {
	t.Helper()
	var out []*planned
	for i := range n {
		p := &planned{
			name:        fmt.Sprintf("cluster-%02d", i),
			fppImage:    fmt.Sprintf("cluster_%02d_gold", i),
			imsCopy:     fmt.Sprintf("cluster-%02d-copy", i),
			zstackImage: fmt.Sprintf("c1a5%028d", i),
			compartment: fmt.Sprintf("cluster-%02d", i),
			ociImage:    fmt.Sprintf("ocid1.image.oc1.iad.aaaaaaaacluster%036d", i),
		}
		v.OCI.AddImage(ocisim.Image{ID: p.ociImage, CompartmentID: demo.OCITenancyID, DisplayName: p.name})
		v.ZStack.AddImage(zstacksim.Image{UUID: p.zstackImage, Name: p.name, Description: "before",
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
`, p.name, p.fppImage, demo.HuaweiSourceImage, p.imsCopy, p.zstackImage, demo.OCITenancyID, p.compartment, p.ociImage)
		spec, err := pipeline.Parse(p.name+".yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		p.spec = spec
		out = append(out, p)
	}
	return out
}

// duplicates lists what the vendors hold more than once, or changed more
// than once, against the plan, and what a pipeline that succeeded should
// have left and did not.
func duplicates(v *testenv.ServedVendors, ps []*planned, succeeded map[string]bool) (dups, missing []string) {
	comps := map[string][]ocisim.Compartment{}
	for _, c := range v.OCI.Compartments() {
		if c.ParentID == demo.OCITenancyID && c.LifecycleState != ocisim.CompartmentDeleted {
			comps[c.Name] = append(comps[c.Name], c)
		}
	}
	fppImages := map[string]int{}
	for _, img := range v.FPP.Images() {
		fppImages[img.Name]++
	}
	copies := map[string]int{}
	for _, img := range v.Huawei.Images() {
		if img.ID != demo.HuaweiSourceImage {
			copies[img.Name]++
		}
	}
	planned := map[string]bool{}
	for _, p := range ps {
		ok := succeeded[p.name]
		planned["oci "+p.compartment], planned["fpp "+p.fppImage], planned["ims "+p.imsCopy] = true, true, true
		switch n := len(comps[p.compartment]); {
		case n > 1:
			dups = append(dups, fmt.Sprintf("oci: %d compartments named %s", n, p.compartment))
		case n == 0 && ok:
			missing = append(missing, "oci: compartment "+p.compartment)
		}
		img, _ := v.OCI.Image(p.ociImage)
		switch {
		case img.Moves > 1:
			dups = append(dups, fmt.Sprintf("oci: image %s moved %d times", p.ociImage, img.Moves))
		case ok && (len(comps[p.compartment]) == 0 || img.CompartmentID != comps[p.compartment][0].ID):
			missing = append(missing, fmt.Sprintf("oci: image %s is in %s, not in compartment %s", p.ociImage, img.CompartmentID, p.compartment))
		}
		switch n := fppImages[p.fppImage]; {
		case n > 1:
			dups = append(dups, fmt.Sprintf("fpp: %d images named %s", n, p.fppImage))
		case n == 0 && ok:
			missing = append(missing, "fpp: image "+p.fppImage)
		}
		switch n := copies[p.imsCopy]; {
		case n > 1:
			dups = append(dups, fmt.Sprintf("huawei: %d images named %s", n, p.imsCopy))
		case n == 0 && ok:
			missing = append(missing, "huawei: image "+p.imsCopy)
		}
		n := v.ZStack.AppliedUpdates(p.zstackImage)
		zs, _ := v.ZStack.Image(p.zstackImage)
		switch {
		case n > 1:
			dups = append(dups, fmt.Sprintf("zstack: image %s updated %d times", p.zstackImage, n))
		case ok && !strings.HasPrefix(zs.Description, p.name+": Huawei "):
			missing = append(missing, fmt.Sprintf("zstack: image %s says %q", p.zstackImage, zs.Description))
		}
	}
	if n := v.FPP.JobCount(); n > len(ps) {
		dups = append(dups, fmt.Sprintf("fpp: %d import jobs for %d images", n, len(ps)))
	}
	for name := range comps {
		if !planned["oci "+name] {
			dups = append(dups, "oci: compartment "+name+" that no pipeline asked for")
		}
	}
	for name := range fppImages {
		if !planned["fpp "+name] {
			dups = append(dups, "fpp: image "+name+" that no pipeline asked for")
		}
	}
	for name := range copies {
		if !planned["ims "+name] {
			dups = append(dups, "huawei: image "+name+" that no pipeline asked for")
		}
	}
	sort.Strings(dups)
	sort.Strings(missing)
	return dups, missing
}
