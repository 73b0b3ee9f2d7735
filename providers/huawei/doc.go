// Package huawei is a thin client for Huawei Cloud's Image Management
// Service (IMS), the three calls an image pipeline needs:
//
//   - CopyImage: POST /v1/cloudimages/{image_id}/copy, "Replicating an Image
//     Within a Region"
//     (https://support.huaweicloud.com/intl/en-us/api-ims/ims_03_0627.html);
//     answers {"job_id"}.
//   - GetJob: GET /v1/{project_id}/jobs/{job_id}, "Querying the Status of an
//     Asynchronous Job" (INIT, RUNNING, SUCCESS, FAIL; the new image id in
//     entities.image_id, progress in entities.process_percent).
//   - FindImageByName: GET /v2/cloudimages?name=...&__imagetype=private,
//     "Querying Images", for check-before-create: the copy API has no
//     idempotency token.
//
// Requests are signed with AK/SK (SDK-HMAC-SHA256, the "API Request Signing
// Guide") and carry X-Project-Id. Errors come back as *vendorerr.Error, whether IMS
// wrote them ({"error":{"code":"IMG.xxxx","message"}}) or the API gateway
// did ({"error_code":"APIGW.xxxx","error_msg","request_id"}); the request
// id is X-Request-Id. Facts were checked against the IMS API reference, the
// signing guide and the official Go SDK (huaweicloud-sdk-go-v3,
// services/ims/v2 and core/auth/signer); the emulator in huaweisim is checked
// against that SDK by the sdkcheck module beside it.
//
// The official SDK is not used here because it takes no context.Context.
// There are no retries: Temporal owns them. Knowingly left out: temporary
// credentials (X-Security-Token), the derived-key signing variants,
// cross-region copy, the job progress API (GET /v1/cloudimages/job/{id},
// whose data ShowJob also carries), and paging through more than one page
// of images (a name lookup matches few).
package huawei
