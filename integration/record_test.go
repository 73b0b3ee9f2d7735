package integration

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/sdk/client"
)

// recordDir is where histories are written when IMAGEPIPE_RECORD_HISTORIES
// names a directory (make record-histories): the replay tests in workflows/
// replay them to prove the workflow code still makes the same decisions.
func recordDir() string { return os.Getenv("IMAGEPIPE_RECORD_HISTORIES") }

// record writes each workflow's history as JSON, named after the scenario
// and the workflow's role (its ID past the pipeline's).
func record(t *testing.T, scenario string, hs map[string]history) {
	t.Helper()
	dir := recordDir()
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for wid, h := range hs {
		role := "pipeline"
		if _, rest, ok := strings.Cut(wid, "/"); ok {
			role = strings.NewReplacer("/", "-", ":", "-", "[", "-", "]", "").Replace(rest)
		}
		b, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(h.proto)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, scenario+"--"+role+".json")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		// The workflow ID goes beside it: the replay runs as that workflow.
		if err := os.WriteFile(strings.TrimSuffix(path, ".json")+".id", []byte(wid+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("recorded %s", path)
	}
}

// fullHistory reads one workflow run's history.
func fullHistory(ctx context.Context, t *testing.T, c client.Client, wid string) *historypb.History {
	t.Helper()
	h := &historypb.History{}
	it := c.GetWorkflowHistory(ctx, wid, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatalf("history of %s: %v", wid, err)
		}
		h.Events = append(h.Events, ev)
	}
	return h
}
