package fppsim_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
)

func listItems(t *testing.T, a answer) []map[string]any {
	t.Helper()
	raw, ok := a.body["items"].([]any)
	if !ok {
		t.Fatalf("body %v has no items array", a.body)
	}
	items := make([]map[string]any, len(raw))
	for i, it := range raw {
		items[i] = it.(map[string]any)
	}
	return items
}

func TestListJobs_ItemsFollowTheDocumentedExampleUnlessDetailed(t *testing.T) {
	for _, detailed := range []bool{false, true} {
		sim, srv, _ := newServer(t, fppsim.Options{DetailedJobList: detailed})
		var ids []string
		for _, name := range []string{"A", "B"} {
			a := send(t, srv, http.MethodPost, api+"/images", `{"imageName":"`+name+`","path":"/u01/db"}`, true)
			ids = append(ids, a.body["jobId"].(string))
		}

		a := send(t, srv, http.MethodGet, api+"/jobs", "", true)

		if a.status != http.StatusOK || sim.Calls(fppsim.OpListJobs) != 1 {
			t.Fatalf("detailed=%v: status %d, %d calls counted", detailed, a.status, sim.Calls(fppsim.OpListJobs))
		}
		self, _ := a.body["links"].([]any)
		if len(self) != 1 || self[0].(map[string]any)["uri"] != srv.URL+api+"/jobs" || self[0].(map[string]any)["rel"] != "self" {
			t.Fatalf("detailed=%v: collection links = %v, want a self link to /jobs", detailed, a.body["links"])
		}
		items := listItems(t, a)
		if len(items) != 2 {
			t.Fatalf("detailed=%v: %d items, want 2", detailed, len(items))
		}
		for i, it := range items {
			links := it["links"].([]any)
			if it["jobId"] != ids[i] || links[0].(map[string]any)["uri"] != srv.URL+api+"/jobs/"+ids[i] {
				t.Fatalf("detailed=%v: item %d = %v, want job %s with its self link", detailed, i, it, ids[i])
			}
			var keys []string
			for k := range it {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			want := []string{"jobId", "links", "output"}
			if detailed {
				want = []string{"jobId", "links", "operation", "output", "status"}
			}
			if !slices.Equal(keys, want) {
				t.Fatalf("detailed=%v: item keys %v, want %v", detailed, keys, want)
			}
			if detailed && (it["status"] != fppsim.StatusScheduled || !strings.HasPrefix(it["operation"].(string), "importIntoImage{image=")) {
				t.Fatalf("detailed item %v", it)
			}
		}
	}
}

func TestListJobs_FiltersByStatusAndClient(t *testing.T) {
	sim, srv, clk := newServer(t, fppsim.Options{JobDuration: time.Minute})
	sim.FailImport("BAD", "PRGO-9 : disk full")
	bad := send(t, srv, http.MethodPost, api+"/images", `{"imageName":"BAD","path":"/u01/a"}`, true).body["jobId"]
	clk.Advance(time.Minute)
	running := send(t, srv, http.MethodPost, api+"/images", `{"imageName":"RUN","path":"/u01/b","client":"cluster2"}`, true).body["jobId"]

	tests := []struct {
		query string
		want  []any
	}{
		{"", []any{bad, running}},
		{"?status=FAILED", []any{bad}},
		{"?status=SCHEDULED", []any{running}},
		{"?status=SUCCEEDED", nil},
		{"?client=cluster2", []any{running}},
		{"?client=cluster2&status=FAILED", nil},
	}
	for _, tt := range tests {
		var got []any
		for _, it := range listItems(t, send(t, srv, http.MethodGet, api+"/jobs"+tt.query, "", true)) {
			got = append(got, it["jobId"])
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("GET /jobs%s listed %v, want %v", tt.query, got, tt.want)
		}
	}
}

func TestListJobs_RefusesFiltersItCannotApply(t *testing.T) {
	_, srv, _ := newServer(t, fppsim.Options{})
	for _, query := range []string{"?status=RUNNING", "?jobTag=nightly", "?user=oracle"} {
		a := send(t, srv, http.MethodGet, api+"/jobs"+query, "", true)
		if a.status != http.StatusBadRequest || a.body["errorCode"] != fppsim.CodeInvalidParameter {
			t.Errorf("GET /jobs%s answered %d %v, want 400 InvalidParameter", query, a.status, a.body)
		}
	}
}
