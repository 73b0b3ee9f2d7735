package workflows_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"

	"github.com/imagepipe/imagepipe/workflows"
)

// While a step waits for its job with a WaitForJob activity, the job's
// percent is in no history event, so the step table cannot show it: the
// row says where the web UI does, the wait's pending activity by its ID,
// whose heartbeat details carry the job's state and percent.
func TestImagePipeline_StepTableSaysWhereAWaitingJobsPercentIs(t *testing.T) {
	f := newFixture(t, options{jobDuration: 3 * time.Minute})
	var waitID string
	var beat []byte
	f.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		if info.ActivityType.Name == workflows.WaitForJob {
			waitID = info.ActivityID
		}
	})
	f.env.SetOnActivityHeartbeatListener(func(info *activity.Info, details converter.EncodedValues) {
		if info.ActivityType.Name != workflows.WaitForJob {
			return
		}
		var v json.RawMessage
		if details.Get(&v) == nil {
			beat = v
		}
	})
	var during string
	f.at(time.Minute, func() { during = f.currentDetails(t) })
	if _, err := f.run(t, parse(t, vendorCases()[2].spec)); err != nil {
		t.Fatal(err)
	}
	if waitID == "" {
		t.Fatal("the step waited with no WaitForJob activity")
	}
	state := row(t, during, "`step`")[2]
	want := regexp.MustCompile(`^» running: waiting for huawei\.job \S+ \(state and percent: Pending Activities, ` + regexp.QuoteMeta(waitID) + `\)$`)
	if !want.MatchString(state) {
		t.Errorf("while its job runs the step's state reads %q, want it to name the pending activity %s", state, waitID)
	}
	var hb struct {
		State   string `json:"state"`
		Percent int    `json:"percent"`
	}
	if err := json.Unmarshal(beat, &hb); err != nil || hb.State == "" || hb.Percent <= 0 {
		t.Errorf("the wait's heartbeat details %s carry no job state and percent", beat)
	}
	if done := f.currentDetails(t); strings.Contains(done, "Pending Activities") {
		t.Errorf("the finished pipeline's details still point at a pending activity:\n%s", done)
	}
}
