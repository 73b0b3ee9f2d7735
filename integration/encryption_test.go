package integration

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/imagepipe/imagepipe/internal/payloadcodec"
	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/huaweiims/imssim"
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
	srv := testenv.Server(t)
	ims := testenv.NewHuawei(t, imssim.Options{
		JobDuration: 2 * time.Second,
		Images:      []imssim.Image{{ID: "3b0a2f6e-9c41-4d2a-8f7e-5a6b7c8d9e01", Name: "gold-ubuntu-22.04"}},
	}, nil)
	// Rotation as an operator does it: the new key first, the old kept.
	keys := "IMAGEPIPE_CODEC_KEYS=k2026=" + newKey(t) + ",k2025=" + newKey(t)
	queue := "sealed-" + time.Now().Format("150405.000000")
	w := testenv.NewWorkerProcess(t, testenv.Build(t, "github.com/imagepipe/imagepipe/worker"), srv.HostPort, queue, []string{
		"IMAGEPIPE_HUAWEI_ENDPOINT=" + ims.URL, "IMAGEPIPE_HUAWEI_PROJECT_ID=" + ims.Sim.ProjectID(),
		"IMAGEPIPE_HUAWEI_ACCESS_KEY=" + imssim.DefaultAccessKey, "IMAGEPIPE_HUAWEI_SECRET_KEY=" + imssim.DefaultSecretKey,
		keys,
	})
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	if err := w.StartReady(ctx); err != nil {
		t.Fatal(err)
	}

	starterBin := testenv.Build(t, "github.com/imagepipe/imagepipe/starter")
	home := t.TempDir()
	env := append(testenv.BaseEnv(home), "TEMPORAL_ADDRESS="+srv.HostPort, "TEMPORAL_NAMESPACE=default",
		"IMAGEPIPE_TASK_QUEUE="+queue, "IMAGEPIPE_UI_URL="+srv.UIURL, keys)
	file := filepath.Join(home, "sealed.yaml")
	if err := os.WriteFile(file, []byte(sealedPipeline), 0o600); err != nil {
		t.Fatal(err)
	}
	id := "pipeline-sealed-" + time.Now().Format("150405.000000")
	starter := func(args ...string) (int, string) {
		cmd := exec.CommandContext(ctx, starterBin, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("starter %v: %v", args, err)
		}
		return cmd.ProcessState.ExitCode(), string(out)
	}
	if code, out := starter("run", "-f", file, "--id", id); code != 0 || !strings.Contains(out, "Succeeded") {
		t.Fatalf("starter run: exit %d\n%s\nworker:\n%s", code, out, w.LogTail())
	}

	// What the server stores, read without the codec.
	histories, err := testenv.HistoryText(ctx, testenv.Dial(t), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(histories) < 2 {
		t.Fatalf("histories of %v: want the pipeline's and its job wait's", keysOf(histories))
	}
	// Workflow IDs are never encrypted (the server indexes them), and a
	// name lock's ID holds the name it locks; the README says so.
	readable := strings.NewReplacer(lockIDs(histories)...)
	for wid, text := range histories {
		text = readable.Replace(text)
		for _, plain := range []string{sealedName, sealedDescription} {
			if strings.Contains(text, plain) {
				t.Errorf("history of %s holds %q in plaintext", wid, plain)
			}
		}
		if !strings.Contains(text, payloadcodec.Encoding) {
			t.Errorf("history of %s holds no %s payload", wid, payloadcodec.Encoding)
		}
	}
	cli, err := testenv.TemporalCLI()
	if err != nil {
		t.Fatal(err)
	}
	show, err := exec.CommandContext(ctx, cli, "workflow", "show", "--address", srv.HostPort, "--workflow-id", id, "--output", "json").CombinedOutput()
	if err != nil {
		t.Fatalf("temporal workflow show: %v\n%s", err, show)
	}
	if shown := readable.Replace(string(show)); strings.Contains(shown, sealedName) || strings.Contains(shown, sealedDescription) {
		t.Errorf("temporal workflow show prints the pipeline's input in plaintext:\n%s", show)
	}

	// The starter, holding the keys, reads the run.
	if code, out := starter("status", id); code != 0 || !strings.Contains(out, "copy") || !strings.Contains(out, "Succeeded") {
		t.Errorf("starter status: exit %d\n%s", code, out)
	}

	// A starter without the keys says what it lacks.
	withoutKeys := env[:len(env)-1]
	cmd := exec.CommandContext(ctx, starterBin, "status", id)
	cmd.Env = withoutKeys
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "encrypted: set IMAGEPIPE_CODEC_KEYS") {
		t.Errorf("starter status without the keys: %v\n%s", err, out)
	}

	// The codec endpoint, as the web UI calls it.
	addr := freeAddr(t)
	const uiOrigin = "http://ui.example:8080"
	codecSrv := &testenv.Process{Name: "codec-server", Path: starterBin, Args: []string{"codec-server", "--listen", addr, "--origins", uiOrigin},
		Env: env, LogPath: filepath.Join(home, "codec.log")}
	t.Cleanup(func() { _ = codecSrv.Kill() })
	if err := codecSrv.Start(); err != nil {
		t.Fatal(err)
	}
	if err := codecSrv.WaitForLog(ctx, "codec endpoint"); err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + addr
	pre, _ := send(t, http.MethodOptions, endpoint+"/decode", nil, map[string]string{
		"Origin": uiOrigin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,x-namespace",
	})
	if pre.StatusCode/100 != 2 || pre.Header.Get("Access-Control-Allow-Origin") != uiOrigin ||
		!strings.Contains(strings.ToLower(pre.Header.Get("Access-Control-Allow-Headers")), "x-namespace") {
		t.Errorf("preflight: status %d, headers %v", pre.StatusCode, pre.Header)
	}

	stored := startedInput(ctx, t, id)
	body, err := protojson.Marshal(&commonpb.Payloads{Payloads: stored})
	if err != nil {
		t.Fatal(err)
	}
	resp, decoded := send(t, http.MethodPost, endpoint+"/decode", body, map[string]string{
		"Origin": uiOrigin, "Content-Type": "application/json", "X-Namespace": "default",
	})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Access-Control-Allow-Origin") != uiOrigin {
		t.Fatalf("decode: status %d, allow origin %q: %s", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"), decoded)
	}
	var plain commonpb.Payloads
	if err := protojson.Unmarshal([]byte(decoded), &plain); err != nil {
		t.Fatalf("decode answer: %v: %s", err, decoded)
	}
	if len(plain.GetPayloads()) != 1 || string(plain.GetPayloads()[0].GetMetadata()["encoding"]) != "json/plain" ||
		!bytes.Contains(plain.GetPayloads()[0].GetData(), []byte(sealedName)) {
		t.Errorf("decoded input %s: want the pipeline's JSON input naming %s", decoded, sealedName)
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

func send(t *testing.T, method, url string, body []byte, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
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
