package integration

import (
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
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
// source image (huaweisim copy.go) and the image's ID. IMS's error code
// stays readable, as the failure's type (huawei.IMG.0027), which retry
// policies match; the README says so.
var vendorWords = []string{"The image ID in the request does not exist", missingImageID}

// A pipeline that fails at a vendor, run with encryption on: its stored
// histories hold no failure message, the vendor's error included, in
// plain text; `starter status` and `starter history` with the keys show
// the real message; without the keys they say which variables to set.
func TestEncryption_FailureMessagesAreCiphertextAndTheStarterReadsThem(t *testing.T) {
	s := startSealed(t, "sealed-fail", huaweisim.Options{JobDuration: time.Second}, "IMAGEPIPE_CODEC_KEYS=k2026="+newKey(t))
	id := "pipeline-sealedfail-" + time.Now().Format("150405.000000")
	code, out := s.run(t, id, sealedFailingPipeline)
	if code == 0 || !strings.Contains(out, "IMG.0027") {
		t.Fatalf("starter run: exit %d, want a failure quoting IMS's IMG.0027\n%s\nworker:\n%s", code, out, s.worker.LogTail())
	}

	// What the server stores, read without the codec.
	histories := s.storedHistories(t, id)
	expectNoPlaintext(t, histories, vendorWords...)
	if !strings.Contains(histories[id], "Encoded failure") {
		t.Errorf("history of %s holds no encoded failure:\n%s", id, histories[id])
	}

	// The starter with the keys shows the vendor's message.
	for _, cmd := range [][]string{{"status", id}, {"history", id}} {
		_, out := s.starter(t, s.withKeys, cmd...)
		if !strings.Contains(out, vendorWords[0]) || strings.Contains(out, "Encoded failure") {
			t.Errorf("starter %s with the keys: want IMS's message\n%s", cmd[0], out)
		}
	}
	// Without them, the variables to set (here the encrypted input stops
	// both commands before any failure is shown; a failure message read
	// alone says the same, as temporalconf's tests show).
	for _, cmd := range [][]string{{"status", id}, {"history", id}} {
		_, out := s.starter(t, s.withoutKeys, cmd...)
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
