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
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweitest"
)

// sealed is a worker binary with encryption on, in front of a Huawei
// emulator, and the starter binary to drive it with or without the keys:
// the setup of every encryption test.
type sealed struct {
	ctx        context.Context
	srv        *testenv.DevServer
	worker     *testenv.WorkerProcess
	starterBin string
	home       string
	queue      string
	// withoutKeys is the starter's environment for the worker's queue;
	// withKeys is the same with the codec keys.
	withoutKeys, withKeys []string
}

// startSealed starts a worker on a queue named after name, holding keys
// (an IMAGEPIPE_CODEC_KEYS=… entry) and calling a Huawei emulator with
// opts, and builds the starter. Everything ends with the test, within
// four minutes.
func startSealed(t *testing.T, name string, opts huaweisim.Options, keys string) *sealed {
	t.Helper()
	s := &sealed{srv: testenv.Server(t), queue: name + "-" + time.Now().Format("150405.000000")}
	ims := huaweitest.New(t, opts, nil)
	s.worker = testenv.NewWorkerProcess(t, testenv.Build(t, "github.com/imagepipe/imagepipe/worker"), s.srv.HostPort, s.queue, []string{
		"IMAGEPIPE_HUAWEI_ENDPOINT=" + ims.URL, "IMAGEPIPE_HUAWEI_PROJECT_ID=" + ims.Sim.ProjectID(),
		"IMAGEPIPE_HUAWEI_ACCESS_KEY=" + huaweisim.DefaultAccessKey, "IMAGEPIPE_HUAWEI_SECRET_KEY=" + huaweisim.DefaultSecretKey,
		keys,
	})
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	t.Cleanup(cancel)
	s.ctx = ctx
	if err := s.worker.StartReady(ctx); err != nil {
		t.Fatal(err)
	}
	s.starterBin = testenv.Build(t, "github.com/imagepipe/imagepipe/starter")
	s.home = t.TempDir()
	s.withoutKeys = append(testenv.BaseEnv(s.home), "TEMPORAL_ADDRESS="+s.srv.HostPort, "TEMPORAL_NAMESPACE=default",
		"IMAGEPIPE_TASK_QUEUE="+s.queue, "IMAGEPIPE_UI_URL="+s.srv.UIURL)
	s.withKeys = append(append([]string(nil), s.withoutKeys...), keys)
	return s
}

// starter runs the starter with env and args and returns its exit code
// and output; a starter that cannot run at all fails the test.
func (s *sealed) starter(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.CommandContext(s.ctx, s.starterBin, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("starter %v: %v", args, err)
	}
	return cmd.ProcessState.ExitCode(), string(out)
}

// run writes the pipeline text to a file and starts it with the keys as
// workflow ID id, waiting for its end.
func (s *sealed) run(t *testing.T, id, text string) (int, string) {
	t.Helper()
	file := filepath.Join(s.home, "pipeline.yaml")
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return s.starter(t, s.withKeys, "run", "-f", file, "--id", id)
}

// storedHistories are the histories of pipeline id and its children as
// the server stores them, read without the codec; the name locks'
// workflow IDs (which hold the name they lock, and are never encrypted)
// are blanked.
func (s *sealed) storedHistories(t *testing.T, id string) map[string]string {
	t.Helper()
	histories, err := testenv.HistoryText(s.ctx, testenv.Dial(t), id)
	if err != nil {
		t.Fatal(err)
	}
	readable := strings.NewReplacer(lockIDs(histories)...)
	for wid, text := range histories {
		histories[wid] = readable.Replace(text)
	}
	return histories
}

// expectNoPlaintext fails the test for each of plains a history holds,
// showing where.
func expectNoPlaintext(t *testing.T, histories map[string]string, plains ...string) {
	t.Helper()
	for wid, text := range histories {
		for _, plain := range plains {
			if i := strings.Index(text, plain); i >= 0 {
				t.Errorf("history of %s holds %q in plaintext: ...%s...", wid, plain, text[max(0, i-300):min(len(text), i+200)])
			}
		}
	}
}
