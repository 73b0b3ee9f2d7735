package workflows_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/workflows"
)

// An item queued behind its vendor's cap says so only while it waits for
// a slot: once its own call runs (here, retried after IMS throttles it),
// it no longer claims to be queued.
func TestImagePipeline_AQueuedItemStopsSayingQueuedOnceItsCallRuns(t *testing.T) {
	f := newFixture(t, options{jobDuration: time.Minute})
	// The first copy is accepted long before; the second, let through once
	// the first has ended, is throttled a few times.
	f.at(30*time.Second, func() {
		f.huawei.Sim.Faults().Inject(huaweisim.OpCopyImageInRegion, simkit.Fault{Status: http.StatusTooManyRequests, RetryAfter: 5 * time.Second}, 4)
	})
	var queued, retried []workflows.ItemProgress
	for s := 10 * time.Second; s <= 150*time.Second; s += 5 * time.Second {
		f.at(s, func() {
			st, _ := f.progress(t).Step("copy")
			if len(st.Items) != 2 {
				return
			}
			it := st.Items[1]
			switch copies := f.huawei.Sim.Calls(huaweisim.OpCopyImageInRegion); {
			case it.State != workflows.StepRunning || strings.HasPrefix(it.Detail, "waiting for "):
			case copies >= 2: // its copy has been asked for, and refused
				retried = append(retried, it)
			case strings.HasPrefix(it.Detail, "queued: "):
				queued = append(queued, it)
			}
		})
	}
	if _, err := f.run(t, parse(t, fanOutSpec("concurrency: {huawei: 1}", 2))); err != nil {
		t.Fatal(err)
	}
	if len(queued) == 0 || len(retried) == 0 {
		t.Fatalf("the second item was never seen queued (%d) and then retrying its call (%d)", len(queued), len(retried))
	}
	for _, it := range retried {
		if strings.HasPrefix(it.Detail, "queued: ") {
			t.Errorf("while its own call is retried the item still says %q", it.Detail)
		}
	}
}
