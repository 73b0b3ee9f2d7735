package pipeline

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Events a pipeline can notify about, as a notify target's on lists them.
const (
	// EventSucceeded: every step succeeded.
	EventSucceeded = "succeeded"
	// EventFailed: a step failed (whether or not rollback then undid the
	// completed steps).
	EventFailed = "failed"
	// EventCanceled: someone cancelled the pipeline.
	EventCanceled = "canceled"
	// EventWaitingForApproval: an approval step waits for a decision.
	EventWaitingForApproval = "waiting_for_approval"
)

// Events are every event a notify target can ask for, in the order a
// pipeline can reach them.
var Events = []string{EventWaitingForApproval, EventSucceeded, EventFailed, EventCanceled}

// Body formats of a notification.
const (
	// FormatJSON is imagepipe's own JSON message (see activities.Notification).
	FormatJSON = "json"
	// FormatSlack is Slack's incoming-webhook shape: text, and blocks.
	FormatSlack = "slack"
)

// NotifyEnvPrefix starts the name of every worker variable a notify target
// may read its URL from: a pipeline file cannot make the worker send one
// of its other settings (a vendor password) anywhere.
const NotifyEnvPrefix = "IMAGEPIPE_NOTIFY_"

// MaxNotify bounds a pipeline's notify targets: each is a child workflow
// and an activity per event.
const MaxNotify = 10

var notifyEnvPattern = regexp.MustCompile(`^IMAGEPIPE_NOTIFY_[A-Z0-9_]{1,64}$`)

// Notify is a webhook told how the pipeline goes: an HTTP POST of a JSON
// body per event. Delivery is retried for a few minutes; a notification
// that cannot be delivered never changes how the pipeline ends.
type Notify struct {
	// URL is the webhook, http or https. It is kept in the pipeline's
	// history in plain text: a URL that carries a token belongs in URLEnv.
	URL string `json:"url,omitempty" yaml:"url,omitempty" jsonschema:"format=uri,pattern=^https?://[^\\s]+$"`
	// URLEnv names the worker's environment variable that holds the
	// webhook's URL, e.g. IMAGEPIPE_NOTIFY_SLACK: the secret stays with the
	// worker and never enters history. Give URL or URLEnv, not both.
	URLEnv string `json:"url_env,omitempty" yaml:"url_env,omitempty" jsonschema:"pattern=^IMAGEPIPE_NOTIFY_[A-Z0-9_]{1\\,64}$"`
	// Format is the body's shape: "json" (the default), imagepipe's own
	// message, or "slack", Slack's incoming-webhook text and blocks.
	Format string `json:"format,omitempty" yaml:"format,omitempty" jsonschema:"enum=json,enum=slack"`
	// On lists the events to notify about: succeeded, failed, canceled,
	// waiting_for_approval. Omitted, all of them.
	On []string `json:"on,omitempty" yaml:"on,omitempty" jsonschema:"enum=succeeded,enum=failed,enum=canceled,enum=waiting_for_approval"`
}

// Wants reports whether the target asked for event.
func (n Notify) Wants(event string) bool {
	return len(n.On) == 0 || slices.Contains(n.On, event)
}

// Where names the target in messages without revealing a secret URL: the
// variable's name, or the URL's scheme and host.
func (n Notify) Where() string {
	if n.URLEnv != "" {
		return "$" + n.URLEnv
	}
	u, err := url.Parse(n.URL)
	if err != nil || u.Host == "" {
		return "a webhook"
	}
	return u.Scheme + "://" + u.Host
}

// notify decodes the notify list: mappings with url or url_env, format, on.
func (d *decoder) notify(n *yaml.Node) []Notify {
	if n.Kind != yaml.SequenceNode {
		d.problem(n, "", "notify", "must be a list of webhooks, each with url or url_env (and format, on)")
		return nil
	}
	out := make([]Notify, 0, len(n.Content))
	for i, e := range n.Content {
		prefix := "notify." + strconv.Itoa(i)
		field := fmt.Sprintf("notify[%d]", i)
		d.pos[prefix] = pos{e.Line, e.Column}
		if e.Kind != yaml.MappingNode {
			d.problem(e, "", field, "a webhook is a mapping with url or url_env (and format, on)")
			continue
		}
		var t Notify
		for j := 0; j+1 < len(e.Content); j += 2 {
			key, val := e.Content[j], e.Content[j+1]
			d.pos[prefix+"."+key.Value] = pos{key.Line, key.Column}
			switch key.Value {
			case "url":
				t.URL = d.scalar(val, "", field+".url")
			case "url_env":
				t.URLEnv = d.scalar(val, "", field+".url_env")
			case "format":
				t.Format = d.scalar(val, "", field+".format")
			case "on":
				t.On = d.stringList(val, "", field+".on")
				if val.Kind == yaml.SequenceNode && len(val.Content) == 0 {
					d.problem(val, "", field+".on", "list at least one event, or leave on out for all of them")
				}
				for k, ev := range val.Content {
					d.pos[prefix+".on."+strconv.Itoa(k)] = pos{ev.Line, ev.Column}
				}
			default:
				d.problem(key, "", field+"."+key.Value, "unknown field (a webhook has url, url_env, format, on)")
			}
		}
		out = append(out, t)
	}
	return out
}

// notify checks every notify target: where it sends, in what format, about
// which events.
func (v *validator) notify() {
	if len(v.spec.Notify) > MaxNotify {
		v.add("notify", "", "notify", "%d webhooks; at most %d", len(v.spec.Notify), MaxNotify)
	}
	for i, t := range v.spec.Notify {
		prefix := "notify." + strconv.Itoa(i)
		field := fmt.Sprintf("notify[%d]", i)
		switch {
		case t.URL == "" && t.URLEnv == "":
			v.add(prefix, "", field, "give url, or url_env naming the worker's variable that holds the URL")
		case t.URL != "" && t.URLEnv != "":
			v.add(prefix+".url_env", "", field, "give url or url_env, not both")
		case t.URL != "":
			if err := CheckWebhookURL(t.URL); err != nil {
				v.add(prefix+".url", "", field+".url", "%v", err)
			}
		case !notifyEnvPattern.MatchString(t.URLEnv):
			v.add(prefix+".url_env", "", field+".url_env",
				"%q: name a variable of the worker's starting with %s, in upper case letters, digits and _ (e.g. %sSLACK)", t.URLEnv, NotifyEnvPrefix, NotifyEnvPrefix)
		}
		switch t.Format {
		case "", FormatJSON, FormatSlack:
		default:
			v.add(prefix+".format", "", field+".format", "unknown format %q: use %s or %s", t.Format, FormatJSON, FormatSlack)
		}
		seen := map[string]bool{}
		for k, ev := range t.On {
			at := prefix + ".on." + strconv.Itoa(k)
			switch {
			case !slices.Contains(Events, ev):
				v.add(at, "", field+".on", "unknown event %q%s: use %s", ev, didYouMean(ev, Events), strings.Join(Events, ", "))
			case seen[ev]:
				v.add(at, "", field+".on", "event %q given twice", ev)
			}
			seen[ev] = true
		}
	}
}

// CheckWebhookURL says what is wrong with a webhook URL, whether it was
// written in the pipeline file or the worker's environment: it must be an
// absolute http or https URL with a host.
func CheckWebhookURL(raw string) error {
	if strings.TrimSpace(raw) != raw || strings.ContainsAny(raw, " \t\r\n") {
		return fmt.Errorf("a URL holds no spaces")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("not a URL: %v", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("want an http:// or https:// URL, not %q", scheme(u))
	}
	if u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("the URL names no host")
	}
	return nil
}

func scheme(u *url.URL) string {
	if u.Scheme == "" {
		return "a URL without a scheme"
	}
	return u.Scheme + "://"
}

// didYouMean suggests the known word nearest to s, when one is close.
func didYouMean(s string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(s, k); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
