package workflows

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// A wait's input shows its durations as a person writes them, and the
// integer nanoseconds of inputs written before still decode to the same.
func TestAwaitJobInput_DurationsReadAsStringsAndDecodeBothForms(t *testing.T) {
	in := AwaitJobInput{
		Step: "copy", Kind: JobHuawei, JobID: "j1",
		Policy: PollPolicy{Initial: 10 * time.Second, Multiplier: 1.5, Max: time.Minute, Timeout: 24 * time.Hour, PollsPerRun: 200},
		Polls:  3, Delay: 22*time.Second + 500*time.Millisecond,
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"initial":"10s"`, `"max":"1m0s"`, `"timeout":"24h0m0s"`, `"delay":"22.5s"`, `"step":"copy"`, `"polls":3`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("encoded %s, want %s in it", b, want)
		}
	}
	var back AwaitJobInput
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Policy != in.Policy || back.Delay != in.Delay || back.Step != in.Step || back.Polls != in.Polls {
		t.Errorf("decoded %+v, want %+v", back, in)
	}
	// As histories recorded before hold it.
	old := `{"step":"copy","kind":"huawei.job","job_id":"j1","policy":{"initial":10000000000,"multiplier":1.5,"max":60000000000,"timeout":86400000000000,"polls_per_run":200},"polls":3,"delay":22500000000}`
	var fromOld AwaitJobInput
	if err := json.Unmarshal([]byte(old), &fromOld); err != nil {
		t.Fatal(err)
	}
	if fromOld.Policy != in.Policy || fromOld.Delay != in.Delay || fromOld.JobID != "j1" {
		t.Errorf("decoded the integer form to %+v, want %+v", fromOld, in)
	}
	if err := json.Unmarshal([]byte(`{"policy":{"initial":"ten seconds"}}`), &fromOld); err == nil || !strings.Contains(err.Error(), `duration "ten seconds"`) {
		t.Errorf("a bad duration gives %v, want an error naming it", err)
	}
}
