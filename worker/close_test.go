package main

import (
	"context"
	"net/http/httptest"
	"testing"

	"go.uber.org/zap"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/providers/zstack"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// TestCloseVendors_LogsOutOfZStack proves a stopping worker ends its ZStack
// session instead of leaving it to expire against the account's cap.
func TestCloseVendors_LogsOutOfZStack(t *testing.T) {
	sim := zstacksim.New(zstacksim.Options{})
	img := sim.AddImage(zstacksim.Image{Name: "gold", Format: "qcow2", MediaType: "RootVolumeTemplate"})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	settings := &activities.ZStackSettings{Endpoint: srv.URL, AccountName: "admin", Password: "password"}
	c, _, err := settings.Connect(activities.VarsOf("zstack", settings))
	if err != nil {
		t.Fatal(err)
	}
	client := c.(*zstack.Client)
	if _, err := client.GetImage(context.Background(), img.UUID); err != nil {
		t.Fatal(err)
	}
	if n := sim.Sessions(); n != 1 {
		t.Fatalf("sessions after a call: %d, want 1", n)
	}
	closeVendors(zap.NewNop(), &vendorSet{clients: []any{client}})
	if n := sim.Sessions(); n != 0 {
		t.Errorf("sessions after the worker closed its vendors: %d, want 0", n)
	}
}
