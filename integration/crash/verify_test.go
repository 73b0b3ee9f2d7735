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
)

// duplicates reads what each vendor holds at the end and lists every
// resource that exists more than once, or was changed more than once,
// against the fleet's plan (one compartment per name, one FPP import per
// image, one IMS image per target name, one effective update per ZStack
// image, one move per OCI image), and every planned resource missing from
// a pipeline that said it succeeded.
func duplicates(f *fleet, v *testenv.ServedVendors, succeeded map[string]bool) (dups, missing []string) {
	plans := make([]testenv.Planned, len(f.pipelines))
	for i, p := range f.pipelines {
		plans[i] = p.leaves()
	}
	return v.Held(plans, succeeded)
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
