package crash

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
	"github.com/imagepipe/imagepipe/workflows"
)

// Credentials distinctive enough that finding one in a log means a leak.
const (
	fppPassword  = "fpp-crash-Secret-7310"
	imsAccessKey = "IMSCRASHACCESSKEY001"
	imsSecretKey = "ims-crash-Secret-8821"
	zsAccount    = "admin"
	zsPassword   = "zs-crash-Secret-5150"
)

// jobTiming keeps vendor jobs short, so a run is about crashes, not waits.
var jobTiming = simkit.Timing{Activation: time.Second, Job: time.Second}

// shapes are the pipelines a fleet is made of, after the examples: the
// gold rollout (all five actions), the OCI move, the fan-out copy and the
// nightly refresh (without its approval).
var shapes = []string{"gold", "oci", "fanout", "nightly"}

// planned is one pipeline of a fleet and the vendor resources it must
// leave behind, each exactly once.
type planned struct {
	name        string
	shape       string
	spec        *pipeline.Spec
	fppImage    string   // FPP image it imports, if any
	imsCopies   []string // IMS copies it makes, by name
	zstackImage string   // ZStack image it updates, if any
	compartment string   // OCI compartment it creates, if any
	ociImage    string   // OCI image it moves into that compartment, if any
}

// fleet is a set of pipelines that touch disjoint resources, so every
// resource a vendor holds at the end can be traced to one pipeline.
type fleet struct {
	tag       string
	pipelines []*planned
}

// newFleet plans n pipelines, the shapes taking turns, in an order the
// seed shuffles.
func newFleet(t *testing.T, tag string, n int, seed uint64) *fleet {
	t.Helper()
	f := &fleet{tag: tag}
	for i := range n {
		f.pipelines = append(f.pipelines, plan(t, tag, i, shapes[i%len(shapes)]))
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	rng.Shuffle(len(f.pipelines), func(i, j int) { f.pipelines[i], f.pipelines[j] = f.pipelines[j], f.pipelines[i] })
	return f
}

func plan(t *testing.T, tag string, i int, shape string) *planned {
	t.Helper()
	p := &planned{name: fmt.Sprintf("%s-%s-%03d", tag, shape, i), shape: shape}
	var steps []string
	if shape == "gold" || shape == "nightly" {
		p.fppImage = fmt.Sprintf("%s_db_%03d", tag, i)
		steps = append(steps, fmt.Sprintf(`
  - id: import
    uses: fpp.import_image
    with:
      image_name: %s
      path: /u01/app/oracle/product/19.0.0/dbhome_%d
      image_type: ORACLEDBSOFTWARE`, p.fppImage, i))
	}
	switch shape {
	case "gold", "nightly":
		p.imsCopies = []string{p.name + "-copy"}
		steps = append(steps, fmt.Sprintf(`
  - id: copy
    uses: huawei.copy_image
    needs: [import]
    with:
      image_id: %s
      name: %s
      description: Copy of ${{ steps.import.outputs.image_name }}`, huaweisim.DemoSourceImage, p.imsCopies[0]))
	case "fanout":
		p.imsCopies = []string{p.name + "-web", p.name + "-data"}
		steps = append(steps, fmt.Sprintf(`
  - id: copy
    uses: huawei.copy_image
    for_each:
      - {name: %s, team: web}
      - {name: %s, team: data}
    with:
      image_id: %s
      name: ${{ item.name }}
      description: Gold image for team ${{ item.team }}`, p.imsCopies[0], p.imsCopies[1], huaweisim.DemoSourceImage))
	}
	if shape != "oci" {
		p.zstackImage = zstackUUID(i)
		steps = append(steps, fmt.Sprintf(`
  - id: attributes
    uses: zstack.update_image
    needs: [copy]
    with:
      image_uuid: %s
      description: "%s: Huawei copy ${{ steps.copy.outputs.image_id }}"
      platform: Linux`, p.zstackImage, p.name))
	}
	if shape == "gold" || shape == "oci" {
		p.compartment = p.name
		p.ociImage = ociImageID(i)
		steps = append(steps, fmt.Sprintf(`
  - id: compartment
    uses: oci.create_compartment
    with:
      parent_compartment_id: %s
      name: %s
      description: Gold images of %s
      freeform_tags: {owner: crash-test}
  - id: move
    uses: oci.move_image
    with:
      image_id: %s
      compartment_id: ${{ steps.compartment.outputs.compartment_id }}`, ocisim.DemoTenancyID, p.compartment, p.name, p.ociImage))
	}
	src := fmt.Sprintf("name: %s\ndescription: %s pipeline %d of a crash test\n", p.name, shape, i)
	if shape == "fanout" {
		src += "concurrency:\n  huawei: 2\n"
	}
	src += "steps:" + strings.Join(steps, "") + "\n"
	spec, err := workflows.Default().Catalog().Parse(p.name+".yaml", []byte(src))
	if err != nil {
		t.Fatalf("plan %s: %v\n%s", p.name, err, src)
	}
	p.spec = spec
	return p
}

func zstackUUID(i int) string { return fmt.Sprintf("c4a5%028x", i+1) }
func ociImageID(i int) string {
	return fmt.Sprintf("ocid1.image.oc1.iad.aaaaaaaacrashtestimage%06d", i)
}
func (f *fleet) size() int { return len(f.pipelines) }
func (f *fleet) byName() map[string]*planned {
	out := map[string]*planned{}
	for _, p := range f.pipelines {
		out[p.name] = p
	}
	return out
}

// vendorOptions seed the emulators with what the fleet's pipelines name:
// the demo tenancy and IMS source image, and an OCI and a ZStack image of
// each pipeline's own; every job takes jobTiming.
func (f *fleet) vendorOptions() testenv.ServedOptions {
	ociOpts := ocisim.Demo(jobTiming)
	ociOpts.Images = nil
	hw := huaweisim.Demo(jobTiming)
	hw.Credentials = map[string]string{imsAccessKey: imsSecretKey}
	zs := zstacksim.Demo(jobTiming)
	zs.Accounts = map[string]string{zsAccount: zsPassword}
	zs.Images = nil
	for _, p := range f.pipelines {
		if p.ociImage != "" {
			ociOpts.Images = append(ociOpts.Images, ocisim.Image{ID: p.ociImage, CompartmentID: ocisim.DemoTenancyID, DisplayName: p.name})
		}
		if p.zstackImage != "" {
			zs.Images = append(zs.Images, zstacksim.Image{
				UUID: p.zstackImage, Name: p.name, Description: "before " + p.name,
				GuestOSType: "CentOS 7", Platform: "Linux", Architecture: "x86_64", Format: "qcow2", MediaType: "RootVolumeTemplate",
			})
		}
	}
	fpp := fppsim.Options{Username: "crashuser", Password: fppPassword, JobDuration: jobTiming.Job}
	return testenv.ServedOptions{Options: map[string]any{
		activities.VendorOCI: ociOpts, activities.VendorFPP: fpp, activities.VendorHuawei: hw, activities.VendorZStack: zs,
	}}
}

// leaves is what the pipeline must leave at the vendors, each exactly
// once: its FPP image, its IMS copies, one update of its ZStack image
// (describing the copy), its OCI compartment and its OCI image moved into
// it.
func (p *planned) leaves() testenv.Planned {
	out := testenv.Planned{Name: p.name}
	if p.fppImage != "" {
		out.Leaves = append(out.Leaves, testenv.Want{Kind: fppsim.KindImage, Name: p.fppImage})
	}
	for _, name := range p.imsCopies {
		out.Leaves = append(out.Leaves, testenv.Want{Kind: huaweisim.KindImage, Name: name})
	}
	if p.zstackImage != "" {
		out.Leaves = append(out.Leaves, testenv.Want{Kind: zstacksim.KindImage, Name: p.zstackImage, State: p.name + ": Huawei copy "})
	}
	if p.compartment != "" {
		out.Leaves = append(out.Leaves,
			testenv.Want{Kind: ocisim.KindCompartment, Name: p.compartment},
			testenv.Want{Kind: ocisim.KindImage, Name: p.ociImage, State: p.compartment})
	}
	return out
}
