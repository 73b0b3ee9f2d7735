// Package activities holds one Temporal activity per documented vendor call.
//
// Each vendor's activities are methods on a struct of its own, in the
// vendor's file here, whose Client the worker built from its configuration;
// workflows call them through a nil pointer of that type, and the vendor's
// workflows.Vendor entry registers them. Among them are the read-only
// lookups `starter plan` (the PlanPipeline workflow) makes, the same looks
// the vendor's mutating activities make before they create. Inputs and results carry ids, names and etags only: the
// credentials stay in the worker and never reach workflow history.
//
// This is the one place where vendor errors become Temporal errors (see
// errors.go): a vendor's 4xx becomes a non-retryable ApplicationError whose
// type names the vendor and its code, throttling and 5xx stay retryable and
// honour Retry-After, and every message names the pipeline step, the vendor's
// code and message, and the request id to quote to the vendor.
package activities
