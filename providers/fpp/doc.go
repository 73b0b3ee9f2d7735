// Package fpp is a thin client for the Oracle Fleet Patching and
// Provisioning (FPP, formerly Rapid Home Provisioning, RHP) REST API.
//
// It implements, from the "REST API for Fleet Patching and Provisioning"
// (Oracle Database 19c–23ai documentation, e.g.
// https://docs.oracle.com/en/database/oracle/oracle-database/23/fpprs/op-images-post.html),
// the calls imagepipe makes:
//
//	ImportImage   POST /rhp-restapi/rhp/images             ("Schedules an import image operation")
//	GetJob        GET  /rhp-restapi/rhp/jobs/{jobId}       ("Get job details")
//	GetJobOutput  GET  /rhp-restapi/rhp/jobs/{jobId}/output ("Get the job output and result")
//	ListJobs      GET  /rhp-restapi/rhp/jobs               ("Get all the jobs")
//	GetImage      GET  /rhp-restapi/rhp/images/{imageId}   ("Display the configuration of the specified image")
//
// Authentication is HTTP Basic with a REST user registered on the FPP
// server (rhpctl register user -restuser), over HTTPS on port 8894 by
// default. The server presents a certificate from its own cluster CA, so
// Config.CAFile names that CA's PEM file.
//
// Every call makes exactly one request (GetJob makes a second, to
// /output, only to read the reason a job ended badly) and retries nothing:
// the caller owns retries. A call the server answers with an error returns a
// *vendorerr.Error, with the errorResource's errorCode and title; transport failures
// (refused connections, TLS, timeouts, a cancelled context) come back
// wrapped as they are.
//
// FPP has no idempotency token: callers check before creating, so a
// retried import finds the first attempt's work instead of importing
// again. GetImage reports false on 404 for an image not (yet) there, and
// ImportImage's refusal of a name already taken (a 409,
// NameTaken) says that an import of it is running. Both cost one
// request whatever the server's history; ListJobs does not (its answer
// holds every job the server ever ran, as bare ids in the documented
// example), so a check must not be built on it.
//
// Knowingly left out: every other FPP endpoint; the client, jobTag,
// status and user filters of GET /jobs (documented from 23ai, absent from
// the 18c/19c pages); the authentication plugin, root credential, e-mail
// notification, patch and scheduling fields of ImportImageBody;
// pagination of job output (one request, the server's default of all
// lines). FPP reports no percent complete for jobs and documents no
// request-id header, so Job has no progress field and its errors carry no
// request id.
package fpp
