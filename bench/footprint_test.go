package bench

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/workflows"
)

// measureFootprint starts IMAGEPIPE_BENCH_INFLIGHT pipelines whose jobs
// take two hours, so they all stay in flight, and watches the worker
// binary's resident memory and goroutines (its own /metrics) while they
// start and until it has caught up with them (at most
// IMAGEPIPE_BENCH_FOOTPRINT_WATCH from the first start): once per cache
// size of IMAGEPIPE_BENCH_CACHE_SIZES (the SDK's default of 10,000, then
// the worker's), each on a server of its own.
func measureFootprint(ctx context.Context, t *testing.T) *FootprintResult {
	n := knobInt(t, "IMAGEPIPE_BENCH_INFLIGHT", 1000)
	watch := knobDuration(t, "IMAGEPIPE_BENCH_FOOTPRINT_WATCH", 4*time.Minute)
	sizes := knobInts(t, "IMAGEPIPE_BENCH_CACHE_SIZES", []int{10000, 500})
	job := 2 * time.Hour
	res := &FootprintResult{JobHours: job.Hours()}
	for _, size := range sizes {
		t.Run("cache-"+strconv.Itoa(size), func(t *testing.T) {
			p := footprint(ctx, t, n, size, job, watch)
			res.Phases = append(res.Phases, p)
			fmt.Printf("bench: footprint, cache %d: %d pipelines in flight (%d running workflows): worker RSS peak %.0f MB, last %.0f MB%s, %d goroutines at most, %.0f workflows cached\n",
				size, p.Pipelines, p.Running, p.PeakRSSMB, p.LastRSSMB, map[bool]string{true: " and rising", false: ""}[p.Rising], p.PeakGoroutines, p.StickyCache)
		})
	}
	return res
}

func footprint(ctx context.Context, t *testing.T, n, cache int, job, watch time.Duration) FootprintPhase {
	port, err := freeTCPPort()
	if err != nil {
		t.Fatal(err)
	}
	metrics := "http://127.0.0.1:" + port + "/metrics"
	s := newStack(t, stackOptions{timing: simkit.Timing{Activation: job, Job: job}, noFloor: true,
		workerEnv: []string{"IMAGEPIPE_WORKFLOW_CACHE_SIZE=" + strconv.Itoa(cache), "IMAGEPIPE_METRICS_ADDR=127.0.0.1:" + port}})
	spec, err := workflows.Default().Catalog().Parse("bench.yaml", []byte(rolloutSpec))
	if err != nil {
		t.Fatal(err)
	}
	p := FootprintPhase{CacheSize: cache, Pipelines: n}
	var mu sync.Mutex
	type rssAt struct {
		at  time.Time
		rss float64
	}
	var rss []rssAt
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(5 * time.Second)
		defer tick.Stop()
		for {
			if m, err := scrape(ctx, metrics); err == nil {
				mu.Lock()
				mb := m["process_resident_memory_bytes"] / (1 << 20)
				rss = append(rss, rssAt{time.Now(), mb})
				p.PeakRSSMB = max(p.PeakRSSMB, mb)
				p.LastRSSMB = mb
				p.PeakGoroutines = max(p.PeakGoroutines, int(m["go_goroutines"]))
				// The gauge is reported under more than one set of labels,
				// each saying the same size: the largest is the cache's.
				if cached, err := scrapeMax(ctx, metrics, "temporal_sticky_cache_size"); err == nil {
					p.StickyCache = cached
				}
				mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	began := time.Now()
	ids := make(chan int, n)
	for i := range n {
		ids <- i
	}
	close(ids)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ids {
				id := fmt.Sprintf("fp-%d-%d", cache, i)
				if _, err := s.c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: s.queue}, workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec}); err != nil {
					errs <- fmt.Errorf("start %s: %w", id, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	p.StartSeconds = time.Since(began).Seconds()
	// Watch until the worker has caught up (no workflow task waits for
	// it, twice running, a minute at least), then a minute more, or
	// until the watch's limit.
	deadline := began.Add(watch)
	caughtUp, zeros := time.Time{}, 0
	for time.Now().Before(deadline) {
		time.Sleep(5 * time.Second)
		if !caughtUp.IsZero() {
			if time.Since(caughtUp) >= time.Minute {
				break
			}
			continue
		}
		backlog, err := workflowBacklog(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if backlog == 0 {
			zeros++
		} else {
			zeros = 0
		}
		if zeros >= 2 && time.Since(began) >= time.Minute {
			caughtUp = time.Now()
			p.CaughtUpSeconds = time.Since(began).Seconds()
		}
	}
	close(stop)
	<-sampled
	p.WatchSeconds = time.Since(began).Seconds()
	count, err := s.c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: "default", Query: "ExecutionStatus='Running'"})
	if err != nil {
		t.Fatal(err)
	}
	p.Running = int(count.GetCount())
	mu.Lock()
	defer mu.Unlock()
	if len(rss) == 0 {
		t.Fatalf("the worker's /metrics at %s never answered; its log:\n%s", metrics, s.worker.LogTail())
	}
	// Still rising: 5% more than a minute before the end.
	last := rss[len(rss)-1]
	for _, smp := range rss {
		if last.at.Sub(smp.at) <= time.Minute {
			p.Rising = last.rss > smp.rss*1.05
			break
		}
	}
	return p
}

// workflowBacklog is how many workflow tasks of the worker's queue wait
// for a worker, by the server's own count.
func workflowBacklog(ctx context.Context, s *stack) (int64, error) {
	d, err := s.c.WorkflowService().DescribeTaskQueue(ctx, &workflowservice.DescribeTaskQueueRequest{
		Namespace: "default", TaskQueue: &taskqueuepb.TaskQueue{Name: s.queue, Kind: enumspb.TASK_QUEUE_KIND_NORMAL},
		TaskQueueType: enumspb.TASK_QUEUE_TYPE_WORKFLOW, ReportStats: true,
	})
	if err != nil {
		return 0, fmt.Errorf("describe task queue %s: %w", s.queue, err)
	}
	return d.GetStats().GetApproximateBacklogCount(), nil
}
