package sdkcheck_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	ims "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ims/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ims/v2/model"

	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

type fixture struct {
	sim    *huaweisim.Server
	clock  *simkit.ManualClock
	source huaweisim.Image
	url    string
}

// newFixture serves the emulator over TLS, as IMS is, with one image to copy.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	c := simkit.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	sim := huaweisim.New(huaweisim.Options{Clock: c.Now, JobDuration: 40 * time.Minute})
	srv := httptest.NewTLSServer(sim)
	t.Cleanup(srv.Close)
	return &fixture{sim: sim, clock: c, source: sim.AddImage(huaweisim.Image{Name: "gold-source"}), url: srv.URL}
}

// sdk builds the official client against the emulator. The test server's
// certificate is self-signed, hence IgnoreSSLVerification; the project id is
// given so the SDK does not ask IAM for it.
func (f *fixture) sdk(t *testing.T, ak, sk string) *ims.ImsClient {
	t.Helper()
	cred, err := basic.NewCredentialsBuilder().WithAk(ak).WithSk(sk).WithProjectId(f.sim.ProjectID()).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := ims.ImsClientBuilder().
		WithEndpoints([]string{f.url}).
		WithCredential(cred).
		WithHttpConfig(config.DefaultHttpConfig().WithIgnoreSSLVerification(true).WithTimeout(10 * time.Second)).
		SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return ims.NewImsClient(hc)
}

func (f *fixture) defaultSDK(t *testing.T) *ims.ImsClient {
	return f.sdk(t, huaweisim.DefaultAccessKey, huaweisim.DefaultSecretKey)
}

func str(s string) *string { return &s }

func copyRequest(source, name string) *model.CopyImageInRegionRequest {
	return &model.CopyImageInRegionRequest{
		ImageId: source,
		Body:    &model.CopyImageInRegionRequestBody{Name: name, Description: str("conformance copy"), EnterpriseProjectId: str("0")},
	}
}

func showJob(t *testing.T, c *ims.ImsClient, jobID string) *model.ShowJobResponse {
	t.Helper()
	resp, err := c.ShowJob(&model.ShowJobRequest{JobId: jobID})
	if err != nil {
		t.Fatalf("ShowJob: %v", err)
	}
	return resp
}

func listByName(t *testing.T, c *ims.ImsClient, name string) []model.ImageInfo {
	t.Helper()
	private := model.GetListImagesRequestImagetypeEnum().PRIVATE
	resp, err := c.ListImages(&model.ListImagesRequest{Name: &name, Imagetype: &private})
	if err != nil {
		t.Fatalf("ListImages: %v", err)
	}
	if resp.Images == nil {
		return nil
	}
	return *resp.Images
}

func TestSDK_CopyImageInRegionRunsToSuccessAndListsTheCopy(t *testing.T) {
	f := newFixture(t)
	c := f.defaultSDK(t)

	resp, err := c.CopyImageInRegion(copyRequest(f.source.ID, "sdk copy-1"))
	if err != nil {
		t.Fatalf("CopyImageInRegion: %v", err)
	}
	if resp.JobId == nil || *resp.JobId == "" || resp.HttpStatusCode != http.StatusOK {
		t.Fatalf("answer %v", resp)
	}
	jobID := *resp.JobId

	job := showJob(t, c, jobID)
	if job.Status.Value() != "INIT" || *job.JobId != jobID || *job.JobType != "imsCopyImageInRegionJob" {
		t.Fatalf("fresh job %v", job)
	}
	images := listByName(t, c, "sdk copy-1")
	if len(images) != 1 || images[0].Status.Value() != "queued" {
		t.Fatalf("copy in flight listed as %v", images)
	}

	f.clock.Advance(20 * time.Minute)
	job = showJob(t, c, jobID)
	if job.Status.Value() != "RUNNING" || job.Entities == nil || job.Entities.ProcessPercent == nil || *job.Entities.ProcessPercent != 0.5 {
		t.Fatalf("half-way job %v", job)
	}

	f.clock.Advance(20 * time.Minute)
	job = showJob(t, c, jobID)
	if job.Status.Value() != "SUCCESS" || job.Entities == nil || job.Entities.ImageId == nil {
		t.Fatalf("finished job %v", job)
	}
	images = listByName(t, c, "sdk copy-1")
	if len(images) != 1 || images[0].Id != *job.Entities.ImageId || images[0].Status.Value() != "active" ||
		images[0].Owner != f.sim.ProjectID() || images[0].Imagetype.Value() != "private" {
		t.Fatalf("finished copy listed as %v, job image %s", images, *job.Entities.ImageId)
	}
}

func TestSDK_FailedCopyReportsFailReason(t *testing.T) {
	f := newFixture(t)
	f.sim.FailNextCopy("snapshot chain broken")
	c := f.defaultSDK(t)
	resp, err := c.CopyImageInRegion(copyRequest(f.source.ID, "doomed"))
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(40 * time.Minute)
	job := showJob(t, c, *resp.JobId)
	if job.Status.Value() != "FAIL" || job.FailReason == nil || *job.FailReason != "snapshot chain broken" || job.ErrorCode == nil {
		t.Fatalf("failed job %v", job)
	}
}

// serviceError asserts the SDK read err as a service answer and returns it.
func serviceError(t *testing.T, err error) *sdkerr.ServiceResponseError {
	t.Helper()
	var se *sdkerr.ServiceResponseError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a ServiceResponseError", err, err)
	}
	if se.RequestId == "" {
		t.Errorf("SDK found no X-Request-Id in %v", se)
	}
	return se
}

func TestSDK_ReadsEmulatorErrorsAsTheServiceWouldAnswer(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name    string
		setup   func()
		client  func(t *testing.T) *ims.ImsClient
		req     *model.CopyImageInRegionRequest
		status  int
		code    string
		message string
	}{
		{name: "wrong secret key", client: func(t *testing.T) *ims.ImsClient { return f.sdk(t, huaweisim.DefaultAccessKey, "wrong") },
			req: copyRequest(f.source.ID, "x"), status: 401, code: "APIGW.0301", message: "verify aksk signature fail"},
		{name: "throttled", setup: func() {
			f.sim.Faults().Inject(huaweisim.OpCopyImageInRegion, simkit.Fault{Status: 429, RetryAfter: 3 * time.Second}, 1)
		}, req: copyRequest(f.source.ID, "x"), status: 429, code: "APIGW.0308", message: "throttling threshold"},
		{name: "name too long", req: copyRequest(f.source.ID, strings.Repeat("n", 129)),
			status: 400, code: "IMG.0002", message: "more than 128 characters"},
		{name: "unknown source", req: copyRequest("00000000-0000-4000-8000-000000000000", "x"),
			status: 404, code: "IMG.0027", message: "does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setup != nil {
				tt.setup()
			}
			c := f.defaultSDK(t)
			if tt.client != nil {
				c = tt.client(t)
			}
			_, err := c.CopyImageInRegion(tt.req)
			se := serviceError(t, err)
			if se.StatusCode != tt.status || se.ErrorCode != tt.code || !strings.Contains(se.ErrorMessage, tt.message) {
				t.Fatalf("SDK read %d %q %q, want %d %s mentioning %q", se.StatusCode, se.ErrorCode, se.ErrorMessage, tt.status, tt.code, tt.message)
			}
		})
	}
	if n := len(f.sim.Images()); n != 1 {
		t.Fatalf("failed calls left %d images, want only the source", n)
	}
}
