package main

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// createSchedule makes a schedule of the oci-move example, deleted when the
// test ends.
func createSchedule(t *testing.T, id string, extra ...string) {
	t.Helper()
	args := append([]string{"schedule", "create", "-f", "../examples/oci-move.yaml", "--id", id, "--cron", "0 2 * * *"}, extra...)
	if code, out, errOut := starter(t, args...); code != exitOK {
		t.Fatalf("create: exit %d\n%s%s", code, out, errOut)
	}
	t.Cleanup(func() { starter(t, "schedule", "delete", id) })
}

// scheduleListLine is the line of schedule list for id, and the header,
// waiting for the listing (which the server indexes shortly after a
// change) to satisfy ok.
func scheduleListLine(t *testing.T, id string, ok func(line string) bool) (header, line string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		code, out, errOut := starter(t, "schedule", "list")
		if code != exitOK {
			t.Fatalf("list: exit %d\n%s%s", code, out, errOut)
		}
		lines := strings.Split(out, "\n")
		header = lines[0]
		for _, l := range lines[1:] {
			if strings.HasPrefix(l, id+" ") && ok(l) {
				return header, l
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("schedule list never showed %s as wanted:\n%s", id, out)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

var triggered = regexp.MustCompile(`started (pipeline-oci-move-\S+) \(run ([0-9a-f-]{36})\)\n  watch it: starter watch (\S+)\n`)

func TestSchedule_TriggerPrintsTheRunAndListShowsPipelineCronNextRunAndLastResult(t *testing.T) {
	stack(t)
	id := "sched-list-" + strings.ToLower(strings.ReplaceAll(t.Name(), "_", "-"))
	createSchedule(t, id)
	_, line := scheduleListLine(t, id, func(string) bool { return true })
	if !strings.Contains(line, "never ran") {
		t.Errorf("a schedule that never ran: %q", line)
	}

	code, out, errOut := starter(t, "schedule", "trigger", id)
	m := triggered.FindStringSubmatch(out)
	if code != exitOK || m == nil || m[3] != m[1] {
		t.Fatalf("trigger: exit %d, want the run it started and how to watch it\n%s%s", code, out, errOut)
	}
	if code, out, errOut := starter(t, "watch", m[1]); code != exitOK || !strings.Contains(out, "Succeeded") {
		t.Fatalf("watching the triggered run: exit %d\n%s%s", code, out, errOut)
	}

	header, line := scheduleListLine(t, id, func(l string) bool { return strings.Contains(l, "succeeded") })
	for _, col := range []string{"SCHEDULE", "PIPELINE", "CRON", "STATE", "NEXT RUN", "LAST RESULT", "LAST RUN"} {
		if !strings.Contains(header, col) {
			t.Errorf("header lacks %s: %q", col, header)
		}
	}
	next := regexp.MustCompile(`\d{4}-\d\d-\d\d 02:00:00Z`)
	for _, want := range []string{" oci-move ", "0 2 * * *", " active ", m[1]} {
		if !strings.Contains(line, want) {
			t.Errorf("list line lacks %q: %q", want, line)
		}
	}
	if !next.MatchString(line) {
		t.Errorf("list line shows no next run at 02:00: %q", line)
	}
}

func TestSchedule_PauseAndUnpauseLeaveNoSDKDefaultsInOutput(t *testing.T) {
	stack(t)
	id := "sched-pause-" + strings.ToLower(strings.ReplaceAll(t.Name(), "_", "-"))
	createSchedule(t, id)
	if code, out, errOut := starter(t, "schedule", "pause", id); code != exitOK || out != "schedule "+id+" paused\n" {
		t.Fatalf("pause: exit %d\n%q%s", code, out, errOut)
	}
	_, line := scheduleListLine(t, id, func(l string) bool { return strings.Contains(l, "paused") })
	if !strings.Contains(line, "paused (paused with starter schedule pause)") {
		t.Errorf("a paused schedule's line: %q", line)
	}
	if code, out, errOut := starter(t, "schedule", "unpause", id); code != exitOK || out != "schedule "+id+" unpaused\n" {
		t.Fatalf("unpause: exit %d\n%q%s", code, out, errOut)
	}
	_, line = scheduleListLine(t, id, func(l string) bool { return strings.Contains(l, " active ") })
	_, described, _ := starter(t, "schedule", "describe", id)
	_, asJSON, _ := starter(t, "schedule", "describe", id, "--json")
	for what, text := range map[string]string{"list": line, "describe": described, "describe --json": asJSON} {
		if strings.Contains(text, "SDK") || strings.Contains(text, "unpaused with") {
			t.Errorf("%s of an unpaused schedule shows a leftover note: %q", what, text)
		}
	}
}

func TestSchedule_BadCronExitsTwoNamingTheFlagAndCreatesNothing(t *testing.T) {
	stack(t)
	for _, c := range []struct{ cron, want string }{
		{"0 2 * *", `schedule create: --cron "0 2 * *": 4 field(s); write minute hour day-of-month month day-of-week`},
		{"0 25 * * *", `schedule create: --cron "0 25 * * *": Hour is not in range [0-23]; write minute hour`},
	} {
		id := "sched-badcron-" + strings.ReplaceAll(strings.ReplaceAll(c.cron, " ", "-"), "*", "x")
		code, out, errOut := starter(t, "schedule", "create", "-f", "../examples/oci-move.yaml", "--id", id, "--cron", c.cron)
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("--cron %q: exit %d, want %d with %q\n%s%s", c.cron, code, exitUsage, c.want, out, errOut)
		}
		if code, out, errOut := starter(t, "schedule", "describe", id); code == exitOK || !strings.Contains(errOut, "no schedule "+id) {
			t.Errorf("describe after a refused create: exit %d\n%s%s", code, out, errOut)
		}
	}
}
