package crash

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/huaweiims/imssim"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
)

// duplicates reads what each vendor holds at the end and lists every
// resource that exists more than once, or was changed more than once,
// against the fleet's plan (one compartment per name, one FPP import per
// image, one IMS image per target name, one effective update per ZStack
// image, one move per OCI image), and every planned resource missing from
// a pipeline that said it succeeded.
func duplicates(f *fleet, v *testenv.ServedVendors, succeeded map[string]bool) (dups, missing []string) {
	plans := f.byName()

	// OCI: compartments under the tenancy, by name; each image's moves.
	comps := map[string][]ocisim.Compartment{}
	for _, c := range v.OCI.Compartments() {
		if c.ParentID == ocisim.DemoTenancyID && c.LifecycleState != ocisim.CompartmentDeleted {
			comps[c.Name] = append(comps[c.Name], c)
		}
	}
	for name, cs := range comps {
		if p, ok := plans[name]; !ok || p.compartment != name {
			dups = append(dups, fmt.Sprintf("oci: compartment %s that no pipeline asked for", name))
		} else if len(cs) > 1 {
			dups = append(dups, fmt.Sprintf("oci: %d compartments named %s", len(cs), name))
		}
	}
	// FPP: one import job per planned image, and the image.
	imports := 0
	fppImages := map[string]bool{}
	for _, img := range v.FPP.Images() {
		fppImages[img.Name] = true
	}
	// IMS: copies by name (the source image aside).
	copies := map[string]int{}
	for _, img := range v.Huawei.Images() {
		if img.ID != imssim.DemoSourceImage {
			copies[img.Name]++
		}
	}
	wantCopies, wantImages := map[string]bool{}, map[string]bool{}
	for _, p := range f.pipelines {
		ok := succeeded[p.name]
		if p.compartment != "" {
			cs := comps[p.compartment]
			if len(cs) == 0 && ok {
				missing = append(missing, "oci: compartment "+p.compartment)
			}
			img, _ := v.OCI.Image(p.ociImage)
			switch {
			case img.Moves > 1:
				dups = append(dups, fmt.Sprintf("oci: image %s moved %d times", p.ociImage, img.Moves))
			case ok && (len(cs) == 0 || img.CompartmentID != cs[0].ID):
				missing = append(missing, fmt.Sprintf("oci: image %s in %s, not in compartment %s", p.ociImage, img.CompartmentID, p.compartment))
			}
		}
		if p.fppImage != "" {
			imports++
			wantImages[p.fppImage] = true
			if ok && !fppImages[p.fppImage] {
				missing = append(missing, "fpp: image "+p.fppImage)
			}
		}
		for _, name := range p.imsCopies {
			wantCopies[name] = true
			switch n := copies[name]; {
			case n > 1:
				dups = append(dups, fmt.Sprintf("huawei: %d images named %s", n, name))
			case n == 0 && ok:
				missing = append(missing, "huawei: image "+name)
			}
		}
		if p.zstackImage != "" {
			n := v.ZStack.AppliedUpdates(p.zstackImage)
			img, _ := v.ZStack.Image(p.zstackImage)
			switch {
			case n > 1:
				dups = append(dups, fmt.Sprintf("zstack: image %s updated %d times", p.zstackImage, n))
			case ok && !strings.HasPrefix(img.Description, p.name+": Huawei copy "):
				missing = append(missing, fmt.Sprintf("zstack: image %s says %q", p.zstackImage, img.Description))
			}
		}
	}
	if n := v.FPP.JobCount(); n > imports {
		dups = append(dups, fmt.Sprintf("fpp: %d import jobs for %d images", n, imports))
	}
	for name := range fppImages {
		if !wantImages[name] {
			dups = append(dups, "fpp: image "+name+" that no pipeline asked for")
		}
	}
	for name := range copies {
		if !wantCopies[name] {
			dups = append(dups, "huawei: image "+name+" that no pipeline asked for")
		}
	}
	sort.Strings(dups)
	sort.Strings(missing)
	return dups, missing
}

// leaks lists every credential found in the worker's log, in the
// histories of the pipelines (their job waits included) or in the server's
// database file.
func leaks(ctx context.Context, t *testing.T, c client.Client, v *testenv.ServedVendors, srv *testenv.DevServerProcess, workerLog string, ps []started) []string {
	t.Helper()
	texts := map[string]string{"the worker's log": workerLog}
	var db strings.Builder
	for _, file := range []string{srv.DBFile, srv.DBFile + "-wal"} {
		if b, err := os.ReadFile(file); err == nil {
			texts["the server's database "+filepath.Base(file)] = string(b)
			db.Write(b)
		}
	}
	// The scan would see a leak: the database holds the pipelines' inputs.
	if len(ps) > 0 && !strings.Contains(db.String(), ps[0].spec.Description) {
		t.Errorf("the server's database at %s lacks the input %q: the scan reads the wrong thing", srv.DBFile, ps[0].spec.Description)
	}
	for _, p := range ps {
		hs, err := testenv.HistoryText(ctx, c, p.id)
		if err != nil {
			t.Errorf("read histories of %s: %v", p.name, err)
			continue
		}
		for wid, text := range hs {
			texts["history of "+wid] = text
		}
		// The scan would see a leak: the history does hold the pipeline's input.
		if !strings.Contains(hs[p.id], p.spec.Description) {
			t.Errorf("history of %s lacks its input %q: the scan reads the wrong thing", p.id, p.spec.Description)
		}
	}
	var out []string
	for where, text := range texts {
		for _, s := range v.Secrets {
			if strings.Contains(text, s) {
				out = append(out, fmt.Sprintf("%s holds credential material %q…", where, s[:min(len(s), 12)]))
			}
		}
	}
	sort.Strings(out)
	return out
}
