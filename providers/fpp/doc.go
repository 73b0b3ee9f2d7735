// Package fpp is a thin client for the Oracle Fleet Patching and
// Provisioning (FPP, formerly Rapid Home Provisioning, RHP) REST API.
//
// It implements, from the "REST API for Fleet Patching and Provisioning"
// (Oracle Database 19c–23ai documentation), the calls imagepipe makes:
//
//	ImportImage   POST /rhp-restapi/rhp/images             ("Schedules an import image operation")
//	GetJob        GET  /rhp-restapi/rhp/jobs/{jobId}       ("Get job details")
//	GetJobOutput  GET  /rhp-restapi/rhp/jobs/{jobId}/output ("Get the job output and result")
//	GetImage      GET  /rhp-restapi/rhp/images/{imageId}   ("Display the configuration of the specified image")
//
// Authentication is HTTP Basic with a REST user registered on the FPP
// server (rhpctl register user -restuser), over HTTPS on port 8894 by
// default. The server presents a certificate from its own cluster CA, so
// Config.CAFile names that CA's PEM file.
//
// Every call makes exactly one request (GetJob makes a second, to
// /output, only to read the reason a job ended badly) and retries
// nothing: the caller owns retries. A call the server answers with an
// error returns *Error, with the errorResource's errorCode and title;
// transport failures (refused connections, TLS, timeouts, a cancelled
// context) come back wrapped as they are.
//
// FPP has no idempotency token: callers check before creating
// (GetImage reports false on 404) so a retried import finds the first
// attempt's image instead of importing again.
//
// Knowingly left out: every other FPP endpoint; the authentication plugin,
// root credential, e-mail notification, patch and scheduling fields of
// ImportImageBody; pagination of job output (one request, the server's
// default of all lines). FPP reports no percent complete for jobs and
// documents no request-id header, so Job has no progress field and
// Error.RequestID is always empty.
package fpp
