package pipeline_test

import (
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/pipeline"
)

func TestParse_NotifyTargetsKeepURLVariableFormatAndEvents(t *testing.T) {
	src := moveFile(`notify:
  - url_env: IMAGEPIPE_NOTIFY_SLACK
    format: slack
    on: [failed, waiting_for_approval]
  - url: https://hooks.example.com/imagepipe
    on: succeeded
`, "", moveWith)
	if err := validate(t, src); err != nil {
		t.Fatalf("schema rejects it: %v", leaves(err))
	}
	spec, err := pipeline.Parse("p.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(spec.Notify) != 2 {
		t.Fatalf("notify: %+v", spec.Notify)
	}
	slack, hook := spec.Notify[0], spec.Notify[1]
	if slack.URLEnv != "IMAGEPIPE_NOTIFY_SLACK" || slack.Format != pipeline.FormatSlack || !slack.Wants(pipeline.EventFailed) || slack.Wants(pipeline.EventSucceeded) {
		t.Errorf("first target: %+v", slack)
	}
	if hook.URL != "https://hooks.example.com/imagepipe" || !hook.Wants(pipeline.EventSucceeded) || hook.Wants(pipeline.EventFailed) {
		t.Errorf("second target: %+v", hook)
	}
	if got := slack.Where(); got != "$IMAGEPIPE_NOTIFY_SLACK" {
		t.Errorf("Where of a variable target = %q", got)
	}
	if got := hook.Where(); got != "https://hooks.example.com" {
		t.Errorf("Where of a URL target = %q: it must not show the path, which may hold a token", got)
	}
}

func TestParse_NotifyWithoutOnWantsEveryEvent(t *testing.T) {
	spec, err := pipeline.Parse("p.yaml", []byte(moveFile("notify:\n  - url: http://127.0.0.1:9/hook\n", "", moveWith)))
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range pipeline.Events {
		if !spec.Notify[0].Wants(ev) {
			t.Errorf("a target without on does not want %s", ev)
		}
	}
}

// Every mistake in a notify target is reported at its line, naming the
// target and the field.
func TestParse_BadNotifyTargetsAreLocatedProblems(t *testing.T) {
	src := moveFile(`notify:
  - url: ftp://hooks.example.com/x
    format: teams
    on: [succeded, failed, failed]
  - url_env: SLACK_URL
  - format: json
  - url: https://a.example.com
    url_env: IMAGEPIPE_NOTIFY_A
  - url: "https:///nohost"
    to: ops
    on: []
`, "", moveWith)
	_, err := pipeline.Parse("p.yaml", []byte(src))
	if err == nil {
		t.Fatal("Parse accepted the bad targets")
	}
	for _, want := range []string{
		`p.yaml:3:5: notify[0].url: want an http:// or https:// URL, not "ftp://"`,
		`p.yaml:4:5: notify[0].format: unknown format "teams": use json or slack`,
		`p.yaml:5:10: notify[0].on: unknown event "succeded" (did you mean "succeeded"?)`,
		`p.yaml:5:28: notify[0].on: event "failed" given twice`,
		`p.yaml:6:5: notify[1].url_env: "SLACK_URL": name a variable of the worker's starting with IMAGEPIPE_NOTIFY_`,
		`p.yaml:7:5: notify[2]: give url, or url_env`,
		`p.yaml:9:5: notify[3]: give url or url_env, not both`,
		`p.yaml:10:5: notify[4].url: the URL names no host`,
		`p.yaml:11:5: notify[4].to: unknown field (a webhook has url, url_env, format, on)`,
		`p.yaml:12:9: notify[4].on: list at least one event`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("problems lack %q:\n%v", want, err)
		}
	}
}

func TestParse_TooManyNotifyTargetsIsAProblem(t *testing.T) {
	var b strings.Builder
	b.WriteString("notify:\n")
	for range pipeline.MaxNotify + 1 {
		b.WriteString("  - url: https://hooks.example.com/x\n")
	}
	_, err := pipeline.Parse("p.yaml", []byte(moveFile(b.String(), "", moveWith)))
	if err == nil || !strings.Contains(err.Error(), "p.yaml:2:1: notify: 11 webhooks; at most 10") {
		t.Fatalf("got %v", err)
	}
}

func TestSchema_RejectsBadNotifyTargets(t *testing.T) {
	for name, c := range map[string]struct{ notify, want string }{
		"unknown event":   {"notify:\n  - url: https://h.example.com/x\n    on: [done]\n", "/notify/0/on "},
		"unknown format":  {"notify:\n  - url: https://h.example.com/x\n    format: teams\n", "/notify/0/format enum:"},
		"not http":        {"notify:\n  - url: ftp://h.example.com/x\n", "/notify/0/url pattern:"},
		"bad variable":    {"notify:\n  - url_env: SLACK_URL\n", "/notify/0/url_env pattern:"},
		"neither":         {"notify:\n  - format: json\n", "/notify/0 "},
		"both":            {"notify:\n  - url: https://h.example.com/x\n    url_env: IMAGEPIPE_NOTIFY_X\n", "/notify/0 oneOf:"},
		"unknown field":   {"notify:\n  - url: https://h.example.com/x\n    to: ops\n", "/notify/0 additionalProperties:"},
		"not a list":      {"notify:\n  url: https://h.example.com/x\n", "/notify type:"},
		"empty event set": {"notify:\n  - url: https://h.example.com/x\n    on: []\n", "/notify/0/on "},
	} {
		t.Run(name, func(t *testing.T) { assertRejected(t, moveFile(c.notify, "", moveWith), c.want) })
	}
}
