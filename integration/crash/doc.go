// Package crash proves in CI what imagepipe promises of a crash: a worker
// process SIGKILLed at any moment (including after a vendor accepted a
// mutating call and before the worker heard the answer) and a dev server
// stopped with SIGTERM or SIGKILL mid-run lose no pipeline, create no
// resource twice, repeat no mutation under another idempotency key and
// leak no credential into a log or a history.
//
// `make test` runs a slice of it; `make soak` runs it longer, with the
// IMAGEPIPE_SOAK_* variables in settings_test.go.
package crash
