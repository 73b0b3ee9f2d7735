package huawei_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/huawei"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

func TestNew_RejectsConfigNamingTheBadField(t *testing.T) {
	good := huawei.Config{Endpoint: "https://ims.ap-southeast-1.myhuaweicloud.com", ProjectID: "p", AccessKey: "ak", SecretKey: "sk"}
	tests := []struct {
		name  string
		edit  func(*huawei.Config)
		field string
	}{
		{"empty endpoint", func(c *huawei.Config) { c.Endpoint = "" }, "Endpoint"},
		{"endpoint without scheme", func(c *huawei.Config) { c.Endpoint = "ims.example.com" }, "Endpoint"},
		{"endpoint with query", func(c *huawei.Config) { c.Endpoint = "https://ims.example.com?x=1" }, "Endpoint"},
		{"no project", func(c *huawei.Config) { c.ProjectID = " " }, "ProjectID"},
		{"project with slash", func(c *huawei.Config) { c.ProjectID = "a/b" }, "ProjectID"},
		{"no access key", func(c *huawei.Config) { c.AccessKey = "" }, "AccessKey"},
		{"no secret key", func(c *huawei.Config) { c.SecretKey = "" }, "SecretKey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.edit(&cfg)
			_, err := huawei.New(cfg)
			var ce *huawei.ConfigError
			if !errors.As(err, &ce) || ce.Field != tt.field || !strings.Contains(err.Error(), "config: "+tt.field+":") {
				t.Fatalf("New error = %v, want a *ConfigError naming Config.%s", err, tt.field)
			}
		})
	}
	if _, err := huawei.New(good); err != nil {
		t.Fatalf("valid config rejected: %v", err)
	}
}

func TestNew_ReportsEveryProblemAtOnce(t *testing.T) {
	_, err := huawei.New(huawei.Config{Endpoint: "ims.example.com"})
	if err == nil {
		t.Fatal("New accepted an empty config")
	}
	for _, field := range []string{"Endpoint", "ProjectID", "AccessKey", "SecretKey"} {
		if !strings.Contains(err.Error(), "config: "+field+":") {
			t.Errorf("error %q does not name the field %s", err, field)
		}
	}
}

func TestClient_BadCredentialsAreRejectedWithGatewayError(t *testing.T) {
	e := newEnv(t, huaweisim.Options{})
	tests := []struct {
		name    string
		edit    func(*huawei.Config)
		status  int
		message string
	}{
		{"wrong secret key", func(c *huawei.Config) { c.SecretKey = "not-the-secret" },
			http.StatusUnauthorized, "verify aksk signature fail"},
		{"unknown access key", func(c *huawei.Config) { c.AccessKey = "NOSUCHAK" },
			http.StatusUnauthorized, "ak:NOSUCHAK,err:ak not exist"},
		{"another project", func(c *huawei.Config) { c.ProjectID = "someoneelse" },
			http.StatusUnauthorized, "someoneelse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.newClient(t, tt.edit)
			_, err := c.CopyImage(context.Background(), huawei.CopyImageInput{SourceImageID: e.source.ID, Name: "copy"})
			ve := vendorError(t, err)
			if ve.StatusCode != tt.status || ve.Code != huawei.CodeBadCredentials || !strings.Contains(ve.Message, tt.message) {
				t.Fatalf("got %v, want %d %s mentioning %q", ve, tt.status, huawei.CodeBadCredentials, tt.message)
			}
			if ve.Operation != huawei.OpCopyImageInRegion {
				t.Errorf("Operation = %q", ve.Operation)
			}
		})
	}
	if n := len(e.imagesNamed("copy")); n != 0 {
		t.Fatalf("rejected requests created %d images", n)
	}
}

// tamper rewrites the body after the client signed it, as a proxy might.
type tamper struct{ next http.RoundTripper }

func (tp tamper) RoundTrip(r *http.Request) (*http.Response, error) {
	b, _ := io.ReadAll(r.Body)
	b = bytes.Replace(b, []byte(`"name":"copy"`), []byte(`"name":"evil"`), 1)
	r2 := r.Clone(r.Context())
	r2.Body, r2.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	return tp.next.RoundTrip(r2)
}

func TestClient_TamperedBodyIsRejected(t *testing.T) {
	e := newEnv(t, huaweisim.Options{})
	c := e.newClient(t, func(cfg *huawei.Config) {
		cfg.HTTPClient = &http.Client{Transport: tamper{http.DefaultTransport}}
	})
	_, err := c.CopyImage(context.Background(), huawei.CopyImageInput{SourceImageID: e.source.ID, Name: "copy"})
	ve := vendorError(t, err)
	if ve.StatusCode != http.StatusUnauthorized || ve.Code != huawei.CodeBadCredentials {
		t.Fatalf("got %v, want 401 %s", ve, huawei.CodeBadCredentials)
	}
	if len(e.imagesNamed("evil")) != 0 || len(e.imagesNamed("copy")) != 0 {
		t.Fatal("a tampered request created an image")
	}
}

func TestClient_TransportFailureIsNotAVendorError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c, err := huawei.New(huawei.Config{Endpoint: url, ProjectID: "p", AccessKey: "ak", SecretKey: "sk"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetJob(context.Background(), "job1")
	var ve *vendorerr.Error
	if err == nil || errors.As(err, &ve) {
		t.Fatalf("GetJob error = %v, want a transport error", err)
	}
	if !strings.Contains(err.Error(), "get job job1") {
		t.Errorf("error %q does not name the call", err)
	}
}

func TestClient_CancelledContextStopsTheCall(t *testing.T) {
	e := newEnv(t, huaweisim.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.client.CopyImage(ctx, huawei.CopyImageInput{SourceImageID: e.source.ID, Name: "copy"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
}

func TestClient_ServerErrorIsAVendorErrorWithIMSCode(t *testing.T) {
	e := newEnv(t, huaweisim.Options{})
	e.sim.Faults().Inject(huaweisim.OpShowJob, faultStatus(http.StatusServiceUnavailable), 1)
	_, err := e.client.GetJob(context.Background(), "anyjob")
	ve := vendorError(t, err)
	if ve.StatusCode != http.StatusServiceUnavailable || ve.Code == "" || ve.Operation != huawei.OpShowJob {
		t.Fatalf("got %+v, want a 503 ShowJob error with a code", ve)
	}
	if ve.Throttled() {
		t.Error("a 503 is not throttling")
	}
}

func TestError_MessageNamesOperationStatusCodeAndRequestID(t *testing.T) {
	e := huawei.Vendor.Error(vendorerr.Answer{Operation: "CopyImageInRegion", StatusCode: 429, Code: "APIGW.0308",
		Message: "throttled", RequestID: "abc", RetryAfter: time.Second})
	if got, want := e.Error(), "CopyImageInRegion: 429 APIGW.0308: throttled (request id abc)"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
	bare := huawei.Vendor.Error(vendorerr.Answer{Operation: "ShowJob", StatusCode: 502, Message: "Bad Gateway"})
	if got, want := bare.Error(), "ShowJob: 502: Bad Gateway"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
}

// Huawei's throttling is Huawei's to know: IMG.0060 under a 400 is "slow
// down", which the vendor's classification says, not its caller.
func TestVendor_TooManyJobsUnderA400IsThrottling(t *testing.T) {
	tests := []struct {
		status int
		code   string
		want   vendorerr.Class
	}{
		{400, huawei.CodeTooManyJobs, vendorerr.Throttled},
		{429, huawei.CodeThrottled, vendorerr.Throttled},
		{400, huawei.CodeImageNotFound, vendorerr.Refused},
		{401, huawei.CodeBadCredentials, vendorerr.Refused},
		{503, "IMG.0061", vendorerr.Retryable},
	}
	for _, tt := range tests {
		e := huawei.Vendor.Error(vendorerr.Answer{StatusCode: tt.status, Code: tt.code})
		if e.Class != tt.want || e.Type() != "huawei."+tt.code || e.RequestIDLabel != "X-Request-Id" {
			t.Errorf("%d %s: class %s, type %s, label %s; want %s", tt.status, tt.code, e.Class, e.Type(), e.RequestIDLabel, tt.want)
		}
	}
}
