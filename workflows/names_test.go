package workflows_test

import (
	"regexp"
	"testing"

	"github.com/imagepipe/imagepipe/workflows"
)

func TestIdempotencyKey_OneKeyPerExecutionStepAndTarget(t *testing.T) {
	const wid, run, step, target = "pipeline-rollout-20261201T000000.000Z", "0192f0c4-1111-7000-8000-000000000001", "move", "img->dest"
	key := workflows.IdempotencyKey(wid, run, step, target)
	if again := workflows.IdempotencyKey(wid, run, step, target); again != key {
		t.Fatalf("same execution, step and target gave %s then %s", key, again)
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(key) {
		t.Fatalf("key %q is not 32 lower-case hex digits (OCI allows 64, ZStack wants 32)", key)
	}
	for name, other := range map[string]string{
		"a later run under the same workflow ID": workflows.IdempotencyKey(wid, "0192f0c4-2222-7000-8000-000000000002", step, target),
		"another step":                           workflows.IdempotencyKey(wid, run, "rollback", target),
		"another target":                         workflows.IdempotencyKey(wid, run, step, "img->other"),
		"another workflow":                       workflows.IdempotencyKey(wid+"x", run, step, target),
		"fields that only shift a separator":     workflows.IdempotencyKey(wid, run+step, "", target),
	} {
		if other == key {
			t.Errorf("%s got the same key %s", name, key)
		}
	}
}
