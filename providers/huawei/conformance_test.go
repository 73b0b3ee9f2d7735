package huawei_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/huawei"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/simkit/conformance"
)

// IMS runs the vendor conformance suite. The copy API has no idempotency
// token, so the step's create is what the activity does: look for an image
// of the target name, and copy only when there is none.
func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T) *conformance.Subject {
		e := newEnv(t, huaweisim.Options{})
		const name = "conformance-copy"
		return &conformance.Subject{
			Vendor:        huawei.Vendor.Name,
			Kernel:        &e.sim.Kernel,
			Holds:         e.holds,
			CreateOp:      huaweisim.OpCopyImageInRegion,
			CreateRequest: "POST /copy",
			Create: func(ctx context.Context, _ string) (string, error) {
				if _, found, err := e.client.FindImageByName(ctx, name); err != nil || found {
					return "", err
				}
				return e.client.CopyImage(ctx, huawei.CopyImageInput{SourceImageID: e.source.ID, Name: name})
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
				_, err := e.client.CopyImage(ctx, huawei.CopyImageInput{SourceImageID: "00000000-0000-0000-0000-000000000000", Name: "copy-of-nothing"})
				return err
			},
			RefusalStatus: http.StatusNotFound,
			RefusalCode:   huawei.CodeImageNotFound,
			BadCredentials: func(ctx context.Context) error {
				c := e.newClient(t, func(cfg *huawei.Config) { cfg.SecretKey = "not-the-secret-key" })
				_, _, err := c.FindImageByName(ctx, name)
				return err
			},
		}
	})
}
