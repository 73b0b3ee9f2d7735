package bench

import "testing"

func TestPercentile_NearestRank(t *testing.T) {
	xs := []float64{5, 1, 4, 2, 3, 6, 7, 8, 9, 10}
	if got := percentile(xs, 50); got != 5 {
		t.Errorf("p50 = %v, want 5", got)
	}
	if got := percentile(xs, 99); got != 10 {
		t.Errorf("p99 = %v, want 10", got)
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("p50 of none = %v, want 0", got)
	}
}

func TestParseSample_ReadsLabelledAndPlainLines(t *testing.T) {
	name, labels, v, ok := parseSample(`action{action_type="grpc_StartWorkflowExecution",namespace="default"} 12`)
	if !ok || name != "action" || labels != `action_type="grpc_StartWorkflowExecution",namespace="default"` || v != 12 {
		t.Errorf("got %q %q %v %v", name, labels, v, ok)
	}
	if name, _, v, ok := parseSample("go_goroutines 42"); !ok || name != "go_goroutines" || v != 42 {
		t.Errorf("plain line: %q %v %v", name, v, ok)
	}
	if _, _, _, ok := parseSample("# HELP x y"); ok {
		t.Error("a comment read as a sample")
	}
}
