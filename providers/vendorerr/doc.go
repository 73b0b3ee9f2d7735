// Package vendorerr is the one error type every vendor client returns for
// an answer the vendor gave with an error status, whatever the vendor.
//
// What differs between vendors lives with each vendor, as data: its name in
// error types, what it calls its request id, and how it classifies an
// answer (retry, slow down, or give up). A vendor's package declares one
// Vendor and makes its errors with it, so the caller that turns them into
// retries (the activities package) decides nothing by vendor name.
//
// It imports no Temporal and no vendor, so every provider can use it.
package vendorerr
