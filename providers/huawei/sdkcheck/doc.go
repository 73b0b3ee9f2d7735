// Package sdkcheck checks the IMS emulator (providers/huawei/huaweisim) with a
// client nobody on this project wrote: the official Huawei Cloud Go SDK
// (github.com/huaweicloud/huaweicloud-sdk-go-v3, services/ims/v2). If the
// emulator's routes, JSON, error shapes or signature verification drift
// from the real service's contract as the SDK encodes it, these tests fail.
//
// It is a module of its own so that the SDK's large dependency tree stays
// out of the main module's build (the main module's ./... stops at its
// go.mod). Run it with `go test ./...` here, or `make test-conformance`.
package sdkcheck
