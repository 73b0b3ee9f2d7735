package testenv

import (
	"fmt"
	"sort"
	"strings"

	"github.com/imagepipe/imagepipe/providers/huaweiims/imssim"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
)

// Planned is what one pipeline of a batch must leave at the vendors, each
// exactly once; empty fields it does not touch. Pipelines of a batch share
// no resource, so everything a vendor holds at the end traces to one.
type Planned struct {
	Name        string
	FPPImage    string   // the FPP image it imports (one import job)
	IMSCopies   []string // the IMS images it copies, by name
	ZStackImage string   // the ZStack image it updates once
	// ZStackDescription starts the description its update leaves.
	ZStackDescription string
	Compartment       string // the OCI compartment it creates under the demo tenancy
	OCIImage          string // the OCI image it moves into that compartment once
}

// Held compares what the vendors hold at the end with the plans: dups
// lists every resource that exists more than once, was changed more than
// once, or that no pipeline asked for; missing lists what a pipeline that
// succeeded should have left and did not. A pipeline that failed may
// leave less, never more.
func (v *ServedVendors) Held(plans []Planned, succeeded map[string]bool) (dups, missing []string) {
	comps := map[string][]ocisim.Compartment{}
	for _, c := range v.OCI.Compartments() {
		if c.ParentID == ocisim.DemoTenancyID && c.LifecycleState != ocisim.CompartmentDeleted {
			comps[c.Name] = append(comps[c.Name], c)
		}
	}
	fppImages := map[string]int{}
	for _, img := range v.FPP.Images() {
		fppImages[img.Name]++
	}
	copies := map[string]int{}
	for _, img := range v.Huawei.Images() {
		if img.ID != imssim.DemoSourceImage {
			copies[img.Name]++
		}
	}
	asked := map[string]bool{}
	count := func(what, name string, n int, ok bool) {
		asked[what+" "+name] = true
		switch {
		case n > 1:
			dups = append(dups, fmt.Sprintf("%s %s: %d of them", what, name, n))
		case n == 0 && ok:
			missing = append(missing, what+" "+name)
		}
	}
	imports := 0
	for _, p := range plans {
		ok := succeeded[p.Name]
		if p.Compartment != "" {
			count("oci compartment", p.Compartment, len(comps[p.Compartment]), ok)
		}
		if p.OCIImage != "" {
			img, _ := v.OCI.Image(p.OCIImage)
			cs := comps[p.Compartment]
			switch {
			case img.Moves > 1:
				dups = append(dups, fmt.Sprintf("oci image %s: moved %d times", p.OCIImage, img.Moves))
			case ok && (len(cs) == 0 || img.CompartmentID != cs[0].ID):
				missing = append(missing, fmt.Sprintf("oci image %s in compartment %s (it is in %s)", p.OCIImage, p.Compartment, img.CompartmentID))
			}
		}
		if p.FPPImage != "" {
			imports++
			count("fpp image", p.FPPImage, fppImages[p.FPPImage], ok)
		}
		for _, name := range p.IMSCopies {
			count("huawei image", name, copies[name], ok)
		}
		if p.ZStackImage != "" {
			n := v.ZStack.AppliedUpdates(p.ZStackImage)
			img, _ := v.ZStack.Image(p.ZStackImage)
			switch {
			case n > 1:
				dups = append(dups, fmt.Sprintf("zstack image %s: updated %d times", p.ZStackImage, n))
			case ok && !strings.HasPrefix(img.Description, p.ZStackDescription):
				missing = append(missing, fmt.Sprintf("zstack image %s described %q..., it says %q", p.ZStackImage, p.ZStackDescription, img.Description))
			}
		}
	}
	if n := v.FPP.JobCount(); n > imports {
		dups = append(dups, fmt.Sprintf("fpp: %d import jobs for %d images", n, imports))
	}
	unasked := func(what string, names map[string]int) {
		for name := range names {
			if !asked[what+" "+name] {
				dups = append(dups, what+" "+name+" that no pipeline asked for")
			}
		}
	}
	lens := map[string]int{}
	for name, cs := range comps {
		lens[name] = len(cs)
	}
	unasked("oci compartment", lens)
	unasked("fpp image", fppImages)
	unasked("huawei image", copies)
	sort.Strings(dups)
	sort.Strings(missing)
	return dups, missing
}
