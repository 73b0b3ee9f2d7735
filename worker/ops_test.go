package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweitest"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/workflows"
)

// freeAddr is a loopback address no one listens on, for the worker's
// metrics and health endpoints or a dev server.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// get fetches url, returning the status and body; status 0 when nothing
// answered.
func get(url string) (int, string) {
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// eventually polls check until it returns "" or within passes, failing
// the test with the last thing check said.
func eventually(t *testing.T, within time.Duration, what string, check func() string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		why := check()
		if why == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s: %s", what, within, why)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// startWorker starts the worker as a process with its endpoints on a free
// address, returns their base URL, and stops it when the test ends.
func startWorker(t *testing.T, env ...string) string {
	t.Helper()
	url, _ := stoppableWorker(t, env...)
	return url
}

// stoppableWorker is startWorker, with a stop that ends the worker early
// (SIGTERM, then a kill after a minute).
func stoppableWorker(t *testing.T, env ...string) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr := freeAddr(t)
	cmd := workerProcess(ctx, t, append(env, "IMAGEPIPE_METRICS_ADDR="+addr)...)
	var logs strings.Builder
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-exited:
			case <-time.After(time.Minute):
				cancel()
				<-exited
			}
			cancel()
		})
	}
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("worker log:\n%s", logs.String())
		}
	})
	return "http://" + addr, stop
}

// goldImage is the image the Huawei emulator of these tests holds.
const goldImage = "3b0a2f6e-9c41-4d2a-8f7e-5a6b7c8d9e01"

// goldHuawei is a Huawei emulator holding goldImage whose copy jobs take
// jobDuration.
func goldHuawei(t *testing.T, jobDuration time.Duration) *huaweitest.Huawei {
	t.Helper()
	return huaweitest.New(t, huaweisim.Options{
		JobDuration: jobDuration,
		Images:      []huaweisim.Image{{ID: goldImage, Name: "gold-ubuntu-22.04"}},
	}, nil)
}

// huaweiWorkerEnv is the environment of a worker polling queue on the
// shared dev server, calling ims as its Huawei endpoint.
func huaweiWorkerEnv(t *testing.T, queue string, ims *huaweitest.Huawei) []string {
	t.Helper()
	return []string{"TEMPORAL_ADDRESS=" + testenv.Server(t).HostPort, "TEMPORAL_NAMESPACE=default", "IMAGEPIPE_TASK_QUEUE=" + queue,
		"IMAGEPIPE_HUAWEI_ENDPOINT=" + ims.URL, "IMAGEPIPE_HUAWEI_PROJECT_ID=" + ims.Sim.ProjectID(),
		"IMAGEPIPE_HUAWEI_ACCESS_KEY=" + huaweisim.DefaultAccessKey, "IMAGEPIPE_HUAWEI_SECRET_KEY=" + huaweisim.DefaultSecretKey}
}

// startCopy starts, on queue, the pipeline name of one step that copies
// goldImage to an image named target.
func startCopy(ctx context.Context, t *testing.T, c client.Client, queue, name, target string) client.WorkflowRun {
	t.Helper()
	spec, err := workflows.Default().Catalog().Parse("copy.yaml", []byte(`name: `+name+`
steps:
  - id: copy
    uses: huawei.copy_image
    with: {image_id: `+goldImage+`, name: `+target+`}
`))
	if err != nil {
		t.Fatal(err)
	}
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.WorkflowID(spec.Name, time.Now()), TaskQueue: queue},
		workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// readyz is "" when url's /readyz answers 200, else what it answered.
func readyz(url string) string {
	code, body := get(url + "/readyz")
	if code == http.StatusOK {
		return ""
	}
	return fmt.Sprintf("%d %s", code, body)
}

// The SDK's series under the names of Temporal's SDK dashboards, and
// imagepipe's own with vendor, operation and outcome labels, on one
// scrape taken while a pipeline waits for its vendor job. Label values
// pass Prometheus's sanitizer as the dashboards expect: a job kind
// huawei.job reads huawei_job.
func TestWorker_MetricsDuringAPipelineShowTheSDKsAndImagepipesSeries(t *testing.T) {
	ims := goldHuawei(t, 20*time.Second)
	// The first copy is throttled, as IMS's API gateway does (429 APIGW.0308).
	ims.Sim.Faults().Inject(huaweisim.OpCopyImageInRegion, simkit.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second}, 1)
	queue := "metrics-" + fmt.Sprint(time.Now().UnixNano())
	url := startWorker(t, huaweiWorkerEnv(t, queue, ims)...)
	eventually(t, 2*time.Minute, "worker ready", func() string { return readyz(url) })

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	run := startCopy(ctx, t, testenv.Dial(t), queue, "metrics-copy", "gold-ubuntu-web")

	during := []string{
		// Temporal's SDK dashboards (sdk/temporal-go-java-sdks-tally.json) query these names.
		`temporal_request_total{`,
		`temporal_request_latency_seconds_bucket{`,
		`temporal_workflow_task_execution_latency_seconds_bucket{`,
		`temporal_activity_execution_latency_seconds_bucket{`,
		`imagepipe_vendor_call_latency_seconds_bucket{.*operation="HuaweiCopyImage".*outcome="throttled".*vendor="huawei"`,
		`imagepipe_vendor_call_latency_seconds_bucket{.*operation="HuaweiCopyImage".*outcome="ok".*vendor="huawei"`,
		`imagepipe_vendor_throttled_total{.*operation="HuaweiCopyImage".*vendor="huawei".*} 1`,
		`imagepipe_job_polls_total{.*kind="huawei_job"`,
	}
	var scrape string
	eventually(t, 2*time.Minute, "series while the pipeline runs", func() string {
		var body string
		_, body = get(url + "/metrics")
		scrape = body
		if missing := missingSeries(body, during); missing != "" {
			return "no series " + missing
		}
		return ""
	})
	var res workflows.PipelineResult
	if err := run.Get(ctx, &res); err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	if strings.Contains(scrape, `imagepipe_pipelines_total{`) {
		t.Errorf("the scrape taken while the pipeline ran already counts it finished:\n%s", scrape)
	}
	eventually(t, time.Minute, "series after the pipeline", func() string {
		_, body := get(url + "/metrics")
		return missingSeries(body, []string{
			`imagepipe_pipelines_total{.*outcome="succeeded".*} 1`,
			`imagepipe_steps_total{.*action="huawei_copy_image".*outcome="succeeded".*} 1`,
			`imagepipe_job_duration_seconds_count{.*kind="huawei_job".*outcome="succeeded".*} 1`,
			// Jobs run for hours: the buckets reach that far.
			`imagepipe_job_duration_seconds_bucket{.*kind="huawei_job".*le="3600".*} 1`,
		})
	})
}

// A worker that replays a finished pipeline from its history, here to
// answer a query after the worker that ran it has gone, records the SDK's
// series but none of imagepipe's: the workflows record through the
// replay-aware handler, so a pipeline is never counted twice.
func TestWorker_ReplayingAFinishedPipelineCountsNothingAgain(t *testing.T) {
	ims := goldHuawei(t, time.Second)
	queue := "replay-" + fmt.Sprint(time.Now().UnixNano())
	env := huaweiWorkerEnv(t, queue, ims)
	first, stopFirst := stoppableWorker(t, env...)
	eventually(t, 2*time.Minute, "first worker ready", func() string { return readyz(first) })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c := testenv.Dial(t)
	run := startCopy(ctx, t, c, queue, "replay-copy", "gold-ubuntu-replay")
	if err := run.Get(ctx, nil); err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	eventually(t, time.Minute, "the first worker counts the pipeline", func() string {
		_, body := get(first + "/metrics")
		return missingSeries(body, []string{`imagepipe_pipelines_total{.*outcome="succeeded".*} 1`})
	})
	stopFirst()

	second := startWorker(t, env...)
	eventually(t, 2*time.Minute, "second worker ready", func() string { return readyz(second) })
	v, err := c.QueryWorkflow(ctx, run.GetID(), run.GetRunID(), workflows.ProgressQuery)
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	var p workflows.Progress
	if err := v.Get(&p); err != nil || p.Status != workflows.StatusSucceeded {
		t.Fatalf("progress from the replay = %+v, %v; want the pipeline succeeded", p, err)
	}
	var body string
	eventually(t, time.Minute, "the second worker's SDK series of the replay", func() string {
		_, body = get(second + "/metrics")
		return missingSeries(body, []string{`temporal_workflow_task_execution_latency_seconds_count{.*workflow_type="ImagePipeline".*}`})
	})
	time.Sleep(2 * metricsReportInterval) // what the replay recorded has reached the registry
	_, body = get(second + "/metrics")
	// The replay-aware handler may register a series, at zero.
	for _, again := range []string{"imagepipe_pipelines_total", "imagepipe_steps_total"} {
		if regexp.MustCompile(`(?m)^` + again + `\{.*\} [1-9]`).MatchString(body) {
			t.Errorf("the replaying worker counts %s again:\n%s", again, grepLines(body, again))
		}
	}
}

// grepLines are the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// missingSeries is the first of the patterns (each matched against one
// line) that no line of a scrape matches, or "".
func missingSeries(scrape string, patterns []string) string {
	for _, p := range patterns {
		if !regexp.MustCompile(`(?m)^` + p).MatchString(scrape) {
			return p
		}
	}
	return ""
}

// A worker whose Temporal goes away stays alive but says it is not ready,
// naming what it cannot reach, and is ready again once Temporal is back
// on the same address, without a restart.
func TestWorker_ReadyzFailsWhileTemporalIsDownAndRecovers(t *testing.T) {
	srv := testenv.NewDevServerProcess(t) // killed when the test ends
	if err := srv.StartReady(context.Background()); err != nil {
		t.Fatal(err)
	}
	hostPort := srv.HostPort
	url := startWorker(t, "TEMPORAL_ADDRESS="+hostPort, "TEMPORAL_NAMESPACE=default", "IMAGEPIPE_TASK_QUEUE=readyz")
	eventually(t, 2*time.Minute, "worker ready", func() string { return readyz(url) })

	if _, err := srv.Stop(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	eventually(t, time.Minute, "not ready while temporal is down", func() string {
		code, body := get(url + "/readyz")
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "namespace default on temporal at "+hostPort) {
			return fmt.Sprintf("%d %s", code, body)
		}
		return ""
	})
	if code, body := get(url + "/healthz"); code != http.StatusOK {
		t.Errorf("/healthz while temporal is down = %d %s, want 200: the process is alive", code, body)
	}

	if err := srv.StartReady(context.Background()); err != nil {
		t.Fatal(err)
	}
	eventually(t, 3*time.Minute, "ready again once temporal is back", func() string { return readyz(url) })
}

// A metrics address another process holds stops the worker at start,
// naming the variable, before it connects anywhere.
func TestWorker_MetricsAddressInUseExitsNamingTheVariable(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := workerProcess(ctx, t, "TEMPORAL_ADDRESS=127.0.0.1:1", "IMAGEPIPE_METRICS_ADDR="+taken.Addr().String())
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("worker started on a taken metrics address:\n%s", out)
	}
	if want := `IMAGEPIPE_METRICS_ADDR="` + taken.Addr().String() + `"`; !strings.Contains(string(out), want) || !strings.Contains(string(out), "address already in use") {
		t.Errorf("output lacks %s and the reason:\n%s", want, out)
	}
}
