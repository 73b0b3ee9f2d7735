package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A notification outlives the pipeline that started it; history reads how
// it went from its own history, not as a job wait still running.
func TestHistory_ShowsHowTheNotificationWent(t *testing.T) {
	stack(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) }))
	defer srv.Close()
	spec := strings.Replace(readFile(t, "../examples/oci-move.yaml"), "steps:\n", "notify:\n  - url: "+srv.URL+"/hook\nsteps:\n", 1)
	id := testID(t)
	if code, out, errOut := starter(t, "run", "-f", writeFile(t, spec), "--id", id); code != exitOK {
		t.Fatalf("run: exit %d\n%s%s", code, out, errOut)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		code, out, errOut := starter(t, "history", id)
		if code != exitOK {
			t.Fatalf("history: exit %d\n%s%s", code, out, errOut)
		}
		var line string
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "notify: succeeded") {
				line = l
			}
		}
		if strings.Contains(line, "failed") {
			if !strings.Contains(out, "answered 410 Gone") || strings.Contains(out, "wait for the") && strings.Contains(out, "notify-") {
				t.Errorf("history:\n%s", out)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("history never showed the failed notification:\n%s", out)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
