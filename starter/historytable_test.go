package main

import (
	"strings"
	"testing"
	"time"
)

// history counts a notification's deliveries as deliveries and a job
// wait's polls as polls, in the singular for one; a wait activity's looks
// too.
func TestHistoryTable_CountsANotificationsDeliveriesAndAWaitsPolls(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	notify := callRecord{Call: "wait", WorkflowID: "p/notify-r/succeeded", Outcome: "completed", Start: at, Duration: "1s"}
	wait := callRecord{Step: "import", Call: "wait for the fpp.job job", WorkflowID: "p/import/fpp.job", Outcome: "completed", Start: at, Duration: "9s"}
	notify.Polls = []callRecord{{Call: "Notify", Outcome: "completed", Start: at, Attempts: 1}}
	wait.Polls = []callRecord{{Call: "FPPJobState", Outcome: "completed", Start: at, Attempts: 1}}
	if !notifyRecord(&notify, "p") {
		t.Fatal("the notification child is not read as one")
	}
	var b strings.Builder
	if err := historyTable(&b, pipelineHistory{Pipeline: "p", WorkflowID: "p", Status: "succeeded", Start: at,
		Calls: []callRecord{wait, notify}}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"notify: succeeded (1 delivery)", "wait for the fpp.job job (1 poll)", "delivery Notify", "poll FPPJobState"} {
		if !strings.Contains(out, want) {
			t.Errorf("history lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "polls)") {
		t.Errorf("history counts one poll as polls:\n%s", out)
	}
	look := callRecord{Summary: "p › import: wait for fpp.job 12", Attempts: 1}
	if activityWait(&look); look.Call != "wait for the fpp.job job (1 look)" {
		t.Errorf("a wait that looked once reads %q", look.Call)
	}
}
