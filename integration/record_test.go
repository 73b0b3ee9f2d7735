package integration

import (
	"context"
	"fmt"
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
// and the workflow's role (its ID past the pipeline's), each name led by
// IMAGEPIPE_RECORD_PREFIX.
func record(t *testing.T, scenario string, hs map[string]history) {
	t.Helper()
	dir := recordDir()
	if dir == "" {
		return
	}
	paths, err := writeRecording(dir, os.Getenv("IMAGEPIPE_RECORD_PREFIX"), scenario, hs)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		t.Logf("recorded %s", p)
	}
}

// writeRecording writes hs into dir under prefix-scenario--role.json, with
// the workflow ID beside each in a .id file. It refuses a prefix that is
// empty and a file that exists: the histories there are the only proof
// that pipelines recorded under older code still replay, so a recording
// goes beside them, never over them.
func writeRecording(dir, prefix, scenario string, hs map[string]history) ([]string, error) {
	if prefix == "" {
		return nil, fmt.Errorf("IMAGEPIPE_RECORD_PREFIX is empty: recordings go beside the older ones, under a prefix of their own (make record-histories PREFIX=<name>)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for wid, h := range hs {
		role := "pipeline"
		if _, rest, ok := strings.Cut(wid, "/"); ok {
			role = strings.NewReplacer("/", "-", ":", "-", "[", "-", "]", "").Replace(rest)
		}
		b, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(h.proto)
		if err != nil {
			return nil, err
		}
		path := filepath.Join(dir, prefix+"-"+scenario+"--"+role+".json")
		if _, err := os.Stat(path); err == nil {
			return nil, fmt.Errorf("%s exists: it proves an older recording still replays; record under another IMAGEPIPE_RECORD_PREFIX", path)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return nil, err
		}
		// The workflow ID goes beside it: the replay runs as that workflow.
		if err := os.WriteFile(strings.TrimSuffix(path, ".json")+".id", []byte(wid+"\n"), 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// A recording goes beside the histories already there: never without a
// prefix of its own, never over a file.
func TestWriteRecording_NeverReplacesAnOlderHistory(t *testing.T) {
	dir := t.TempDir()
	hs := map[string]history{"pipeline-x": {proto: &historypb.History{}}}
	if _, err := writeRecording(dir, "", "gold-rollout", hs); err == nil {
		t.Error("a recording without a prefix was written")
	}
	paths, err := writeRecording(dir, "engine-2027-01", "gold-rollout", hs)
	if err != nil || len(paths) != 1 || filepath.Base(paths[0]) != "engine-2027-01-gold-rollout--pipeline.json" {
		t.Fatalf("first recording: %v %v", paths, err)
	}
	if _, err := writeRecording(dir, "engine-2027-01", "gold-rollout", hs); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("a second recording under the same prefix replaced the first: %v", err)
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
