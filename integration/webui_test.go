package integration

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/workflows"
)

// chromium finds a headless browser; CI installs one and sets
// IMAGEPIPE_REQUIRE_BROWSER so that a missing one fails instead of skipping.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("IMAGEPIPE_REQUIRE_BROWSER") != "" {
		t.Fatal("no chromium on PATH, and IMAGEPIPE_REQUIRE_BROWSER is set")
	}
	t.Skip("no chromium on PATH")
	return ""
}

// The web UI is where people watch pipelines: the workflow page of a run
// must show its ID, its state and each vendor call under its step's name.
func TestWebUI_ShowsAPipelineRunStepByStep(t *testing.T) {
	browser := chromium(t)
	c := dial(t)
	v := newVendors(t)
	queue := t.Name()
	startWorker(t, c, queue, v.activities()...)
	spec, err := workflows.Default().Catalog().ParseFile("../examples/oci-move.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	id := workflows.WorkflowID(spec.Name, time.Now())
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue, StaticSummary: spec.Description}, workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec})
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
	page1 := testenv.Server(t).UIURL + "/namespaces/default/workflows/" + id
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--virtual-time-budget=15000", "--dump-dom", page1)
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	page := string(dom)
	for _, want := range []string{id, "Completed", "ImagePipeline", "move: read image", "oci-move › compartment: wait for oci.compartment"} {
		if !strings.Contains(page, want) {
			t.Errorf("the workflow page lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("page (%d bytes) began: %.2000s", len(page), page)
	}

	// The README's link to pipelines only: the workflow list filtered on
	// the workflow type lists the pipeline and not its job waits.
	list := testenv.Server(t).UIURL + "/namespaces/default/workflows?query=" + url.QueryEscape(`WorkflowType = "ImagePipeline"`)
	cmd = exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--virtual-time-budget=15000", "--dump-dom", list)
	dom, err = cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	// (Unfiltered, the same list shows the job wait too.)
	if page := string(dom); !strings.Contains(page, id) || strings.Contains(page, id+"/compartment/") {
		t.Errorf("the pipelines-only list does not show the pipeline alone (pipeline listed: %v, its job wait listed: %v)",
			strings.Contains(page, id), strings.Contains(page, id+"/compartment/"))
	}
}

// renderedDetails is the pipeline's current details as the web UI renders
// them on its User Metadata tab (in a frame of their own): the step table's
// header and rows, the instructions' lines, and the link's target.
type renderedDetails struct {
	Header []string   `json:"header"`
	Rows   [][]string `json:"rows"`
	Items  []string   `json:"items"`
	Links  []string   `json:"links"`
}

// readDetails is the page script that reads renderedDetails once the
// frame shows a table, and null until then.
const readDetails = `(() => {
  for (const f of document.querySelectorAll('iframe')) {
    const d = f.contentDocument;
    if (!d || !d.querySelector('table')) continue;
    const text = el => el.textContent.trim();
    return {
      header: [...d.querySelectorAll('thead th')].map(text),
      rows: [...d.querySelectorAll('tbody tr')].map(tr => [...tr.querySelectorAll('td')].map(text)),
      items: [...d.querySelectorAll('li')].map(text),
      links: [...d.querySelectorAll('a')].map(a => a.getAttribute('href')),
    };
  }
  return null;
})()`

// The web UI shows a pipeline waiting for approval as a step table (state,
// duration, outputs, attempts per step) and says how to decide: the
// approve and reject commands, who may approve, the deadline, the link.
// The approve command it shows is the one that lets the pipeline go on.
// With IMAGEPIPE_SCREENSHOT set to a path, the page is saved there as a
// PNG (make screenshot: the README's picture).
func TestWebUI_ShowsTheStepTableAndHowToApprove(t *testing.T) {
	browser := chromium(t)
	c := dial(t)
	v := newVendors(t)
	queue := t.Name()
	startWorker(t, c, queue, v.activities()...)
	spec, err := workflows.Default().Catalog().ParseFile("../examples/nightly-refresh.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	id := workflows.WorkflowID(spec.Name, time.Now())
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue, StaticSummary: spec.Description},
		workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.TerminateWorkflow(context.Background(), id, "", "test ended") })
	for {
		if p, err := queryProgress(ctx, c, id); err == nil {
			if s, _ := p.Step("release"); s.State == workflows.StepWaiting {
				break
			}
		}
		if ctx.Err() != nil {
			t.Fatal("the pipeline never reached its approval step")
		}
		time.Sleep(500 * time.Millisecond)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1600, 1000))
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	page := testenv.Server(t).UIURL + "/namespaces/default/workflows/" + id
	if err := chromedp.Do(bctx, chromedp.Navigate(page), chromedp.Click(`[data-testid="user-metadata-tab"]`)); err != nil {
		t.Fatalf("open the pipeline's User Metadata tab: %v", err)
	}
	got, err := chromedp.Run(bctx, chromedp.Poll[renderedDetails](readDetails, chromedp.WithPollingTimeout(time.Minute)))
	if err != nil {
		t.Fatalf("the User Metadata tab shows no step table: %v", err)
	}

	if want := []string{"step", "action", "state", "duration", "outputs", "attempts"}; strings.Join(got.Header, "|") != strings.Join(want, "|") {
		t.Errorf("the table's header is %q, want %q", got.Header, want)
	}
	rows := map[string][]string{}
	for _, r := range got.Rows {
		if len(r) == 6 {
			rows[r[0]] = r
		}
	}
	checks := []struct {
		step   string
		action string
		state  string
		dur    string // a pattern
		output string // a pattern
		tries  string
	}{
		{"import", "fpp.import_image", "✓ succeeded", `^\d+s$`, `^image_name=db19_nightly_\d{8}, job_id=\S+$`, "1"},
		{"copy", "huawei.copy_image", "✓ succeeded", `^\d+s$`, `^image_id=[0-9a-f]{8}…, job_id=[0-9a-f]{8}…$`, "1"},
		{"release", "imagepipe.approval", "? waiting for approval", `^since \d\d:\d\d:\d\d UTC$`, `^$`, ""},
		{"promote", "zstack.update_image", "· pending", `^$`, `^$`, ""},
	}
	for _, want := range checks {
		r, ok := rows[want.step]
		if !ok {
			t.Errorf("no row for step %s among %q", want.step, got.Rows)
			continue
		}
		if r[1] != want.action || r[2] != want.state || !regexp.MustCompile(want.dur).MatchString(r[3]) ||
			!regexp.MustCompile(want.output).MatchString(r[4]) || r[5] != want.tries {
			t.Errorf("step %s's row reads %q, want %s, %s, duration %s, outputs %s, attempts %q", want.step, r, want.action, want.state, want.dur, want.output, want.tries)
		}
	}

	items := strings.Join(got.Items, "\n")
	approve := "starter approve " + id + " --step release --by release-manager"
	for _, want := range []string{
		"who may approve: release-manager",
		"approve: " + approve,
		"reject: starter reject " + id + ` --step release --by release-manager --comment "why"`,
		"web UI: " + id,
	} {
		if !strings.Contains(items, want) {
			t.Errorf("the approval instructions lack %q:\n%s", want, items)
		}
	}
	if !regexp.MustCompile(`deadline: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC`).MatchString(items) {
		t.Errorf("the approval instructions give no deadline:\n%s", items)
	}
	if want := "/namespaces/default/workflows/" + id; len(got.Links) != 1 || got.Links[0] != want {
		t.Errorf("the instructions link to %q, want %q", got.Links, want)
	}

	if path := os.Getenv("IMAGEPIPE_SCREENSHOT"); path != "" {
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if len(png) > 300<<10 {
			t.Errorf("the screenshot is %d KiB; keep the README's picture under 300", len(png)>>10)
		} else if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// The command shown is the one that works: its step and approver let
	// the pipeline go on to its end.
	fields := strings.Fields(approve)
	h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: fields[2], UpdateName: workflows.ApproveUpdate, WaitForStage: client.WorkflowUpdateStageCompleted,
		Args: []any{workflows.ApprovalInput{Step: fields[4], By: fields[6]}},
	})
	if err == nil {
		err = h.Get(ctx, nil)
	}
	if err != nil {
		t.Fatalf("the approve command the UI shows was refused: %v", err)
	}
	if err := run.Get(ctx, nil); err != nil {
		t.Fatalf("the approved pipeline failed: %v", err)
	}
}

func queryProgress(ctx context.Context, c client.Client, id string) (workflows.Progress, error) {
	var p workflows.Progress
	v, err := c.QueryWorkflow(ctx, id, "", workflows.ProgressQuery)
	if err == nil {
		err = v.Get(&p)
	}
	return p, err
}
