package zstacksim_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// TestLogOut_EndsTheSession: DELETE /v1/accounts/sessions/{uuid} (APILogOutMsg,
// a synchronous API that needs no Authorization header) answers 200 and the
// session is refused from then on.
func TestLogOut_EndsTheSession(t *testing.T) {
	sim, w := newWire(t, zstacksim.Options{})
	img := sim.AddImage(zstacksim.Image{Name: "gold"})
	_, body := w.logIn("admin", zstacksim.PasswordHash("password"))
	session := sessionOf(t, body)
	auth := map[string]string{"Authorization": "OAuth " + session}
	if status, _, body := w.do(http.MethodGet, "/zstack/v1/images/"+img.UUID, auth, ""); status != http.StatusOK {
		t.Fatalf("query before logout: %d %s", status, body)
	}

	status, _, body := w.do(http.MethodDelete, "/zstack/v1/accounts/sessions/"+session, nil, "")
	if status != http.StatusOK || strings.TrimSpace(body) != "{}" {
		t.Fatalf("logout answered %d %q, want 200 {}", status, body)
	}
	if n := sim.Sessions(); n != 0 {
		t.Fatalf("%d sessions valid after logout", n)
	}
	status, _, body = w.do(http.MethodGet, "/zstack/v1/images/"+img.UUID, auth, "")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, `"code":"ID.1001"`) {
		t.Fatalf("query after logout: %d %s, want 503 ID.1001", status, body)
	}
	if _, _, body := w.do(http.MethodGet, "/zstack/v1/accounts/sessions/"+session+"/valid", nil, ""); !strings.Contains(body, `"valid":false`) {
		t.Fatalf("validate after logout: %s", body)
	}
	if sim.Calls(zstacksim.OpLogOut) != 1 {
		t.Fatalf("LogOut counted %d times", sim.Calls(zstacksim.OpLogOut))
	}

	// Logging out a session ZStack does not hold changes nothing and
	// succeeds, as AccountManagerImpl's handler does.
	if status, _, body := w.do(http.MethodDelete, "/zstack/v1/accounts/sessions/"+session, nil, ""); status != http.StatusOK {
		t.Fatalf("second logout answered %d %s", status, body)
	}
	if status, _, _ := w.do(http.MethodGet, "/zstack/v1/accounts/sessions/"+session, nil, ""); status != http.StatusMethodNotAllowed {
		t.Fatalf("GET on the session path answered %d, want 405", status)
	}
}

// TestLogOut_LeavesOtherSessionsAlone: one caller logging out does not end
// another's session.
func TestLogOut_LeavesOtherSessionsAlone(t *testing.T) {
	sim, w := newWire(t, zstacksim.Options{})
	_, a := w.logIn("admin", zstacksim.PasswordHash("password"))
	_, b := w.logIn("admin", zstacksim.PasswordHash("password"))
	w.do(http.MethodDelete, "/zstack/v1/accounts/sessions/"+sessionOf(t, a), nil, "")
	if n := sim.Sessions(); n != 1 {
		t.Fatalf("%d sessions valid, want the other one", n)
	}
	if _, _, body := w.do(http.MethodGet, "/zstack/v1/accounts/sessions/"+sessionOf(t, b)+"/valid", nil, ""); !strings.Contains(body, `"valid":true`) {
		t.Fatalf("other session: %s", body)
	}
}
