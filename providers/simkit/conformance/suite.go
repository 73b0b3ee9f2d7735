package conformance

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

// callTimeout bounds each call a case makes; generous, for a loaded machine.
const callTimeout = time.Minute

// Run runs every case against a fresh Subject from newSubject.
func Run(t *testing.T, newSubject func(t *testing.T) *Subject) {
	cases := []struct {
		name string
		run  func(*testing.T, *Subject)
	}{
		{"ThrottledCallCarriesRetryAfterAndRetryGoesThrough", throttled},
		{"AnswerLostAfterAcceptanceThenRetryMakesOneResource", lostAnswer},
		{"RefusalIsFinalAndTypedByTheVendorsCode", refusal},
		{"BadCredentialsAreFinal", badCredentials},
		{"FailedJobSaysSoWithItsReason", jobFailure},
		{"RepeatedCreateWithTheSameKeyMakesOneResource", idempotentRetry},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, newSubject(t)) })
	}
}

func callCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	t.Cleanup(cancel)
	return ctx
}

// vendorError asserts err carries the subject's vendor's answer.
func vendorError(t *testing.T, s *Subject, err error) *vendorerr.Error {
	t.Helper()
	ve, ok := vendorerr.As(err)
	if !ok {
		t.Fatalf("error %v (%T) carries no vendor answer", err, err)
	}
	if ve.Vendor != s.Vendor {
		t.Fatalf("answer %v names vendor %q, want %q", ve, ve.Vendor, s.Vendor)
	}
	return ve
}

// throttled: a 429 with Retry-After is the vendor asking to slow down, for
// that long; nothing was made, and the retry makes the resource.
func throttled(t *testing.T, s *Subject) {
	s.Kernel.Faults().Inject(s.CreateOp, simkit.Fault{Status: http.StatusTooManyRequests, RetryAfter: 7 * time.Second}, 1)
	_, err := s.Create(callCtx(t), "conformance-throttle")
	ve := vendorError(t, s, err)
	if !ve.Throttled() || !ve.Retryable() || ve.RetryAfter != 7*time.Second || ve.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("throttled answer %v: throttled %v, retryable %v, Retry-After %s; want throttled, retryable, 7s",
			ve, ve.Throttled(), ve.Retryable(), ve.RetryAfter)
	}
	if n := s.Made(); n != 0 {
		t.Fatalf("a throttled create made %d resources", n)
	}
	if _, err := s.Create(callCtx(t), "conformance-throttle"); err != nil {
		t.Fatalf("retry after throttling: %v", err)
	}
	if n := s.Made(); n != 1 {
		t.Fatalf("after the retry the emulator holds %d resources, want 1", n)
	}
}

// lostAnswer: the vendor accepts the create and acts on it, and its answer
// never reaches the caller; the step's retry must find that work, not
// repeat it.
func lostAnswer(t *testing.T, s *Subject) {
	const key = "conformance-lost-answer"
	method, suffix, _ := strings.Cut(s.CreateRequest, " ")
	hold := s.Holds.Arm(func(r *http.Request) bool {
		return r.Method == method && strings.HasSuffix(r.URL.Path, suffix)
	})
	ctx := callCtx(t)
	done := make(chan error, 1)
	go func() {
		_, err := s.Create(ctx, key)
		done <- err
	}()
	select {
	case <-hold.Caught():
	case err := <-done:
		t.Fatalf("the create ended (%v) without the emulator accepting it", err)
	case <-time.After(callTimeout):
		t.Fatal("the emulator never accepted the create")
	}
	hold.Drop()
	if err := <-done; err == nil {
		t.Fatal("the create succeeded although its answer was lost")
	} else if _, ok := vendorerr.As(err); ok {
		t.Fatalf("a lost answer came back as a vendor answer: %v", err)
	}
	if _, err := s.Create(callCtx(t), key); err != nil {
		t.Fatalf("retry after the lost answer: %v", err)
	}
	if n := s.Made(); n != 1 {
		t.Fatalf("after a lost answer and a retry the emulator holds %d resources, want 1", n)
	}
	sameKeys(t, s)
}

// refusal: a call the vendor refuses for what it asks is final, and its
// type names the vendor's own code.
func refusal(t *testing.T, s *Subject) {
	ve := vendorError(t, s, s.Refuse(callCtx(t)))
	if ve.StatusCode != s.RefusalStatus || ve.Code != s.RefusalCode {
		t.Fatalf("refusal %v: %d %q, want %d %q", ve, ve.StatusCode, ve.Code, s.RefusalStatus, s.RefusalCode)
	}
	if ve.Retryable() {
		t.Fatalf("refusal %v is retryable (class %s); no retry can change it", ve, ve.Class)
	}
	if want := s.Vendor + "." + s.RefusalCode; ve.Type() != want {
		t.Fatalf("refusal type %q, want %q", ve.Type(), want)
	}
}

// badCredentials: a caller the vendor does not know is refused, finally:
// retrying with the same credentials cannot help.
func badCredentials(t *testing.T, s *Subject) {
	ve := vendorError(t, s, s.BadCredentials(callCtx(t)))
	if ve.Retryable() {
		t.Fatalf("bad credentials answer %v is retryable (class %s)", ve, ve.Class)
	}
	if ve.Code == "" && ve.StatusCode != http.StatusUnauthorized && ve.StatusCode != http.StatusForbidden {
		t.Fatalf("bad credentials answer %v carries neither a code nor 401/403", ve)
	}
}

// jobFailure: a job the vendor accepted and then failed ends failed, with
// the vendor's reason for the user to read.
func jobFailure(t *testing.T, s *Subject) {
	want := s.FailNext()
	job, err := s.Create(callCtx(t), "conformance-job-failure")
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if job == "" {
		t.Fatal("the create started no job")
	}
	ok, reason, err := await(callCtx(t), s, job)
	if err != nil {
		t.Fatalf("await job %s: %v", job, err)
	}
	if ok || !strings.Contains(reason, want) {
		t.Fatalf("job %s: succeeded %v, reason %q; want a failure whose reason says %q", job, ok, reason, want)
	}
}

// idempotentRetry: an attempt repeated after the first one's answer came
// back makes nothing new, and the job succeeds.
func idempotentRetry(t *testing.T, s *Subject) {
	const key = "conformance-repeat"
	job, err := s.Create(callCtx(t), key)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if _, err := s.Create(callCtx(t), key); err != nil {
		t.Fatalf("repeated create: %v", err)
	}
	if n := s.Made(); n != 1 {
		t.Fatalf("two attempts made %d resources, want 1", n)
	}
	if job != "" {
		ok, reason, err := await(callCtx(t), s, job)
		if err != nil || !ok {
			t.Fatalf("job %s: succeeded %v, reason %q, err %v; want success", job, ok, reason, err)
		}
	}
	sameKeys(t, s)
}

// await polls job until it ends, moving the emulator's clock between
// polls, so a job of any length ends in no wall-clock time.
func await(ctx context.Context, s *Subject, job string) (succeeded bool, reason string, err error) {
	for ctx.Err() == nil {
		done, ok, reason, err := s.Poll(ctx, job)
		if err != nil || done {
			return ok, reason, err
		}
		s.Clock.Advance(s.PollEvery)
	}
	return false, "", ctx.Err()
}

// sameKeys checks, for a vendor with idempotency keys, that every attempt
// sent the same one.
func sameKeys(t *testing.T, s *Subject) {
	t.Helper()
	if s.Kernel.KeyHeader == "" {
		return
	}
	keys := s.Kernel.Keys(s.CreateOp)
	if len(keys) < 2 {
		t.Fatalf("the emulator saw %d %s keys over two attempts, want one per attempt", len(keys), s.Kernel.KeyHeader)
	}
	for _, k := range keys[1:] {
		if k != keys[0] {
			t.Fatalf("attempts sent different %s keys: %q", s.Kernel.KeyHeader, keys)
		}
	}
}
