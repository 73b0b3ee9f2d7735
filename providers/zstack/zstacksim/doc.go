// Package zstacksim is an in-memory emulator of the slice of ZStack Cloud's
// REST API (v1, under the /zstack context path) that package zstack uses:
//
//	PUT /zstack/v1/accounts/login                    LogInByAccount (sync)
//	DELETE /zstack/v1/accounts/sessions/{uuid}       LogOut (sync, no auth)
//	GET /zstack/v1/accounts/sessions/{uuid}/valid    ValidateSession (sync, no auth)
//	GET /zstack/v1/images/{uuid}                     QueryImage (sync)
//	PUT /zstack/v1/images/{uuid}/actions             UpdateImage (async: 202 + location)
//	GET /zstack/v1/api-jobs/{uuid}                   poll an async API (no auth)
//
// It follows ZStack's own server (https://github.com/zstackio/zstack:
// rest/RestServer.java, identity/AccountManagerImpl.java, image/ImageBase.java,
// portal/apimediator/*Validator.java, conf/errorCodes/*.xml) rather than the
// UpdateImage API page
// (https://docs.zstack-cloud.com/docs/api-explorer/en/cloud/explorer/UpdateImage),
// which calls the API synchronous:
//
//   - Errors found by the REST layer itself (missing Authorization header, a
//     bad or duplicate X-Job-UUID, a body without the action key) are 400 with
//     a plain-text body. Errors of synchronous APIs are 503 with
//     {"error": {"code", "description", "details"}}.
//   - An asynchronous API is accepted (202 {"location", "apiTimeout"}) before
//     the API mediator checks the session, the parameters and the resource, so
//     an expired session (ID.1001), an invalid argument (SYS.1007) or an unknown
//     image (SYS.1003) on UpdateImage surface as a failed job: polling the
//     location answers 503 with the error. 202 {} means still running; 200
//     carries {"inventory": ...}; 404 "the job has been expired" means the job
//     record is gone (ZStack deletes completed jobs three hours after creation,
//     rest.completedApi.expiredPeriod = 10800 s).
//   - X-Job-UUID must be 32 characters (a UUID without dashes). A second
//     request with an X-Job-UUID the server still holds is refused with 400
//     "Duplicate job uuid[...]", whatever its body: the first job is the only
//     one, and its location answers for both.
//   - Querying an unknown image answers 200 with an empty "inventories" list,
//     not 404.
//   - Passwords travel as their SHA-512 hex digest, compared as stored.
//   - ZStack sends no request-id header, so neither does the emulator; the
//     job uuid is the identifier ZStack logs for an async API.
//
// Options.Synchronous makes UpdateImage answer 200 {"inventory": ...} (the
// shape of the API page) instead of 202. The real server never does; in
// that mode a successful update is still recorded under its X-Job-UUID, so a
// repeat is refused as a duplicate, while a refused one (bad session, bad
// argument) answers 503 at once and records nothing.
//
// Left out: access-key ("ZStack" scheme) authentication, query conditions on
// GET /images, web hooks (X-Web-Hook), the "schema" map of query answers,
// tags (ZStack's UpdateImage handler ignores systemTags and userTags; the
// emulator records them on the job for inspection), the boot-mode system tag
// that ZStack adds when the architecture changes, session renewal, and the
// logout extension points (LogoutExtensionPoint) ZStack runs before a logout.
package zstacksim
