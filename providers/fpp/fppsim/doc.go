// Package fppsim is an in-memory emulator of the Oracle Fleet Patching and
// Provisioning (FPP, formerly Rapid Home Provisioning) REST API, as an
// http.Handler in the manner of net/http/httptest.
//
// It implements the part of the REST API for Fleet Patching and
// Provisioning (Oracle Database 19c/21c/23ai documentation, "RHP - Manage
// Gold Images" and "RHP - Manage Operation Results",
// https://docs.oracle.com/en/database/oracle/oracle-database/23/fpprs/)
// that imagepipe calls,
// under /rhp-restapi/rhp:
//
//	POST /images                 import a gold image (202, Location: …/jobs/{jobId}, jobResource)
//	GET  /images/{imageId}       the imageResource, 404 errorResource when absent
//	GET  /jobs                   {"items": [jobResource…], "links": […]}, oldest first, filters status and client
//	GET  /jobs/{jobId}           the jobResource (status SCHEDULED, EXECUTING, … SUCCEEDED/FAILED)
//	GET  /jobs/{jobId}/output    the jobOutputResource, honouring limit and offset (lines)
//
// An import body is checked against the documented ImportImageBody: each
// field's JSON type, imageType one of BuiltInImageTypes or a custom type
// given in Options.ImageTypes, state, port and an ISO-8601 schedule; a bad
// field is a 400 errorResource whose errorPath names it ($.imageType, …).
//
// Every request is checked for HTTP Basic credentials; failures and
// injected faults are answered with the documented errorResource body
// (errorCode, title, status, errorPath). The server serves HTTPS with its
// own CA, as a real FPP server does: GenerateCA makes one, writes its PEM
// for clients and hands out the server's tls.Config.
//
// Import jobs follow Options.Clock: SCHEDULED for the first tenth of the
// job duration, EXECUTING until it has passed, then SUCCEEDED (the image
// appears) or FAILED (with the injected reason as the last line of the
// job output). The output grows line by line while the job runs. While an
// import of a name runs, GET /images/{name} answers 404 and a second
// import of the name is refused with 409, as is an import of a name that
// exists. Unverified: FPP's documents say neither when an image becomes
// visible nor how a duplicate import is refused; imagepipe's check before
// an import relies on both, and the emulator is where that assumption is
// written down.
//
// The items of GET /jobs carry only links, jobId and an empty output, as in
// the documented example ("Get all the jobs"), unless
// Options.DetailedJobList adds each job's status and operation.
//
// Knowingly left out: every other endpoint (working copies, series,
// abort, resume, delete), the jobTag and user filters of GET /jobs
// (refused with 400), scheduled start times, authentication
// plugins, e-mail notification, and pagination links. FPP documents no
// request-id header, so the emulator sends none. The real errorCode values
// of FPP's REST failures are not published; the emulator's codes
// (InvalidParameter, ImageExists, NotFound, …) are its own.
package fppsim
