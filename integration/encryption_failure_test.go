package integration

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/huaweiims/imssim"
)

// missingImageID is an image the Huawei emulator does not hold: copying
// it fails at the vendor, with a message that quotes IMS's answer.
const missingImageID = "0d9e8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b"

const sealedFailingPipeline = `name: sealedfail
steps:
  - id: copy
    uses: huawei.copy_image
    with: {image_id: ` + missingImageID + `, name: sealed-missing-4b2e}
`

// The vendor's words in the step's failure: IMS's message for an unknown
// source image (imssim copy.go) and the image's ID. IMS's error code
// stays readable, as the failure's type (huawei.IMG.0027), which retry
// policies match; the README says so.
var vendorWords = []string{"The image ID in the request does not exist", missingImageID}

// A pipeline that fails at a vendor, run with encryption on: its stored
// histories hold no failure message, the vendor's error included, in
// plain text; `starter status` and `starter history` with the keys show
// the real message; without the keys they say which variables to set.
func TestEncryption_FailureMessagesAreCiphertextAndTheStarterReadsThem(t *testing.T) {
	srv := testenv.Server(t)
	ims := testenv.NewHuawei(t, imssim.Options{JobDuration: time.Second}, nil)
	keys := "IMAGEPIPE_CODEC_KEYS=k2026=" + newKey(t)
	queue := "sealed-fail-" + time.Now().Format("150405.000000")
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
	withoutKeys := append(testenv.BaseEnv(home), "TEMPORAL_ADDRESS="+srv.HostPort, "TEMPORAL_NAMESPACE=default",
		"IMAGEPIPE_TASK_QUEUE="+queue, "IMAGEPIPE_UI_URL="+srv.UIURL)
	withKeys := append(append([]string(nil), withoutKeys...), keys)
	starter := func(env []string, args ...string) (int, string) {
		cmd := exec.CommandContext(ctx, starterBin, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("starter %v: %v", args, err)
		}
		return cmd.ProcessState.ExitCode(), string(out)
	}
	file := filepath.Join(home, "sealedfail.yaml")
	if err := os.WriteFile(file, []byte(sealedFailingPipeline), 0o600); err != nil {
		t.Fatal(err)
	}
	id := "pipeline-sealedfail-" + time.Now().Format("150405.000000")
	code, out := starter(withKeys, "run", "-f", file, "--id", id)
	if code == 0 || !strings.Contains(out, "IMG.0027") {
		t.Fatalf("starter run: exit %d, want a failure quoting IMS's IMG.0027\n%s\nworker:\n%s", code, out, w.LogTail())
	}

	// What the server stores, read without the codec.
	histories, err := testenv.HistoryText(ctx, testenv.Dial(t), id)
	if err != nil {
		t.Fatal(err)
	}
	readable := strings.NewReplacer(lockIDs(histories)...)
	for wid, text := range histories {
		text = readable.Replace(text)
		for _, plain := range vendorWords {
			if strings.Contains(text, plain) {
				i := strings.Index(text, plain)
				t.Errorf("history of %s holds %q in plaintext: ...%s...", wid, plain, text[max(0, i-300):min(len(text), i+200)])
			}
		}
	}
	if !strings.Contains(histories[id], "Encoded failure") {
		t.Errorf("history of %s holds no encoded failure:\n%s", id, histories[id])
	}

	// The starter with the keys shows the vendor's message.
	for _, cmd := range [][]string{{"status", id}, {"history", id}} {
		_, out := starter(withKeys, cmd...)
		if !strings.Contains(out, vendorWords[0]) || strings.Contains(out, "Encoded failure") {
			t.Errorf("starter %s with the keys: want IMS's message\n%s", cmd[0], out)
		}
	}
	// Without them, the variables to set (here the encrypted input stops
	// both commands before any failure is shown; a failure message read
	// alone says the same, as temporalconf's tests show).
	for _, cmd := range [][]string{{"status", id}, {"history", id}} {
		_, out := starter(withoutKeys, cmd...)
		if !strings.Contains(out, "set IMAGEPIPE_CODEC_KEYS or IMAGEPIPE_CODEC_KEYS_FILE") || strings.Contains(out, "Encoded failure") {
			t.Errorf("starter %s without the keys: want the variables to set\n%s", cmd[0], out)
		}
		for _, plain := range vendorWords {
			if strings.Contains(out, plain) {
				t.Errorf("starter %s without the keys shows %q", cmd[0], plain)
			}
		}
	}
}
