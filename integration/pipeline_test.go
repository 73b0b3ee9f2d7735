package integration

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/workflows"
)

func TestOCIExample_RunsOnTheDevServerAndKeepsCredentialsOutOfHistory(t *testing.T) {
	c := dial(t)
	o := testenv.NewOCI(t, ocisim.Options{
		ActivationDelay: 1500 * time.Millisecond,
		TenancyID:       ocisim.DemoTenancyID,
		Images:          []ocisim.Image{{ID: ocisim.DemoImageID, CompartmentID: ocisim.DemoTenancyID, DisplayName: "gold"}},
	}, nil)
	queue := t.Name()
	startWorker(t, c, queue, &activities.Activities{OCI: o.Client})

	spec, err := pipeline.ParseFile("../examples/oci-move.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	id := workflows.WorkflowID(spec.Name, time.Now())
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue}, workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec})
	if err != nil {
		t.Fatal(err)
	}
	var res workflows.PipelineResult
	if err := run.Get(ctx, &res); err != nil {
		t.Fatalf("pipeline failed: %v", err)
	}
	comps := o.Sim.Compartments()
	if img, _ := o.Sim.Image(ocisim.DemoImageID); len(comps) != 1 || img.CompartmentID != comps[0].ID {
		t.Fatalf("image in %s, compartments %+v: want the image in the one new compartment", img.CompartmentID, comps)
	}

	histories := historiesOf(ctx, t, c, id)
	if len(histories) < 2 {
		t.Fatalf("found %d workflow histories, want the pipeline's and its compartment wait's", len(histories))
	}
	secrets := credentialMarkers(t, o)
	for wid, h := range histories {
		for _, s := range secrets {
			if strings.Contains(h, s) {
				t.Errorf("history of %s contains credential material %q", wid, s[:min(len(s), 24)])
			}
		}
	}
	// The check would see a leak: the history does hold the ids the spec gave.
	if !strings.Contains(histories[id], ocisim.DemoImageID) {
		t.Fatalf("history of %s does not even contain the image id; the scan reads the wrong thing", id)
	}
}

// eventText writes every string and byte field of m, recursively: payloads
// (which carry inputs and results as JSON bytes), failure messages, headers
// and memos alike, so a scan sees what a history really holds.
func eventText(m protoreflect.Message, b *strings.Builder) {
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList():
			for i := range v.List().Len() {
				fieldText(fd, v.List().Get(i), b)
			}
		case fd.IsMap():
			v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				b.WriteString(k.String())
				b.WriteByte(' ')
				fieldText(fd.MapValue(), mv, b)
				return true
			})
		default:
			fieldText(fd, v, b)
		}
		return true
	})
}

func fieldText(fd protoreflect.FieldDescriptor, v protoreflect.Value, b *strings.Builder) {
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		eventText(v.Message(), b)
	case protoreflect.StringKind:
		b.WriteString(v.String())
	case protoreflect.BytesKind:
		b.Write(v.Bytes())
	default:
		return
	}
	b.WriteByte(' ')
}

// historiesOf returns the text of the workflow's history and of every child
// workflow it started, by workflow ID.
func historiesOf(ctx context.Context, t *testing.T, c client.Client, id string) map[string]string {
	t.Helper()
	out := map[string]string{}
	queue := []string{id}
	for len(queue) > 0 {
		wid := queue[0]
		queue = queue[1:]
		var b strings.Builder
		it := c.GetWorkflowHistory(ctx, wid, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				t.Fatalf("history of %s: %v", wid, err)
			}
			eventText(ev.ProtoReflect(), &b)
			b.WriteByte('\n')
			if a := ev.GetChildWorkflowExecutionStartedEventAttributes(); a != nil {
				queue = append(queue, a.GetWorkflowExecution().GetWorkflowId())
			}
		}
		out[wid] = b.String()
	}
	return out
}

// credentialMarkers are strings that appear in history only if a credential
// leaked into it: the private key, in PEM and as the raw base64 that
// payloads would carry, and the signing key's id.
func credentialMarkers(t *testing.T, o *testenv.OCI) []string {
	t.Helper()
	pem := testenv.ReadFile(t, o.ConfigFile, "key_file")
	var markers []string
	for _, line := range strings.Split(pem, "\n") {
		if len(line) >= 40 && !strings.HasPrefix(line, "-----") {
			markers = append(markers, line)
		}
	}
	if len(markers) == 0 {
		t.Fatal("found no key material to look for")
	}
	markers = append(markers,
		"PRIVATE KEY",
		o.Creds.Fingerprint,
		base64.StdEncoding.EncodeToString([]byte(pem))[:60],
	)
	return markers
}
