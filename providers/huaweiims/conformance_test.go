package huaweiims_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/huaweiims"
	"github.com/imagepipe/imagepipe/providers/huaweiims/imssim"
	"github.com/imagepipe/imagepipe/providers/simkit/conformance"
)

// IMS runs the vendor conformance suite. The copy API has no idempotency
// token, so the step's create is what the activity does: look for an image
// of the target name, and copy only when there is none.
func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T) *conformance.Subject {
		e := newEnv(t, imssim.Options{})
		const name = "conformance-copy"
		return &conformance.Subject{
			Vendor:        huaweiims.Vendor.Name,
			Kernel:        &e.sim.Kernel,
			Holds:         e.holds,
			CreateOp:      imssim.OpCopyImageInRegion,
			CreateRequest: "POST /copy",
			Create: func(ctx context.Context, _ string) (string, error) {
				if _, found, err := e.client.FindImageByName(ctx, name); err != nil || found {
					return "", err
				}
				return e.client.CopyImage(ctx, huaweiims.CopyImageInput{SourceImageID: e.source.ID, Name: name})
			},
			Made: func() int { return len(e.imagesNamed(name)) },
			FailNext: func() string {
				const reason = "conformance: the copy ran out of disk"
				e.sim.FailNextCopy(reason)
				return reason
			},
			Poll: func(ctx context.Context, id string) (bool, bool, string, error) {
				job, err := e.client.GetJob(ctx, id)
				return job.Done(), job.Succeeded(), job.ErrorCode + " " + job.FailReason, err
			},
			Clock:     e.clock,
			PollEvery: time.Minute,
			Refuse: func(ctx context.Context) error {
				_, err := e.client.CopyImage(ctx, huaweiims.CopyImageInput{SourceImageID: "00000000-0000-0000-0000-000000000000", Name: "copy-of-nothing"})
				return err
			},
			RefusalStatus: http.StatusNotFound,
			RefusalCode:   huaweiims.CodeImageNotFound,
			BadCredentials: func(ctx context.Context) error {
				c := e.newClient(t, func(cfg *huaweiims.Config) { cfg.SecretKey = "not-the-secret-key" })
				_, _, err := c.FindImageByName(ctx, name)
				return err
			},
		}
	})
}
