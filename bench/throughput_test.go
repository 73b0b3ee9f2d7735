package bench

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/workflows"
)

// starter starts one workflow of a kind under the given ID.
type starter func(ctx context.Context, id string) (client.WorkflowRun, error)

// batch is one round of one kind: n workflows, at most conc at once.
type batch struct {
	elapsed   time.Duration
	latencies []float64 // seconds, start call to result
	ids       []string
	actions   map[string]float64 // the server's action metric over the round, by type
}

// runBatch runs n workflows with conc of them in flight at any time (a
// closed loop: each finished one starts the next), and scrapes the
// server's action metric around the round.
func (s *stack) runBatch(ctx context.Context, t *testing.T, prefix string, n, conc int, start starter) batch {
	t.Helper()
	before := s.actions(ctx, t)
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	b := batch{latencies: make([]float64, n), ids: make([]string, n)}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	began := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				id := fmt.Sprintf("%s-%d", prefix, i)
				t0 := time.Now()
				run, err := start(ctx, id)
				if err == nil {
					err = run.Get(ctx, nil)
				}
				if err != nil {
					errs <- fmt.Errorf("%s: %w", id, err)
					continue
				}
				b.latencies[i] = seconds(time.Since(t0))
				b.ids[i] = id
			}
		}()
	}
	wg.Wait()
	b.elapsed = time.Since(began)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	after := s.actions(ctx, t)
	b.actions = map[string]float64{}
	for k, v := range after {
		if d := v - before[k]; d > 0 {
			b.actions[k] = d
		}
	}
	return b
}

// actions is the server's action counter for namespace default, by type.
func (s *stack) actions(ctx context.Context, t *testing.T) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	all, err := scrapeByLabel(ctx, s.metricsURL, "action", "action_type", `namespace="default"`)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range all {
		out[k] = v
	}
	return out
}

// starters are the three kinds' starters on stack s.
func (s *stack) starters(t *testing.T, spec string, rawActivities int) map[string]starter {
	t.Helper()
	parsed, err := workflows.Default().Catalog().Parse("bench.yaml", []byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	return map[string]starter{
		kindImagepipe: func(ctx context.Context, id string) (client.WorkflowRun, error) {
			return s.c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: s.queue}, workflows.ImagePipeline, workflows.PipelineInput{Spec: *parsed})
		},
		kindShape: func(ctx context.Context, id string) (client.WorkflowRun, error) {
			return s.c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: s.floorQueue}, ShapeFloor)
		},
		kindRaw: func(ctx context.Context, id string) (client.WorkflowRun, error) {
			return s.c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: s.floorQueue}, RawFloor, rawActivities)
		},
	}
}

// measureThroughput runs, at each concurrency, rounds that alternate
// imagepipe and both floors (each round starting with the next kind), and
// reports each kind's throughput, latency and cost per workflow.
func measureThroughput(ctx context.Context, t *testing.T, s *stack) *ThroughputResult {
	concs := knobInts(t, "IMAGEPIPE_BENCH_CONCURRENCY", []int{1, 10, 50})
	rounds := knobInt(t, "IMAGEPIPE_BENCH_ROUNDS", 3)
	perConc := knobInt(t, "IMAGEPIPE_BENCH_PER_SLOT", 2)

	// One pipeline alone first: its history is the shape the floor must
	// match, and the raw floor runs as many activities as it did.
	probe := s.starters(t, rolloutSpec, 1)[kindImagepipe]
	b := s.runBatch(ctx, t, "probe", 1, 1, probe)
	shape, err := walkTree(ctx, s.c, b.ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if shape.Activities != shapeActivities || shape.Children != shapeChildren {
		t.Fatalf("the pipeline ran %d activities and %d child workflows, ShapeFloor %d and %d: make the floor match the pipeline again",
			shape.Activities, shape.Children, shapeActivities, shapeChildren)
	}
	res := &ThroughputResult{Rounds: rounds, Activities: shape.Activities, Children: shape.Children,
		ByConcurrency: map[int][]KindStats{}, ActionsByType: map[string]float64{}}
	start := s.starters(t, rolloutSpec, shape.Activities)
	kinds := []string{kindImagepipe, kindShape, kindRaw}
	for _, conc := range concs {
		n := max(10, perConc*conc)
		type acc struct {
			n       int
			elapsed time.Duration
			lat     []float64
			rates   []float64
			actions float64
			last    string
		}
		accs := map[string]*acc{}
		for _, k := range kinds {
			accs[k] = &acc{}
		}
		for r := range rounds {
			for i := range kinds {
				k := kinds[(i+r)%len(kinds)]
				b := s.runBatch(ctx, t, fmt.Sprintf("%s-c%d-r%d-%d", shortKind(k), conc, r, time.Now().UnixNano()%100000), n, conc, start[k])
				a := accs[k]
				a.n += n
				a.elapsed += b.elapsed
				a.lat = append(a.lat, b.latencies...)
				a.rates = append(a.rates, float64(n)/b.elapsed.Seconds())
				for typ, v := range b.actions {
					a.actions += v
					if k == kindImagepipe && conc == concs[0] {
						res.ActionsByType[typ] += v / float64(n*rounds)
					}
				}
				a.last = b.ids[0]
			}
		}
		var stats []KindStats
		for _, k := range kinds {
			a := accs[k]
			tree, err := walkTree(ctx, s.c, a.last)
			if err != nil {
				t.Fatal(err)
			}
			ks := KindStats{Kind: k, Concurrency: conc, Workflows: a.n, Seconds: a.elapsed.Seconds(),
				PerSecond: float64(a.n) / a.elapsed.Seconds(), RoundRates: a.rates,
				P50: percentile(a.lat, 50), P99: percentile(a.lat, 99),
				Events: tree.Events, StateTransitions: tree.StateTransitions, Actions: a.actions / float64(a.n)}
			stats = append(stats, ks)
		}
		res.ByConcurrency[conc] = stats
		ip, sh, raw := stats[0], stats[1], stats[2]
		fmt.Printf("bench: throughput c=%d: imagepipe %.2f/s p50 %.2fs p99 %.2fs | same-shape floor %.2f/s (%.2fx) p99 %.2fs | raw floor %.2f/s (%.2fx) p99 %.2fs\n",
			conc, ip.PerSecond, ip.P50, ip.P99, sh.PerSecond, ratio(ip.PerSecond, sh.PerSecond), sh.P99,
			raw.PerSecond, ratio(ip.PerSecond, raw.PerSecond), raw.P99)
	}
	return res
}

func shortKind(k string) string {
	switch k {
	case kindImagepipe:
		return "bp"
	case kindShape:
		return "shape"
	default:
		return "raw"
	}
}
