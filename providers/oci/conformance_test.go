package oci_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/simkit/conformance"
)

// OCI runs the vendor conformance suite: the step's create is
// CreateCompartment with the step's key as opc-retry-token, its job the
// compartment's CREATING → ACTIVE.
func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T) *conformance.Subject {
		e := newEnv(t)
		const name = "conformance"
		image := e.addImage(t)
		return &conformance.Subject{
			Vendor:        oci.Vendor.Name,
			Kernel:        &e.sim.Kernel,
			Holds:         e.holds,
			CreateOp:      ocisim.OpCreateCompartment,
			CreateRequest: "POST /compartments",
			Create: func(ctx context.Context, key string) (string, error) {
				c, err := e.client.CreateCompartment(ctx, createInput(e.sim.TenancyID(), name, key))
				return c.ID, err
			},
			Made: func() int {
				n := 0
				for _, c := range e.sim.Compartments() {
					if c.Name == name {
						n++
					}
				}
				return n
			},
			FailNext: func() string {
				e.sim.FailActivation(name)
				return oci.CompartmentInactive
			},
			Poll: func(ctx context.Context, id string) (bool, bool, string, error) {
				c, err := e.client.GetCompartment(ctx, id)
				return c.Done(), c.Succeeded(), c.FailureReason(), err
			},
			Clock:     e.clock,
			PollEvery: time.Second,
			Refuse: func(ctx context.Context) error {
				_, err := e.client.ChangeImageCompartment(ctx, oci.ChangeImageCompartmentInput{
					ImageID: image, CompartmentID: e.sim.TenancyID(), IfMatch: "stale-etag", RetryToken: "conformance-refusal",
				})
				return err
			},
			RefusalStatus: http.StatusPreconditionFailed,
			RefusalCode:   oci.CodeNoEtagMatch,
			BadCredentials: func(ctx context.Context) error {
				cfg := e.cfg
				cfg.UserID = ocisim.NewOCID("user", "") // a key id the emulator never registered
				c, err := oci.New(cfg)
				if err != nil {
					return err
				}
				_, err = c.GetImage(ctx, image)
				return err
			},
		}
	})
}
