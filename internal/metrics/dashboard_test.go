package metrics

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// series are the names Prometheus shows for each metric, after the
// reporter's suffixes (counters _total, timers as _seconds histograms),
// with the labels each carries besides the SDK's own.
var series = map[string][]string{
	VendorCallLatency + "_seconds": {LabelVendor, LabelOperation, LabelOutcome},
	VendorThrottled + "_total":     {LabelVendor, LabelOperation},
	JobPolls + "_total":            {LabelKind},
	JobDuration + "_seconds":       {LabelKind, LabelOutcome},
	Steps + "_total":               {LabelAction, LabelOutcome},
	Pipelines + "_total":           {LabelOutcome},
	Rollbacks + "_total":           {LabelAction, LabelOutcome},
}

// sdkLabels are the labels the SDK's handler puts on every series.
var sdkLabels = []string{"namespace", "task_queue", "workflow_type", "activity_type", "worker_type", "client_name", "le"}

var (
	imagepipeSeries = regexp.MustCompile(`imagepipe_[a-z_]+`)
	selector        = regexp.MustCompile(`(imagepipe_[a-z_]+)\{([^}]*)\}`)
	grouping        = regexp.MustCompile(`by \(([^)]*)\)\s*\((?:rate|increase)\((imagepipe_[a-z_]+)`)
	matcherLabel    = regexp.MustCompile(`([a-z_]+)\s*(?:=~|!=|!~|=)`)
)

// The dashboard shipped in deploy/grafana queries every imagepipe metric,
// by the names and labels the worker exports: a renamed metric or label
// fails here instead of leaving a panel empty.
func TestDashboard_QueriesTheSeriesAndLabelsTheWorkerExports(t *testing.T) {
	b, err := os.ReadFile("../../deploy/grafana/imagepipe.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatalf("deploy/grafana/imagepipe.json: %v", err)
	}
	queried := map[string]bool{}
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			for _, name := range imagepipeSeries.FindAllString(tg.Expr, -1) {
				base, ok := seriesOf(name)
				if !ok {
					t.Errorf("panel %q queries %s, which the worker does not export", p.Title, name)
					continue
				}
				queried[base] = true
			}
			check := func(name, labels string) {
				base, _ := seriesOf(name)
				for _, l := range splitLabels(labels) {
					if !carries(base, l) {
						t.Errorf("panel %q uses label %q on %s, which carries %v and the SDK's", p.Title, l, name, series[base])
					}
				}
			}
			for _, m := range selector.FindAllStringSubmatch(tg.Expr, -1) {
				var ls []string
				for _, lm := range matcherLabel.FindAllStringSubmatch(m[2], -1) {
					ls = append(ls, lm[1])
				}
				check(m[1], strings.Join(ls, ","))
			}
			for _, m := range grouping.FindAllStringSubmatch(tg.Expr, -1) {
				check(m[2], m[1])
			}
		}
	}
	for base := range series {
		if !queried[base] {
			t.Errorf("no panel shows %s", base)
		}
	}
}

// seriesOf is the metric a Prometheus series name belongs to.
func seriesOf(name string) (string, bool) {
	for _, suffix := range []string{"_bucket", "_count", "_sum", ""} {
		if base, ok := strings.CutSuffix(name, suffix); ok {
			if _, known := series[base]; known {
				return base, true
			}
		}
	}
	return "", false
}

func splitLabels(s string) []string {
	var out []string
	for _, l := range strings.Split(s, ",") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func carries(base, label string) bool {
	for _, l := range append(series[base], sdkLabels...) {
		if l == label {
			return true
		}
	}
	return false
}
