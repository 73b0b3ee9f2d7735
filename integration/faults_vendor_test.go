package integration

import (
	"context"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Vendors that fail 30% of all requests, job polls included (429 with
// Retry-After, 500, 503, connections dropped before an answer, answers
// lost after the vendor acted, slow answers), lose no pipeline: every one
// completes, no resource exists twice, and no retry comes sooner than the
// vendor's Retry-After asked.
func TestVendorFaults_EveryPipelineCompletesAndNoRetryBeatsRetryAfter(t *testing.T) {
	c := dial(t)
	seed := faultSeed(t)
	n, budget := 20, 3*time.Minute
	if soak() {
		n, budget = 60, 15*time.Minute
	}
	const rate, lostRate = 0.3, 0.02
	loser := testenv.NewAnswerLoser(lostRate, seed)
	v := newSharedVendors(t, n, simkit.Timing{Activation: 1500 * time.Millisecond, Job: 2 * time.Second}, loser.Wrap)
	faults := []*simkit.Faults{v.oci.Sim.Faults(), v.fpp.Sim.Faults(), v.huawei.Sim.Faults(), v.zstack.Sim.Faults()}
	for i, f := range faults {
		f.StartChaos(simkit.Chaos{Rate: rate, Seed: seed + uint64(i) + 1, Throttle: 3, ServerError: 3, Drop: 2, Slow: 2,
			MaxRetryAfter: 3 * time.Second, MaxDelay: 2 * time.Second})
	}
	queue := t.Name()
	startWorker(t, c, queue, v.activities()...)
	specs := make([]*pipeline.Spec, n)
	for i := range specs {
		specs[i] = everyActionSpec(t, i)
	}

	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	start := time.Now()
	outs := runBatch(ctx, t, c, queue, specs)
	took := time.Since(start)
	for _, f := range faults {
		f.StartChaos(simkit.Chaos{}) // quiet, so nothing below is faulted
	}

	lost, stuck := tally(t, c, outs)
	dups, notes := v.duplicates(outs)
	for _, note := range notes {
		t.Errorf("duplicate: %s", note)
	}
	early := v.calls.EarlyRetries()
	for i, e := range early {
		if i < 10 {
			t.Errorf("early retry: %s", e)
		}
	}
	waits, retried := 0, 0
	for _, w := range v.calls.Waits() {
		waits++
		if w.Next != nil {
			retried++
		}
	}
	if retried == 0 {
		t.Errorf("no Retry-After answer was followed by a retry (%d answers asked to wait): the check proved nothing", waits)
	}
	kinds := map[string]int{}
	total := 0
	for _, f := range faults {
		for k, m := range f.Injected() {
			kinds[k] += m
			total += m
		}
	}
	kinds[simkit.KindDropped] += loser.Lost()
	total += loser.Lost()
	for _, k := range []string{simkit.KindThrottled, simkit.KindServerError, simkit.KindDropped, simkit.KindSlow} {
		if kinds[k] == 0 {
			t.Errorf("no %s fault was injected in %d requests: that part of the test proved nothing", k, len(v.calls.Calls()))
		}
	}
	t.Logf("vendor-faults: pipelines=%d faults=%d (429=%d 5xx=%d dropped=%d slow=%d) requests=%d retry-after-waits=%d early-retries=%d lost=%d stuck=%d duplicates=%d took=%.0fs slowest=%.0fs seed=%d",
		n, total, kinds[simkit.KindThrottled], kinds[simkit.KindServerError], kinds[simkit.KindDropped], kinds[simkit.KindSlow],
		len(v.calls.Calls()), retried, len(early), lost, stuck, dups, took.Seconds(), slowest(outs).Seconds(), seed)
}
