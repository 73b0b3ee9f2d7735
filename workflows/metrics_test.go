package workflows_test

import (
	"testing"
	"time"

	"github.com/uber-go/tally/v4"
	sdktally "go.temporal.io/sdk/contrib/tally"

	"github.com/imagepipe/imagepipe/internal/metrics"
)

// counted is the value of the counter name with exactly tags among its
// tags, summed over the other tags (namespace, task queue, workflow type).
func counted(snap tally.Snapshot, name string, tags map[string]string) int64 {
	var n int64
	for _, c := range snap.Counters() {
		if c.Name() == name && hasTags(c.Tags(), tags) {
			n += c.Value()
		}
	}
	return n
}

// timed is how many times the timer name was recorded with tags.
func timed(snap tally.Snapshot, name string, tags map[string]string) int {
	n := 0
	for _, t := range snap.Timers() {
		if t.Name() == name && hasTags(t.Tags(), tags) {
			n += len(t.Values())
		}
	}
	return n
}

func hasTags(have, want map[string]string) bool {
	for k, v := range want {
		if have[k] != v {
			return false
		}
	}
	return true
}

// A pipeline whose second step's job fails and whose first step is rolled
// back records each of those ends once, under the action, job kind and
// outcome an operator filters by.
func TestImagePipeline_RecordsStepsJobsRollbackAndOutcome(t *testing.T) {
	scope := tally.NewTestScope("", nil)
	f := newFixture(t, options{jobDuration: time.Minute, metrics: sdktally.NewMetricsHandler(scope)})
	f.huawei.Sim.FailNextCopy("disk image unreadable")
	_, err := f.run(t, parse(t, `name: attributes-then-copy
on_failure: rollback
steps:
  - id: attributes
    uses: zstack.update_image
    with: {image_uuid: `+zstackImage+`, description: Published}
  - id: copy
    uses: huawei.copy_image
    needs: [attributes]
    with: {image_id: `+sourceImage+`, name: gold-ubuntu-web}
`))
	if err == nil {
		t.Fatal("pipeline succeeded, want the copy's job failure")
	}
	snap := scope.Snapshot()
	for _, c := range []struct {
		name string
		tags map[string]string
		want int64
	}{
		{metrics.Steps, map[string]string{"action": "zstack.update_image", "outcome": "succeeded"}, 1},
		{metrics.Steps, map[string]string{"action": "huawei.copy_image", "outcome": "failed"}, 1},
		{metrics.Pipelines, map[string]string{"outcome": "failed"}, 1},
		{metrics.Pipelines, map[string]string{"outcome": "succeeded"}, 0},
		{metrics.Rollbacks, map[string]string{"action": "zstack.update_image", "outcome": "undone"}, 1},
	} {
		if got := counted(snap, c.name, c.tags); got != c.want {
			t.Errorf("%s%v = %d, want %d", c.name, c.tags, got, c.want)
		}
	}
	if got := counted(snap, metrics.JobPolls, map[string]string{"kind": "huawei.job"}); got < 1 {
		t.Errorf("%s{kind=huawei.job} = %d, want the copy job's looks", metrics.JobPolls, got)
	}
	if got := timed(snap, metrics.JobDuration, map[string]string{"kind": "huawei.job", "outcome": "failed"}); got != 1 {
		t.Errorf("%s{kind=huawei.job,outcome=failed} recorded %d times, want once", metrics.JobDuration, got)
	}
	if got := timed(snap, metrics.JobDuration, map[string]string{"kind": "zstack.job", "outcome": "succeeded"}); got < 1 {
		t.Errorf("%s{kind=zstack.job,outcome=succeeded} recorded %d times, want the update's and the restore's", metrics.JobDuration, got)
	}
}
