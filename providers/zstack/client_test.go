package zstack_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/vendorerr"
	"github.com/imagepipe/imagepipe/providers/zstack"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

func TestNew_NamesTheWrongField(t *testing.T) {
	good := zstack.Config{Endpoint: "http://127.0.0.1:8080", AccountName: "admin", Password: "password"}
	tests := []struct {
		name   string
		change func(*zstack.Config)
		want   string
	}{
		{"no endpoint", func(c *zstack.Config) { c.Endpoint = "" }, "Endpoint"},
		{"endpoint without scheme", func(c *zstack.Config) { c.Endpoint = "127.0.0.1:8080" }, "Endpoint"},
		{"endpoint with the api path", func(c *zstack.Config) { c.Endpoint = "http://127.0.0.1:8080/zstack" }, "Endpoint"},
		{"no account", func(c *zstack.Config) { c.AccountName = "" }, "AccountName"},
		{"no password", func(c *zstack.Config) { c.Password = "" }, "Password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.change(&cfg)
			_, err := zstack.New(cfg)
			var ce *zstack.ConfigError
			if !errors.As(err, &ce) || ce.Field != tt.want || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New error = %v, want a *ConfigError naming %s", err, tt.want)
			}
		})
	}
	if _, err := zstack.New(good); err != nil {
		t.Fatalf("New(valid config) = %v", err)
	}
}

func TestNew_ReportsEveryProblemAtOnce(t *testing.T) {
	_, err := zstack.New(zstack.Config{Endpoint: "127.0.0.1:8080"})
	if err == nil {
		t.Fatal("New accepted an empty config")
	}
	for _, field := range []string{"Endpoint", "AccountName", "Password"} {
		if !strings.Contains(err.Error(), field) {
			t.Errorf("error %q does not name %s", err, field)
		}
	}
}

func TestLogIn_BadCredentialsAreRejected(t *testing.T) {
	e := newEnv(t, zstacksim.Options{})
	bad := newClient(t, e.srv.URL, "not-the-password")

	_, err := bad.GetImage(context.Background(), e.image.UUID)
	ze := vendorErr(t, err)
	if ze.Operation != "LogInByAccount" || ze.StatusCode != 503 || ze.Code != zstack.CodeAuthenticationError {
		t.Fatalf("error = %+v, want LogInByAccount 503 %s", ze, zstack.CodeAuthenticationError)
	}
	if !strings.Contains(ze.Message, "wrong account name or password") {
		t.Fatalf("message %q does not say why", ze.Message)
	}
	if n := e.sim.Calls(zstacksim.OpQueryImage); n != 0 {
		t.Fatalf("QueryImage sent %d times without a session", n)
	}
}

func TestGetImage_ReturnsCurrentAttributes(t *testing.T) {
	e := newEnv(t, zstacksim.Options{})
	img, err := e.client.GetImage(context.Background(), e.image.UUID)
	if err != nil {
		t.Fatalf("GetImage: %v", err)
	}
	if img.UUID != e.image.UUID || img.Name != "gold-centos" || img.GuestOSType != "CentOS 7" ||
		img.Platform != "Linux" || img.Architecture != "x86_64" || img.Size != 1<<30 {
		t.Fatalf("image = %+v, want the seeded attributes", img)
	}
}

func TestGetImage_UnknownImageIsNotFound(t *testing.T) {
	e := newEnv(t, zstacksim.Options{})
	_, err := e.client.GetImage(context.Background(), "0123456789abcdef0123456789abcdef")
	ze := vendorErr(t, err)
	if ze.StatusCode != 404 || ze.Code != zstack.CodeResourceNotFound {
		t.Fatalf("error = %+v, want 404 %s", ze, zstack.CodeResourceNotFound)
	}
}

func TestGetImage_ExpiredSessionLogsInOnceAndRepeats(t *testing.T) {
	tests := []struct {
		name   string
		expire func(*env)
	}{
		{"server ended the session", func(e *env) { e.sim.ExpireSessions() }},
		{"session outlived its TTL", func(e *env) { e.clock.Advance(zstacksim.DefaultSessionTTL + time.Second) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, zstacksim.Options{})
			ctx := context.Background()
			if _, err := e.client.GetImage(ctx, e.image.UUID); err != nil {
				t.Fatalf("first GetImage: %v", err)
			}
			tt.expire(e)
			img, err := e.client.GetImage(ctx, e.image.UUID)
			if err != nil {
				t.Fatalf("GetImage after expiry: %v", err)
			}
			if img.UUID != e.image.UUID {
				t.Fatalf("got image %s", img.UUID)
			}
			if n := e.sim.Calls(zstacksim.OpLogInByAccount); n != 2 {
				t.Fatalf("LogInByAccount calls = %d, want 2", n)
			}
			if n := e.sim.Calls(zstacksim.OpQueryImage); n != 3 {
				t.Fatalf("QueryImage calls = %d, want 3 (ok, refused, repeated)", n)
			}
		})
	}
}

func TestClient_ConcurrentCallsShareOneLogin(t *testing.T) {
	e := newEnv(t, zstacksim.Options{})
	burst := func() {
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() {
				if _, err := e.client.GetImage(context.Background(), e.image.UUID); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("GetImage: %v", err)
		}
	}
	burst()
	if n := e.sim.Calls(zstacksim.OpLogInByAccount); n != 1 {
		t.Fatalf("LogInByAccount calls after first burst = %d, want 1", n)
	}
	e.sim.ExpireSessions()
	burst()
	if n := e.sim.Calls(zstacksim.OpLogInByAccount); n != 2 {
		t.Fatalf("LogInByAccount calls after expiry = %d, want 2", n)
	}
}

func TestCalls_FaultsCarryStatusCodeAndRetryAfter(t *testing.T) {
	tests := []struct {
		name      string
		op        string
		fault     simkit.Fault
		call      func(*env) error
		wantOp    string
		wantCode  string
		wantRetry time.Duration
	}{
		{
			name:  "throttled query",
			op:    zstacksim.OpQueryImage,
			fault: simkit.Fault{Status: 429, RetryAfter: 3 * time.Second},
			call: func(e *env) error {
				_, err := e.client.GetImage(context.Background(), e.image.UUID)
				return err
			},
			wantOp: "QueryImage", wantCode: zstack.CodeOperationError, wantRetry: 3 * time.Second,
		},
		{
			name:  "management node unavailable on update",
			op:    zstacksim.OpUpdateImage,
			fault: simkit.Fault{Status: 503, RetryAfter: 7 * time.Second, Message: "management node restarting"},
			call: func(e *env) error {
				_, err := e.client.UpdateImage(context.Background(), zstack.UpdateImageInput{
					UUID: e.image.UUID, Name: ptr("x"), JobUUID: zstack.JobUUIDFromKey("fault/update"),
				})
				return err
			},
			wantOp: "UpdateImage", wantCode: zstack.CodeNodeUnavailable, wantRetry: 7 * time.Second,
		},
		{
			name:  "internal error on poll, no Retry-After",
			op:    zstacksim.OpGetAPIJob,
			fault: simkit.Fault{Status: 500},
			call: func(e *env) error {
				_, err := e.client.GetJob(context.Background(), e.client.JobLocation(zstack.JobUUIDFromKey("fault/poll")))
				return err
			},
			wantOp: "GetAPIJob", wantCode: zstack.CodeInternal,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, zstacksim.Options{})
			e.sim.Faults().Inject(tt.op, tt.fault, 1)
			ze := vendorErr(t, tt.call(e))
			if ze.Operation != tt.wantOp || ze.StatusCode != tt.fault.Status || ze.Code != tt.wantCode || ze.RetryAfter != tt.wantRetry {
				t.Fatalf("error = %+v, want %s %d %s retry %v", ze, tt.wantOp, tt.fault.Status, tt.wantCode, tt.wantRetry)
			}
			if tt.fault.Message != "" && !strings.Contains(ze.Error(), tt.fault.Message) {
				t.Fatalf("error %q lost the vendor message %q", ze.Error(), tt.fault.Message)
			}
		})
	}
}

func TestGetImage_GivesUpWhenContextEnds(t *testing.T) {
	e := newEnv(t, zstacksim.Options{})
	if _, err := e.client.GetImage(context.Background(), e.image.UUID); err != nil {
		t.Fatalf("GetImage: %v", err)
	}
	e.sim.Faults().Inject(zstacksim.OpQueryImage, simkit.Fault{Delay: time.Minute}, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := e.client.GetImage(ctx, e.image.UUID)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want context.DeadlineExceeded", err)
	}
	var ze *vendorerr.Error
	if errors.As(err, &ze) {
		t.Fatalf("a transport failure came back as a vendor error: %+v", ze)
	}
}
