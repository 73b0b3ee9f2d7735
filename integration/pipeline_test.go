package integration

import (
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/fpp/fpptest"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweitest"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/oci/ocitest"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacktest"
	"github.com/imagepipe/imagepipe/workflows"
)

// zstackPassword is distinctive, so finding it in a history means a leak.
const zstackPassword = "zs-integration-Secret-4242"

// vendors serves the four emulators with the demo data the examples name.
type vendors struct {
	oci    *ocitest.OCI
	fpp    *fpptest.FPP
	huawei *huaweitest.Huawei
	zstack *zstacktest.ZStack
}

func newVendors(t *testing.T) *vendors {
	t.Helper()
	timing := simkit.Timing{Activation: 1500 * time.Millisecond, Job: 2 * time.Second}
	zs := zstacksim.Demo(timing)
	zs.Accounts = map[string]string{zstacksim.DemoAccount: zstackPassword}
	return &vendors{
		oci:    ocitest.New(t, ocisim.Demo(timing), nil),
		fpp:    fpptest.New(t, fppsim.Demo(timing), nil),
		huawei: huaweitest.New(t, huaweisim.Demo(timing), nil),
		zstack: zstacktest.New(t, zs, nil),
	}
}

func (v *vendors) activities() []any {
	return []any{&activities.OCI{Client: v.oci.Client}, &activities.FPP{Client: v.fpp.Client}, &activities.Huawei{Client: v.huawei.Client}, &activities.ZStack{Client: v.zstack.Client}}
}

// secrets are strings that appear in a history only if a credential leaked
// into it: the OCI private key (PEM lines, and base64 as payloads carry
// it) and its fingerprint, the FPP password, the IMS secret key, the ZStack
// password and its SHA-512 (what ZStack's login sends).
func (v *vendors) secrets(t *testing.T) []string {
	t.Helper()
	pem := v.oci.KeyPEM(t)
	var out []string
	for _, line := range strings.Split(pem, "\n") {
		if len(line) >= 40 && !strings.HasPrefix(line, "-----") {
			out = append(out, line)
		}
	}
	if len(out) == 0 {
		t.Fatal("found no key material to look for")
	}
	sum := sha512.Sum512([]byte(zstackPassword))
	return append(out,
		"PRIVATE KEY",
		v.oci.Creds.Fingerprint,
		base64.StdEncoding.EncodeToString([]byte(pem))[:60],
		fppsim.DefaultPassword,
		huaweisim.DefaultSecretKey,
		zstackPassword,
		hex.EncodeToString(sum[:]),
	)
}

func TestExamples_RunOnTheDevServerAndKeepCredentialsOutOfHistory(t *testing.T) {
	c := dial(t)
	files, err := filepath.Glob("../examples/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel() // each example has its own emulators and task queue
			v := newVendors(t)
			queue := t.Name()
			startWorker(t, c, queue, v.activities()...)
			spec, err := workflows.Default().Catalog().ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			id := workflows.WorkflowID(spec.Name, time.Now())
			run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue}, workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec})
			if err != nil {
				t.Fatal(err)
			}
			approveAll(ctx, t, c, id, spec)
			var res workflows.PipelineResult
			if err := run.Get(ctx, &res); err != nil {
				t.Fatalf("pipeline failed: %v", err)
			}
			for _, st := range res.Steps {
				if st.State != workflows.StepSucceeded {
					t.Errorf("step %s ended %s", st.ID, st.State)
				}
			}

			histories := historiesOf(ctx, t, c, id)
			record(t, strings.TrimSuffix(filepath.Base(file), ".yaml"), histories)
			if _, ok := histories[id]; !ok {
				t.Fatalf("found %d workflow histories, none the pipeline's", len(histories))
			}
			for wid, h := range histories {
				for _, s := range v.secrets(t) {
					if strings.Contains(h.text, s) {
						t.Errorf("history of %s contains credential material %q", wid, s[:min(len(s), 24)])
					}
				}
				if h.events > 4096 {
					t.Errorf("history of %s has %d events, over 4096", wid, h.events)
				}
				t.Logf("%s: %d events", wid, h.events)
			}
			// The scan would see a leak: the history does hold the ids the spec gave.
			if !strings.Contains(histories[id].text, spec.Steps[0].With[firstInput(spec.Steps[0])].(string)) {
				t.Fatalf("history of %s lacks the first step's input; the scan reads the wrong thing", id)
			}
		})
	}
}

// approveAll approves each approval step of spec as its first approver,
// as soon as the step waits for it (until then the update is refused).
func approveAll(ctx context.Context, t *testing.T, c client.Client, id string, spec *pipeline.Spec) {
	t.Helper()
	for _, st := range spec.Steps {
		if st.Uses != pipeline.ActionApproval {
			continue
		}
		by := "integration-test"
		if list, ok := st.With["approvers"].([]any); ok && len(list) > 0 {
			by = list[0].(string)
		}
		decide(ctx, t, c, id, workflows.ApproveUpdate, workflows.ApprovalInput{Step: st.ID, By: by, Comment: "checked by the integration test"})
	}
}

// decide sends an approval update, retrying while the step is not yet
// waiting for one.
func decide(ctx context.Context, t *testing.T, c client.Client, id, update string, in workflows.ApprovalInput) {
	t.Helper()
	for {
		h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID: id, UpdateName: update, Args: []any{in}, WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		if err == nil {
			err = h.Get(ctx, nil)
		}
		if err == nil {
			return
		}
		if !strings.Contains(err.Error(), "not waiting for approval") {
			t.Fatalf("%s %s: %v", update, in.Step, err)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("step %s never waited for approval", in.Step)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// firstInput is the name of a step's first input, in sorted order.
func firstInput(st pipeline.Step) string {
	names := make([]string, 0, len(st.With))
	for k, v := range st.With {
		if _, ok := v.(string); ok {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return names[0]
}

// history is one workflow's history: its events, their count and all their text.
type history struct {
	proto  *historypb.History
	events int
	text   string
}

// historiesOf returns the history of the workflow and of every child
// workflow it started, by workflow ID.
func historiesOf(ctx context.Context, t *testing.T, c client.Client, id string) map[string]history {
	t.Helper()
	out := map[string]history{}
	queue := []string{id}
	for len(queue) > 0 {
		wid := queue[0]
		queue = queue[1:]
		h := fullHistory(ctx, t, c, wid)
		var b strings.Builder
		for _, ev := range h.Events {
			testenv.MessageText(ev.ProtoReflect(), &b)
			b.WriteByte('\n')
			if a := ev.GetChildWorkflowExecutionStartedEventAttributes(); a != nil {
				queue = append(queue, a.GetWorkflowExecution().GetWorkflowId())
			}
		}
		out[wid] = history{proto: h, events: len(h.Events), text: b.String()}
	}
	return out
}
