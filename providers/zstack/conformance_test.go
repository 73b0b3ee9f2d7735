package zstack_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit/conformance"
	"github.com/imagepipe/imagepipe/providers/zstack"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// ZStack runs the vendor conformance suite: the step's create is
// UpdateImage with the X-Job-UUID derived from the step's key, its job the
// api-job ZStack answers 202 with.
func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T) *conformance.Subject {
		e := newEnv(t, zstacksim.Options{})
		update := func(ctx context.Context, c *zstack.Client, image, key string) (zstack.Update, error) {
			return c.UpdateImage(ctx, zstack.UpdateImageInput{UUID: image, Description: ptr("conformance"), JobUUID: zstack.JobUUIDFromKey(key)})
		}
		return &conformance.Subject{
			Vendor:        zstack.Vendor.Name,
			Kernel:        &e.sim.Kernel,
			Holds:         e.holds,
			CreateOp:      zstacksim.OpUpdateImage,
			CreateRequest: "PUT /actions",
			Create: func(ctx context.Context, key string) (string, error) {
				up, err := update(ctx, e.client, e.image.UUID, key)
				return up.Location, err
			},
			Made: func() int {
				e.clock.Advance(zstacksim.DefaultJobDuration)
				return e.sim.AppliedUpdates(e.image.UUID)
			},
			FailNext: func() string {
				const reason = "conformance: the image store is read-only"
				e.sim.FailNextUpdate(reason)
				return reason
			},
			Poll: func(ctx context.Context, location string) (bool, bool, string, error) {
				job, err := e.client.GetJob(ctx, location)
				return job.Done(), job.Succeeded(), job.Code + " " + job.Reason, err
			},
			Clock:     e.clock,
			PollEvery: time.Second,
			// ZStack refuses an API synchronously only where it answers at
			// once (the seed's shape): 503 and its envelope's code.
			Refuse: func(ctx context.Context) error {
				sync := newEnv(t, zstacksim.Options{Synchronous: true})
				_, err := update(ctx, sync.client, "00000000000000000000000000000000", "conformance-refusal")
				return err
			},
			RefusalStatus: http.StatusServiceUnavailable,
			RefusalCode:   zstack.CodeResourceNotFound,
			BadCredentials: func(ctx context.Context) error {
				_, err := newClient(t, e.srv.URL, "not-the-password").GetImage(ctx, e.image.UUID)
				return err
			},
		}
	})
}
