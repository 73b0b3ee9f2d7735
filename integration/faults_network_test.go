package integration

import (
	"context"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// netFaults counts what the network between the worker and Temporal went
// through.
type netFaults struct {
	latencies, resets, partitions int
	partitioned                   time.Duration
	// runningAtCut is how many pipelines were still running when the
	// first partition began, so the summary shows it cut into live work.
	runningAtCut int
}

// A worker whose connection to Temporal is slowed, reset and cut off for
// seconds loses no pipeline: every one completes and no resource exists
// twice, though activity completions and workflow tasks are lost on the
// way and redone.
func TestNetworkFaults_EveryPipelineCompletesThroughLatencyResetsAndAPartition(t *testing.T) {
	c := dial(t) // the test's own client reaches the server directly
	seed := faultSeed(t)
	// One round of faults in CI; a soak keeps them coming until every
	// pipeline has ended.
	n, rounds, budget := 10, 1, 3*time.Minute
	if soak() {
		n, rounds, budget = 30, 0, 15*time.Minute
	}
	v := newSharedVendors(t, n, simkit.Timing{Activation: 1500 * time.Millisecond, Job: 2 * time.Second}, nil)
	proxy := testenv.NewNetProxy(t, testenv.Server(t).HostPort)
	queue := t.Name()
	startWorker(t, proxy.Dial(t), queue, v.activities()...)
	specs := make([]*pipeline.Spec, n)
	for i := range specs {
		specs[i] = everyActionSpec(t, i)
	}

	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	var running atomic.Int32
	running.Store(int32(n))
	done := make(chan struct{})
	faulted := make(chan netFaults, 1)
	go func() { faulted <- disturb(t, proxy, rand.New(rand.NewPCG(seed, seed>>1)), rounds, &running, done) }()
	start := time.Now()
	outs := runBatch(ctx, t, c, queue, specs, func() { running.Add(-1) })
	took := time.Since(start)
	close(done)
	nf := <-faulted

	lost, stuck := tally(t, c, outs)
	dups, notes := v.duplicates(outs)
	for _, note := range notes {
		t.Errorf("duplicate: %s", note)
	}
	if nf.partitions == 0 || nf.runningAtCut == 0 {
		t.Errorf("no partition cut into running pipelines (%d partitions, %d running at the first): the test proved nothing", nf.partitions, nf.runningAtCut)
	}
	tasks, retries := redone(t, c, outs)
	t.Logf("network-faults: pipelines=%d latency=%d resets=%d partitions=%d (%.0fs, %d pipelines running at the first) redone: workflow-tasks=%d activity-attempts=%d lost=%d stuck=%d duplicates=%d took=%.0fs seed=%d",
		n, nf.latencies, nf.resets, nf.partitions, nf.partitioned.Seconds(), nf.runningAtCut, tasks, retries, lost, stuck, dups, took.Seconds(), seed)
}

// disturb runs rounds of network faults through proxy while pipelines
// run: latency of 50 to 300 ms each way for a few seconds, every
// connection reset, calm, a partition of 4 to 8 seconds, calm. It runs
// rounds rounds, or with rounds 0 until done is closed, and returns what it
// did.
func disturb(t *testing.T, proxy *testenv.NetProxy, rng *rand.Rand, rounds int, running *atomic.Int32, done <-chan struct{}) netFaults {
	var nf netFaults
	between := func(lo, hi time.Duration) time.Duration { return lo + time.Duration(rng.Int64N(int64(hi-lo))) }
	for round := 0; rounds == 0 || round < rounds; round++ {
		if round > 0 {
			select {
			case <-done:
				return nf
			default:
			}
		}
		remove, err := proxy.Latency(between(50*time.Millisecond, 300*time.Millisecond))
		if err != nil {
			t.Error(err)
			return nf
		}
		nf.latencies++
		time.Sleep(between(3*time.Second, 6*time.Second))
		remove()

		remove, err = proxy.Reset()
		if err != nil {
			t.Error(err)
			return nf
		}
		nf.resets++
		time.Sleep(between(300*time.Millisecond, time.Second))
		remove()
		time.Sleep(between(2*time.Second, 4*time.Second))

		if nf.partitions == 0 {
			nf.runningAtCut = int(running.Load())
		}
		cut := between(4*time.Second, 8*time.Second)
		proxy.Cut()
		time.Sleep(cut)
		if err := proxy.Heal(); err != nil {
			t.Error(err)
			return nf
		}
		nf.partitions++
		nf.partitioned += cut
		time.Sleep(between(3*time.Second, 5*time.Second))
	}
	return nf
}
