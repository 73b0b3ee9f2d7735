// Package ocisim emulates the slice of Oracle Cloud Infrastructure that
// imagepipe calls, Identity and Core API version 20160918, as one
// http.Handler:
//
//	POST /20160918/compartments                                 CreateCompartment
//	GET  /20160918/compartments/{compartmentId}                 GetCompartment
//	GET  /20160918/compartments?compartmentId=&name=&limit=&page= ListCompartments
//	GET  /20160918/images/{imageId}                             GetImage
//	POST /20160918/images/{imageId}/actions/changeCompartment   ChangeImageCompartment
//
// as documented in OCI's API reference
// (https://docs.oracle.com/en-us/iaas/api/#/en/identity/20160918/ and
// https://docs.oracle.com/en-us/iaas/api/#/en/iaas/20160918/).
//
// Like the real services it checks every request's HTTP signature
// (draft-cavage-http-signatures-08, rsa-sha256, keyId
// "tenancy/user/fingerprint", the headers OCI requires, the body's
// x-content-sha256 and a date within five minutes of the wall clock) and
// answers 401 NotAuthenticated otherwise; it sends opc-request-id on every
// answer (the caller's, when it sent one), etag on every resource, honours
// if-match (412 NoEtagMatch) and replays opc-retry-token answers for 24 hours
// of its clock. New compartments are CREATING for Options.ActivationDelay of
// that clock, then ACTIVE. Request bodies are decoded strictly against the
// documented models (types, exact field names, one JSON object): anything
// else is 400 CannotParseRequest; compartment names are held to IAM's
// characters (letters, numbers, '.', '-', '_'). Errors are OCI's
// {"code","message"} bodies; faults injected through Faults() are rendered
// the same way, with Retry-After.
//
// Credentials makes signing keys and OCI config files for tests, the
// emulator binary and `make run`.
//
// It knowingly leaves out: TLS (serve it behind httptest.NewTLSServer if
// needed), IAM policies (every authenticated key may do everything), defined
// tags, compartment update, delete and move, images' other operations,
// work requests, realms and regions (one handler answers for all), request
// signatures made with RSA-PSS, and OCI's per-tenancy limits.
package ocisim
