// Package oci is imagepipe's client for Oracle Cloud Infrastructure Identity
// and Core Services, API version 20160918, built on the official Go SDK
// (github.com/oracle/oci-go-sdk/v65: common, identity, core). It implements
// CreateCompartment
// (https://docs.oracle.com/en-us/iaas/api/#/en/identity/20160918/Compartment/CreateCompartment)
// and ChangeImageCompartment
// (https://docs.oracle.com/en-us/iaas/api/#/en/iaas/20160918/Image/ChangeImageCompartment),
// with the error codes of https://docs.oracle.com/en-us/iaas/Content/API/References/apierrors.htm,
// plus the calls they need around them:
// GetCompartment (to poll CREATING until ACTIVE), ListCompartments (as
// FindCompartment) and GetImage (for the etag a move's if-match wants).
//
// Every call is made exactly once. The SDK's retries, its eventual-
// consistency retries and its circuit breaker are turned off in code,
// whatever the environment says, because Temporal owns retries; mutating
// calls demand an explicit opc-retry-token so every attempt of a step sends
// the same one. A vendor error answer comes back as *vendorerr.Error (status,
// code, message, opc-request-id, Retry-After, and OCI's classification); transport and context failures come
// back wrapped as they are; input the client refuses to send wraps
// ErrInvalidInput.
//
// Config reads the standard OCI config file (LoadConfigFile), plus an
// "endpoint" key of imagepipe's own that points both services at one host,
// such as the emulator in package ocisim.
//
// It knowingly leaves out: instance, resource and session-token principals
// (API signing keys only), defined tags, compartment update, move and
// delete, every other image operation, and realm-specific endpoint templates.
package oci
