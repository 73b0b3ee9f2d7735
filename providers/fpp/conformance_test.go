package fpp_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/simkit/conformance"
)

// FPP runs the vendor conformance suite. FPP has no idempotency token, so
// the step's create is what the activity does: look for the image, import
// it when there is none, and take FPP's refusal of a name being imported
// (fpp.NameTaken) as the earlier attempt's import under way.
func TestConformance(t *testing.T) {
	conformance.Run(t, func(t *testing.T) *conformance.Subject {
		e := newEnv(t, fppsim.Options{JobDuration: time.Minute})
		const name = "CONFORMANCE_DB"
		return &conformance.Subject{
			Vendor:        fpp.Vendor.Name,
			Kernel:        &e.sim.Kernel,
			Holds:         e.holds,
			CreateOp:      fppsim.OpImportImage,
			CreateRequest: "POST /images",
			Create: func(ctx context.Context, _ string) (string, error) {
				if _, found, err := e.client.GetImage(ctx, name); err != nil || found {
					return "", err
				}
				job, err := e.client.ImportImage(ctx, fpp.ImportImageInput{ImageName: name, Path: "/u01/app/db"})
				if fpp.NameTaken(err) {
					return "", nil
				}
				return job.ID, err
			},
			Made: e.sim.JobCount,
			FailNext: func() string {
				const reason = "conformance: the software home is not readable"
				e.sim.FailNextImport(reason)
				return reason
			},
			Poll: func(ctx context.Context, id string) (bool, bool, string, error) {
				job, err := e.client.GetJob(ctx, id)
				return job.Done(), job.Succeeded(), job.Reason, err
			},
			Clock:     e.clock,
			PollEvery: 10 * time.Second,
			Refuse: func(ctx context.Context) error {
				_, err := e.client.ImportImage(ctx, fpp.ImportImageInput{ImageName: "REFUSED", Path: "/u01/app/db", ImageType: "NO_SUCH_TYPE"})
				return err
			},
			RefusalStatus: http.StatusBadRequest,
			RefusalCode:   fppsim.CodeInvalidParameter,
			BadCredentials: func(ctx context.Context) error {
				_, _, err := e.newClient(t, testUser, "not-the-password").GetImage(ctx, name)
				return err
			},
		}
	})
}
