// Package conformance is the one suite every vendor's client and emulator
// pair runs, as rclone's fstests run every backend
// (https://github.com/rclone/rclone/tree/master/fstest/fstests): the
// behaviours imagepipe's retries and idempotency rest on, checked the same
// way for each vendor. A vendor's own _test.go builds a Subject (a small
// adapter over its client and emulator) and calls Run.
//
// The cases: a throttled call carries Retry-After and a retry goes
// through; an answer lost after the vendor accepted a create, then a retry
// of the same step, leaves one resource; a 4xx refusal is final and typed
// by the vendor's code; bad credentials are final; a vendor job that fails
// says so with its reason; and a create repeated with the same key makes
// one resource and succeeds.
//
// It imports no Temporal: it checks what the activities package turns into
// retries (each vendor's *vendorerr.Error and its classification), not the
// retries themselves.
package conformance
