// Package activities holds one Temporal activity per documented vendor call.
//
// Activities are methods on Activities, whose fields are the vendor clients
// the worker built from its configuration; workflows call them through a nil
// *Activities. Inputs and results carry ids, names and etags only: the
// credentials stay in the worker and never reach workflow history.
//
// This is the one place where vendor errors become Temporal errors (see
// errors.go): a vendor's 4xx becomes a non-retryable ApplicationError whose
// type names the vendor and its code, throttling and 5xx stay retryable and
// honour Retry-After, and every message names the pipeline step, the vendor's
// code and message, and the request id to quote to the vendor.
package activities
