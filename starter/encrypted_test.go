package main

import (
	"os"
	"strings"
	"testing"

	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/internal/payloadcodec"
)

// A failed pipeline's status, asked by a starter without the worker's
// codec keys, begins with the variables to set and says why in one line,
// not with the long error of a replay that could not decode the input.
func TestStatus_EncryptedPipelineWithoutKeysSaysWhichVariablesToSet(t *testing.T) {
	f, err := os.Open("../workflows/testdata/histories/rejected-rollback--pipeline.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
	if err != nil {
		t.Fatal(err)
	}
	k, err := payloadcodec.NewKey("k2026", make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	codec, err := payloadcodec.New([]payloadcodec.Key{k}, "")
	if err != nil {
		t.Fatal(err)
	}
	start := h.GetEvents()[0].GetWorkflowExecutionStartedEventAttributes()
	if start.Input.Payloads, err = codec.Encode(start.GetInput().GetPayloads()); err != nil {
		t.Fatal(err)
	}

	// What status meets: the replay fails, and so does reading the input.
	_, replayErr := replayProgress(h, "pipeline-rejected", "run-1")
	_, inputErr := startedInput(h)
	if replayErr == nil || inputErr == nil {
		t.Fatalf("an encrypted input was read: replay %v, input %v", replayErr, inputErr)
	}
	err = unreadableProgress("pipeline-rejected", replayErr, inputErr)
	if !encrypted(err) {
		t.Fatalf("%v is not seen as encrypted payloads", err)
	}
	lines := strings.Split(keysHint(err).Error(), "\n")
	if len(lines) != 2 {
		t.Fatalf("want the hint and a one-line cause, got %d lines:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	if !strings.Contains(lines[0], "set IMAGEPIPE_CODEC_KEYS or IMAGEPIPE_CODEC_KEYS_FILE") {
		t.Errorf("the first line is no hint: %q", lines[0])
	}
	if !strings.Contains(lines[1], "pipeline-rejected") || !strings.Contains(lines[1], payloadcodec.Encoding) || strings.Contains(lines[1], "replay") {
		t.Errorf("the cause line should name the pipeline and the encoding, not the replay: %q", lines[1])
	}
}
