// Package zstack is a thin client for the part of ZStack Cloud's REST API
// (v1, served under /zstack/v1) that image pipelines use: read an image's
// attributes, update them, and poll the api-job the update runs as.
//
// It implements UpdateImage as ZStack's API reference shows it
// (https://docs.zstack-cloud.com/docs/api-explorer/en/cloud/explorer/UpdateImage: PUT
// /zstack/v1/images/{uuid}/actions with {"updateImage": {...}} and
// "Authorization: OAuth {sessionUuid}"), and what that page leaves out, taken
// from ZStack's own server, SDK and manual (https://github.com/zstackio/zstack:
// rest/RestServer.java, sdk/ZSClient.java, rest/doc/RestIntroduction_zh_cn.md,
// identity/*, conf/errorCodes/*.xml):
//
//   - Login: PUT /zstack/v1/accounts/login with {"logInByAccount":
//     {"accountName", "password"}}, the password as its SHA-512 hex digest;
//     the answer's inventory.uuid is the session. Sessions last two hours by
//     default. The client logs in on first use, shares one session between
//     goroutines, and logs in again at most once per call when ZStack says
//     the session is invalid (error code ID.1001), then repeats the call once.
//   - UpdateImage is asynchronous on the real server although its page says
//     synchronous: 202 {"location": ".../v1/api-jobs/{uuid}"}. Polling the
//     location answers 202 while it runs, 200 {"inventory"} when done and 503
//     {"error"} when it failed. ZStack's SDK reads every 503 on a poll as the
//     job's end; this client reads SYS.1012 (management node unavailable)
//     as an error to retry, since it describes the node, not the job. The
//     client also accepts the page's synchronous 200 {"inventory"}.
//   - Idempotency: the X-Job-UUID header names the job (32 characters, a
//     random UUID without dashes per the manual; ZStack checks the length).
//     ZStack refuses a second request carrying a job uuid it still holds with
//     400 "Duplicate job uuid[...]"; the client turns that into the first
//     job's location, so a retried UpdateImage resumes the job it started.
//     ZStack forgets completed jobs three hours after creation; a retry after
//     that sends the same attributes again, which is harmless.
//   - Because the session of an async API is checked only after the 202, a
//     PUT sent with an expired session would burn its job uuid on a job that
//     fails with ID.1001. UpdateImage therefore asks
//     GET /zstack/v1/accounts/sessions/{uuid}/valid first when it reuses a
//     session, and logs in again if ZStack answers {"valid": false}.
//   - Errors: ZStack's REST layer answers its own refusals (missing header,
//     bad job uuid, duplicate) with 400 and a plain-text body; API errors come
//     as 503 {"error": {"code", "description", "details", "cause"}}. Both
//     become *vendorerr.Error. ZStack returns no request-id header: its
//     RequestID is
//     the job uuid for UpdateImage and GetJob (ZStack logs the API under it)
//     and empty for the synchronous calls.
//   - A query for an unknown uuid answers 200 with no inventories; GetImage
//     reports that as a 404 and code SYS.1003.
//   - Logout: LogOut (and Close) end the shared session with DELETE
//     /zstack/v1/accounts/sessions/{uuid} (APILogOutMsg, synchronous, no
//     Authorization header), so a stopped client leaves no session behind.
//     The session is a bearer credential: errors never quote it.
//
// Left out, knowingly: access-key authentication, web hooks, job progress
// (ZStack's api-jobs report none), session renewal, and tags on the image
// inventory. The client passes systemTags and userTags on unchanged.
// Unverified: whether ZStack applies them on UpdateImage at all; its
// ImageBase.updateImage does not, and its tag interceptor handles create
// messages only.
package zstack
