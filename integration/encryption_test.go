package integration

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"

	"github.com/imagepipe/imagepipe/internal/payloadcodec"
	"github.com/imagepipe/imagepipe/internal/payloadcodec/codectest"
	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
)

// The values an encrypted history must not show: a step's input and the
// pipeline's description (its summary in the web UI).
const (
	sealedName        = "sealed-gold-7f3a9c"
	sealedDescription = "nightly image for customer ACME-51d2e8"
)

const sealedPipeline = `name: sealed
description: ` + sealedDescription + `
steps:
  - id: copy
    uses: huawei.copy_image
    with: {image_id: 3b0a2f6e-9c41-4d2a-8f7e-5a6b7c8d9e01, name: ` + sealedName + `}
`

func newKey(t *testing.T) string {
	t.Helper()
	b := make([]byte, payloadcodec.KeySize)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// A pipeline run with encryption on, by the worker and starter binaries:
// it completes; its stored histories (read with a client that has no
// codec, and as the Temporal CLI shows them) hold ciphertext only;
// `starter status` reads it; and `starter codec-server` answers the web
// UI's CORS preflight and decodes the stored payloads to plaintext.
func TestEncryption_HistoryHoldsCiphertextAndTheCodecEndpointDecodesIt(t *testing.T) {
	// Rotation as an operator does it: the new key first, the old kept.
	s := startSealed(t, "sealed", huaweisim.Options{
		JobDuration: 2 * time.Second,
		Images:      []huaweisim.Image{{ID: "3b0a2f6e-9c41-4d2a-8f7e-5a6b7c8d9e01", Name: "gold-ubuntu-22.04"}},
	}, "IMAGEPIPE_CODEC_KEYS=k2026="+newKey(t)+",k2025="+newKey(t))
	ctx := s.ctx
	id := "pipeline-sealed-" + time.Now().Format("150405.000000")
	if code, out := s.run(t, id, sealedPipeline); code != 0 || !strings.Contains(out, "Succeeded") {
		t.Fatalf("starter run: exit %d\n%s\nworker:\n%s", code, out, s.worker.LogTail())
	}

	// What the server stores, read without the codec.
	histories := s.storedHistories(t, id)
	if len(histories) < 2 {
		t.Fatalf("histories of %v: want the pipeline's and its job wait's", keysOf(histories))
	}
	// Workflow IDs are never encrypted (the server indexes them), and a
	// name lock's ID holds the name it locks; the README says so.
	expectNoPlaintext(t, histories, sealedName, sealedDescription)
	for wid, text := range histories {
		if !strings.Contains(text, payloadcodec.Encoding) {
			t.Errorf("history of %s holds no %s payload", wid, payloadcodec.Encoding)
		}
	}
	cli, err := testenv.TemporalCLI()
	if err != nil {
		t.Fatal(err)
	}
	show, err := exec.CommandContext(ctx, cli, "workflow", "show", "--address", s.srv.HostPort, "--workflow-id", id, "--output", "json").CombinedOutput()
	if err != nil {
		t.Fatalf("temporal workflow show: %v\n%s", err, show)
	}
	readable := strings.NewReplacer(lockIDs(histories)...)
	if shown := readable.Replace(string(show)); strings.Contains(shown, sealedName) || strings.Contains(shown, sealedDescription) {
		t.Errorf("temporal workflow show prints the pipeline's input in plaintext:\n%s", show)
	}

	// The starter, holding the keys, reads the run.
	if code, out := s.starter(t, s.withKeys, "status", id); code != 0 || !strings.Contains(out, "copy") || !strings.Contains(out, "Succeeded") {
		t.Errorf("starter status: exit %d\n%s", code, out)
	}

	// A starter without the keys says what it lacks.
	if code, out := s.starter(t, s.withoutKeys, "status", id); code == 0 || !strings.Contains(out, "encrypted and this starter has no keys: set IMAGEPIPE_CODEC_KEYS") {
		t.Errorf("starter status without the keys: exit %d\n%s", code, out)
	}

	// The codec endpoint, as the web UI calls it.
	addr := freeAddr(t)
	const uiOrigin = "http://ui.example:8080"
	codecSrv := &testenv.Process{Name: "codec-server", Path: s.starterBin, Args: []string{"codec-server", "--listen", addr, "--origins", uiOrigin},
		Env: s.withKeys, LogPath: filepath.Join(s.home, "codec.log")}
	t.Cleanup(func() { _ = codecSrv.Kill() })
	if err := codecSrv.Start(); err != nil {
		t.Fatal(err)
	}
	if err := codecSrv.WaitForLog(ctx, "codec endpoint"); err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + addr
	pre, _ := codectest.Preflight(t, endpoint+"/decode", uiOrigin, "content-type,x-namespace")
	if pre.StatusCode/100 != 2 || pre.Header.Get("Access-Control-Allow-Origin") != uiOrigin ||
		!strings.Contains(strings.ToLower(pre.Header.Get("Access-Control-Allow-Headers")), "x-namespace") {
		t.Errorf("preflight: status %d, headers %v", pre.StatusCode, pre.Header)
	}

	resp, plain := codectest.Decode(t, endpoint+"/decode", startedInput(ctx, t, id), map[string]string{
		"Origin": uiOrigin, "X-Namespace": "default",
	})
	if resp.Header.Get("Access-Control-Allow-Origin") != uiOrigin {
		t.Errorf("decode: allow origin %q", resp.Header.Get("Access-Control-Allow-Origin"))
	}
	if len(plain) != 1 || string(plain[0].GetMetadata()["encoding"]) != "json/plain" ||
		!bytes.Contains(plain[0].GetData(), []byte(sealedName)) {
		t.Errorf("decoded input %v: want the pipeline's JSON input naming %s", plain, sealedName)
	}
}

// startedInput is the pipeline's input as the server stores it.
func startedInput(ctx context.Context, t *testing.T, id string) []*commonpb.Payload {
	t.Helper()
	it := testenv.Dial(t).GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	ev, err := it.Next()
	if err != nil {
		t.Fatal(err)
	}
	in := ev.GetWorkflowExecutionStartedEventAttributes().GetInput().GetPayloads()
	if len(in) != 1 || string(in[0].GetMetadata()["encoding"]) != payloadcodec.Encoding {
		t.Fatalf("stored input %v: want one %s payload", in, payloadcodec.Encoding)
	}
	return in
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// lockIDs are replacer pairs that blank the name locks' workflow IDs.
func lockIDs(histories map[string]string) []string {
	var out []string
	for wid := range histories {
		if strings.HasPrefix(wid, "imagepipe-lock/") {
			out = append(out, wid, "<lock ID>")
		}
	}
	return out
}

func keysOf(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
