// Package huaweisim is an in-memory emulator of Huawei Cloud IMS, behind the
// API gateway, as an http.Handler (serve it with httptest.NewServer or
// http.Server). It implements what package huawei calls, with the wire
// format of the IMS API reference and the official Go SDK:
//
//   - POST /v1/cloudimages/{image_id}/copy (CopyImageInRegion): validates
//     name, description and enterprise_project_id ("0" or a UUID) with IMS's
//     IMG.xxxx codes, 404 IMG.0027 for an unknown source, 400 IMG.0047 for a
//     source the project does not own (only private images can be copied),
//     IMG.0060 past Options.MaxConcurrentCopies, and answers {"job_id"}. The new image exists at once: queued, then saving, then
//     active, so a listing by name finds a copy in flight.
//   - GET /v1/{project_id}/jobs/{job_id} (ShowJob): INIT, RUNNING, SUCCESS
//     or FAIL over the job's duration on Options.Clock, so time-skipping
//     tests finish hour-long copies at once.
//   - GET /v2/cloudimages (ListImages): exact-match filters, newest first.
//
// Every request must carry a valid SDK-HMAC-SHA256 signature from a
// registered AK/SK and X-Project-Id naming the emulator's project; failures
// get the gateway's 401 APIGW.0301 answer. Every response carries
// X-Request-Id. Faults (Faults) are rendered as the gateway (429
// APIGW.0308) or IMS would write them.
//
// Knowingly left out: other IMS APIs, several projects or regions, KMS key
// checks on cmk_id, whether a well-formed enterprise project id exists,
// image name uniqueness (IMS lists IMG.0009 "The image name already exists"
// without saying when it applies; names repeat here, the case
// check-before-create guards against), and the gateway's lock-out after
// repeated bad signatures.
package huaweisim
