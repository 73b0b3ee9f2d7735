package oci_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
)

// activeCompartment creates a compartment and lets it become ACTIVE.
func (e *env) activeCompartment(t *testing.T, name string) string {
	t.Helper()
	c, err := e.client.CreateCompartment(context.Background(), createInput(e.sim.TenancyID(), name, "mk-"+name))
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	e.clock.Advance(2 * time.Second)
	return c.ID
}

func TestGetImage_ReturnsImageWithETag(t *testing.T) {
	e := newEnv(t)
	id := e.addImage(t)
	img, err := e.client.GetImage(context.Background(), id)
	if err != nil {
		t.Fatalf("get image: %v", err)
	}
	seeded, _ := e.sim.Image(id)
	if img.ID != id || img.CompartmentID != e.sim.TenancyID() || img.DisplayName != "gold-ol8" ||
		img.LifecycleState != oci.ImageAvailable || img.ETag != seeded.ETag || img.RequestID == "" {
		t.Fatalf("image read %+v, emulator holds %+v", img, seeded)
	}
}

func TestChangeImageCompartment_RetryWithSameTokenMovesOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := e.addImage(t)
	target := e.activeCompartment(t, "promoted")
	img, err := e.client.GetImage(ctx, id)
	if err != nil {
		t.Fatalf("get image: %v", err)
	}
	in := oci.ChangeImageCompartmentInput{ImageID: id, CompartmentID: target, IfMatch: img.ETag, RetryToken: "wf1-move"}

	first, err := e.client.ChangeImageCompartment(ctx, in)
	if err != nil {
		t.Fatalf("move: %v", err)
	}
	// The retry carries the etag the first move made stale, as an activity
	// retried after a lost answer would.
	second, err := e.client.ChangeImageCompartment(ctx, in)
	if err != nil {
		t.Fatalf("retried move: %v", err)
	}
	if second.ETag != first.ETag || first.ETag == img.ETag {
		t.Fatalf("retry answered etag %s, first %s (before %s): want the first answer, with a new etag", second.ETag, first.ETag, img.ETag)
	}
	if first.RequestID == "" || second.RequestID == first.RequestID {
		t.Fatalf("request ids %q and %q: want one per request", first.RequestID, second.RequestID)
	}
	got, _ := e.sim.Image(id)
	if got.CompartmentID != target || got.Moves != 1 {
		t.Fatalf("emulator image in %s after %d moves, want in %s after 1", got.CompartmentID, got.Moves, target)
	}
	if n := e.sim.Calls(ocisim.OpChangeImageCompartment); n != 2 {
		t.Fatalf("ChangeImageCompartment calls = %d, want 2", n)
	}
}

func TestChangeImageCompartment_SameTokenOtherTargetConflicts(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := e.addImage(t)
	a := e.activeCompartment(t, "a")
	b := e.activeCompartment(t, "b")
	if _, err := e.client.ChangeImageCompartment(ctx, oci.ChangeImageCompartmentInput{ImageID: id, CompartmentID: a, RetryToken: "tok"}); err != nil {
		t.Fatalf("move to a: %v", err)
	}
	_, err := e.client.ChangeImageCompartment(ctx, oci.ChangeImageCompartmentInput{ImageID: id, CompartmentID: b, RetryToken: "tok"})
	oe := asError(t, err)
	if oe.StatusCode != http.StatusConflict || oe.Code != oci.CodeInvalidatedRetryToken {
		t.Fatalf("reused token answered %d %s, want 409 InvalidatedRetryToken", oe.StatusCode, oe.Code)
	}
	if got, _ := e.sim.Image(id); got.CompartmentID != a || got.Moves != 1 {
		t.Fatalf("image in %s after %d moves, want still in a after 1", got.CompartmentID, got.Moves)
	}
}

func TestChangeImageCompartment_RetryTokenExpiresAfter24Hours(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := e.addImage(t)
	a := e.activeCompartment(t, "a")
	b := e.activeCompartment(t, "b")
	if _, err := e.client.ChangeImageCompartment(ctx, oci.ChangeImageCompartmentInput{ImageID: id, CompartmentID: a, RetryToken: "tok"}); err != nil {
		t.Fatalf("move to a: %v", err)
	}
	e.clock.Advance(24 * time.Hour)
	if _, err := e.client.ChangeImageCompartment(ctx, oci.ChangeImageCompartmentInput{ImageID: id, CompartmentID: b, RetryToken: "tok"}); err != nil {
		t.Fatalf("token reused after 24 h: %v", err)
	}
	if got, _ := e.sim.Image(id); got.CompartmentID != b || got.Moves != 2 {
		t.Fatalf("image in %s after %d moves, want in b after 2", got.CompartmentID, got.Moves)
	}
}

func TestChangeImageCompartment_StaleETagFailsWithPreconditionFailed(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := e.addImage(t)
	target := e.activeCompartment(t, "promoted")
	img, err := e.client.GetImage(ctx, id)
	if err != nil {
		t.Fatalf("get image: %v", err)
	}
	e.sim.TouchImage(id) // someone else changes the image meanwhile

	_, err = e.client.ChangeImageCompartment(ctx, oci.ChangeImageCompartmentInput{
		ImageID: id, CompartmentID: target, IfMatch: img.ETag, RetryToken: "wf1-move",
	})
	oe := asError(t, err)
	if oe.StatusCode != http.StatusPreconditionFailed || oe.Code != oci.CodeNoEtagMatch || oe.RequestID == "" {
		t.Fatalf("stale etag answered %+v, want 412 NoEtagMatch with a request id", oe)
	}
	if oe.Operation != "ChangeImageCompartment" || !strings.Contains(oe.Error(), "412 NoEtagMatch") || !strings.Contains(oe.Error(), oe.RequestID) {
		t.Fatalf("error text %q does not name the operation, status, code and request id", oe.Error())
	}
	if got, _ := e.sim.Image(id); got.CompartmentID != e.sim.TenancyID() || got.Moves != 0 {
		t.Fatalf("image moved to %s despite a stale etag", got.CompartmentID)
	}
}

func TestChangeImageCompartment_UnknownImageOrTarget(t *testing.T) {
	e := newEnv(t)
	id := e.addImage(t)
	target := e.activeCompartment(t, "promoted")
	creating, err := e.client.CreateCompartment(context.Background(), createInput(e.sim.TenancyID(), "young", "mk-young"))
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	tests := []struct {
		name      string
		image, to string
		status    int
		code      string
	}{
		{"unknown image", ocisim.NewOCID("image", "iad"), target, http.StatusNotFound, oci.CodeNotAuthorizedOrNotFound},
		{"unknown target", id, ocisim.NewOCID("compartment", ""), http.StatusBadRequest, oci.CodeRelatedResourceNotAuthorizedOrNotFound},
		{"target still creating", id, creating.ID, http.StatusConflict, oci.CodeIncorrectState},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.client.ChangeImageCompartment(context.Background(), oci.ChangeImageCompartmentInput{
				ImageID: tt.image, CompartmentID: tt.to, RetryToken: "u-" + string(rune('a'+i)),
			})
			oe := asError(t, err)
			if oe.StatusCode != tt.status || oe.Code != tt.code {
				t.Fatalf("answer %d %s, want %d %s", oe.StatusCode, oe.Code, tt.status, tt.code)
			}
			if got, _ := e.sim.Image(id); got.CompartmentID != e.sim.TenancyID() {
				t.Fatalf("image moved to %s", got.CompartmentID)
			}
		})
	}
}

func TestChangeImageCompartment_RefusesInputWithoutSending(t *testing.T) {
	e := newEnv(t)
	id := e.addImage(t)
	tests := []struct {
		name string
		in   oci.ChangeImageCompartmentInput
	}{
		{"no token", oci.ChangeImageCompartmentInput{ImageID: id, CompartmentID: e.sim.TenancyID()}},
		{"token over 64", oci.ChangeImageCompartmentInput{ImageID: id, CompartmentID: e.sim.TenancyID(), RetryToken: strings.Repeat("t", 65)}},
		{"no image", oci.ChangeImageCompartmentInput{CompartmentID: e.sim.TenancyID(), RetryToken: "t"}},
		{"no target", oci.ChangeImageCompartmentInput{ImageID: id, RetryToken: "t"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.client.ChangeImageCompartment(context.Background(), tt.in)
			if !errors.Is(err, oci.ErrInvalidInput) {
				t.Fatalf("error %v, want ErrInvalidInput", err)
			}
		})
	}
	if n := e.sim.Calls(ocisim.OpChangeImageCompartment); n != 0 {
		t.Fatalf("refused input still sent %d requests", n)
	}
}
