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

func createInput(parent, name, token string) oci.CreateCompartmentInput {
	return oci.CreateCompartmentInput{
		ParentID:     parent,
		Name:         name,
		Description:  "images promoted by imagepipe",
		FreeformTags: map[string]string{"pipeline": "gold"},
		RetryToken:   token,
	}
}

func TestCreateCompartment_CreatingBecomesActiveAfterActivationDelay(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	created, err := e.client.CreateCompartment(ctx, createInput(e.sim.TenancyID(), "promoted", "wf1-step1"))
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if created.LifecycleState != oci.CompartmentCreating || created.Done() {
		t.Fatalf("new compartment state %s done=%v, want CREATING and not done", created.LifecycleState, created.Done())
	}
	if created.ID == "" || created.ETag == "" || created.RequestID == "" || created.ParentID != e.sim.TenancyID() {
		t.Fatalf("create answer lacks id, etag, request id or parent: %+v", created)
	}

	e.clock.Advance(1900 * time.Millisecond)
	got, err := e.client.GetCompartment(ctx, created.ID)
	if err != nil {
		t.Fatalf("get before delay: %v", err)
	}
	if got.LifecycleState != oci.CompartmentCreating {
		t.Fatalf("state before the 2 s delay = %s, want CREATING", got.LifecycleState)
	}

	e.clock.Advance(100 * time.Millisecond)
	got, err = e.client.GetCompartment(ctx, created.ID)
	if err != nil {
		t.Fatalf("get after delay: %v", err)
	}
	if !got.Done() || !got.Succeeded() || got.LifecycleState != oci.CompartmentActive {
		t.Fatalf("state after the delay = %s (done=%v succeeded=%v), want ACTIVE", got.LifecycleState, got.Done(), got.Succeeded())
	}
	if got.ETag == created.ETag {
		t.Fatalf("etag %s did not change when the compartment became ACTIVE", got.ETag)
	}
	if got.Name != "promoted" || got.Description != "images promoted by imagepipe" || got.TimeCreated.IsZero() {
		t.Fatalf("compartment read back wrong: %+v", got)
	}
}

func TestCreateCompartment_FailedActivationIsDoneButNotSucceeded(t *testing.T) {
	e := newEnv(t)
	e.sim.FailActivation("doomed")
	created, err := e.client.CreateCompartment(context.Background(), createInput(e.sim.TenancyID(), "doomed", "wf2-step1"))
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	e.clock.Advance(2 * time.Second)
	got, err := e.client.GetCompartment(context.Background(), created.ID)
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if !got.Done() || got.Succeeded() {
		t.Fatalf("state %s: done=%v succeeded=%v, want done and not succeeded", got.LifecycleState, got.Done(), got.Succeeded())
	}
	if !strings.Contains(got.FailureReason(), oci.CompartmentInactive) {
		t.Fatalf("failure reason %q does not say INACTIVE", got.FailureReason())
	}
}

func TestCompartment_UnknownStateIsAFailureQuotingIt(t *testing.T) {
	c := oci.Compartment{ID: "ocid1.compartment.oc1..x", LifecycleState: "MIGRATING"}
	if !c.Done() || c.Succeeded() || !strings.Contains(c.FailureReason(), `"MIGRATING"`) {
		t.Fatalf("unknown state: done=%v succeeded=%v reason=%q", c.Done(), c.Succeeded(), c.FailureReason())
	}
}

func TestCreateCompartment_RetryWithSameTokenCreatesOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	in := createInput(e.sim.TenancyID(), "promoted", "wf3-step1")

	first, err := e.client.CreateCompartment(ctx, in)
	if err != nil {
		t.Fatalf("first create: %v", err)
	}
	second, err := e.client.CreateCompartment(ctx, in)
	if err != nil {
		t.Fatalf("retried create: %v", err)
	}
	if second.ID != first.ID || second.ETag != first.ETag {
		t.Fatalf("retry answered %s/%s, want the first answer %s/%s", second.ID, second.ETag, first.ID, first.ETag)
	}
	if n := len(e.sim.Compartments()); n != 1 {
		t.Fatalf("emulator holds %d compartments after a retried create, want 1", n)
	}
	if n := e.sim.Calls(ocisim.OpCreateCompartment); n != 2 {
		t.Fatalf("CreateCompartment calls = %d, want 2", n)
	}
}

func TestCreateCompartment_DuplicateNameInSameParentConflicts(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	parent, err := e.client.CreateCompartment(ctx, createInput(e.sim.TenancyID(), "team", "t-parent"))
	if err != nil {
		t.Fatalf("create parent: %v", err)
	}
	e.clock.Advance(2 * time.Second)
	if _, err := e.client.CreateCompartment(ctx, createInput(e.sim.TenancyID(), "promoted", "t-a")); err != nil {
		t.Fatalf("create: %v", err)
	}

	_, err = e.client.CreateCompartment(ctx, createInput(e.sim.TenancyID(), "promoted", "t-b"))
	oe := asError(t, err)
	if oe.StatusCode != http.StatusConflict || oe.Code != oci.CodeCompartmentAlreadyExists || oe.RequestID == "" {
		t.Fatalf("duplicate name answered %+v, want 409 CompartmentAlreadyExists with a request id", oe)
	}

	if _, err := e.client.CreateCompartment(ctx, createInput(parent.ID, "promoted", "t-c")); err != nil {
		t.Fatalf("same name under another parent: %v", err)
	}
	if n := len(e.sim.Compartments()); n != 3 {
		t.Fatalf("emulator holds %d compartments, want 3", n)
	}
}

func TestCreateCompartment_InvalidFieldIsBadRequestNamingIt(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name   string
		mutate func(*oci.CreateCompartmentInput)
		field  string
	}{
		{"empty name", func(in *oci.CreateCompartmentInput) { in.Name = "" }, "name"},
		{"name over 100", func(in *oci.CreateCompartmentInput) { in.Name = long(101) }, "name"},
		{"empty description", func(in *oci.CreateCompartmentInput) { in.Description = "" }, "description"},
		{"description over 400", func(in *oci.CreateCompartmentInput) { in.Description = long(401) }, "description"},
		{"empty parent", func(in *oci.CreateCompartmentInput) { in.ParentID = "" }, "compartmentId"},
	}
	e := newEnv(t)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := createInput(e.sim.TenancyID(), "promoted", "bad-"+string(rune('a'+i)))
			tt.mutate(&in)
			_, err := e.client.CreateCompartment(context.Background(), in)
			oe := asError(t, err)
			if oe.StatusCode != http.StatusBadRequest || oe.Code != oci.CodeInvalidParameter {
				t.Fatalf("answer %d %s, want 400 InvalidParameter", oe.StatusCode, oe.Code)
			}
			if !strings.Contains(oe.Message, tt.field) {
				t.Fatalf("message %q does not name %s", oe.Message, tt.field)
			}
		})
	}
	if n := len(e.sim.Compartments()); n != 0 {
		t.Fatalf("invalid requests created %d compartments", n)
	}
}

func TestCreateCompartment_RetryTokenIsRequiredAndBounded(t *testing.T) {
	e := newEnv(t)
	for _, token := range []string{"", strings.Repeat("t", 65)} {
		_, err := e.client.CreateCompartment(context.Background(), createInput(e.sim.TenancyID(), "promoted", token))
		if !errors.Is(err, oci.ErrInvalidInput) {
			t.Fatalf("token of %d chars: error %v, want ErrInvalidInput", len(token), err)
		}
	}
	if n := e.sim.Calls(ocisim.OpCreateCompartment); n != 0 {
		t.Fatalf("refused input still sent %d requests", n)
	}
}

func TestGetCompartment_UnknownIDIsNotAuthorizedOrNotFound(t *testing.T) {
	e := newEnv(t)
	_, err := e.client.GetCompartment(context.Background(), ocisim.NewOCID("compartment", ""))
	oe := asError(t, err)
	if oe.StatusCode != http.StatusNotFound || oe.Code != oci.CodeNotAuthorizedOrNotFound || oe.Operation != "GetCompartment" {
		t.Fatalf("answer %+v, want GetCompartment 404 NotAuthorizedOrNotFound", oe)
	}
}

func TestFindCompartment_FindsLiveCompartmentByNameAcrossPages(t *testing.T) {
	e := newEnv(t, withPageSize(1))
	ctx := context.Background()
	tenancy := e.sim.TenancyID()
	mk := func(parent, name, token string) oci.Compartment {
		t.Helper()
		c, err := e.client.CreateCompartment(ctx, createInput(parent, name, token))
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return c
	}
	other := mk(tenancy, "other", "f-1")
	mk(tenancy, "unrelated", "f-2")
	old := mk(tenancy, "promoted", "f-3")
	e.sim.DeleteCompartment(old.ID) // a DELETED namesake comes first in the list
	want := mk(tenancy, "promoted", "f-4")
	mk(other.ID, "promoted", "f-5") // same name, other parent

	got, found, err := e.client.FindCompartment(ctx, tenancy, "promoted")
	if err != nil {
		t.Fatalf("find: %v", err)
	}
	if !found || got.ID != want.ID {
		t.Fatalf("found=%v id=%s, want the live %s", found, got.ID, want.ID)
	}
	if got.ParentID != tenancy || got.Name != "promoted" || got.RequestID == "" {
		t.Fatalf("found compartment read wrong: %+v", got)
	}
	if n := e.sim.Calls(ocisim.OpListCompartments); n != 2 {
		t.Fatalf("ListCompartments calls = %d, want 2 (one page per compartment)", n)
	}

	_, found, err = e.client.FindCompartment(ctx, tenancy, "absent")
	if err != nil || found {
		t.Fatalf("find absent: found=%v err=%v, want not found", found, err)
	}
}

func TestFindCompartment_UnknownParentIsNotAuthorizedOrNotFound(t *testing.T) {
	e := newEnv(t)
	_, _, err := e.client.FindCompartment(context.Background(), ocisim.NewOCID("compartment", ""), "promoted")
	oe := asError(t, err)
	if oe.StatusCode != http.StatusNotFound || oe.Operation != "ListCompartments" {
		t.Fatalf("answer %+v, want ListCompartments 404", oe)
	}
}
