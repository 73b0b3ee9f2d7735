package zstacksim_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// TestUpdateImage_ValueTypesFollowGson: ZStack binds the action with Gson,
// which reads a number into a String field as its text and refuses an
// object or array there; the emulator used to store "map[a:1]" as the name.
func TestUpdateImage_ValueTypesFollowGson(t *testing.T) {
	sim, w := newWire(t, zstacksim.Options{Synchronous: true})
	img := sim.AddImage(zstacksim.Image{Name: "gold"})
	_, body := w.logIn("admin", zstacksim.PasswordHash("password"))
	auth := map[string]string{"Authorization": "OAuth " + sessionOf(t, body)}
	path := "/zstack/v1/images/" + img.UUID + "/actions"

	status, _, answer := w.do(http.MethodPut, path, auth, `{"updateImage":{"name":{"a":1}}}`)
	if status != http.StatusInternalServerError || !strings.Contains(answer, "Expected a string") {
		t.Fatalf("object for name: %d %q, want 500 from the JSON binder", status, answer)
	}
	if got, _ := sim.Image(img.UUID); got.Name != "gold" {
		t.Fatalf("refused update renamed the image to %q", got.Name)
	}
	if status, _, answer := w.do(http.MethodPut, path, auth, `{"updateImage":{"name":1.50}}`); status != http.StatusOK {
		t.Fatalf("number for name: %d %q", status, answer)
	}
	if got, _ := sim.Image(img.UUID); got.Name != "1.50" {
		t.Fatalf("name = %q, want the number's text 1.50", got.Name)
	}
}
