package pipeline

import (
	"regexp"
	"strings"
	"unicode"
)

// ActionHuaweiCopyImage copies an image within a Huawei Cloud region.
const ActionHuaweiCopyImage = "huawei.copy_image"

// HuaweiCopyImageInput is what huawei.copy_image takes.
type HuaweiCopyImageInput struct {
	ImageID             string `json:"image_id" required:"true" doc:"ID of the source image"`
	Name                string `json:"name" required:"true" doc:"name of the copy"`
	Description         string `json:"description" doc:"description of the copy"`
	CMKID               string `json:"cmk_id" doc:"KMS key that encrypts the copy"`
	EnterpriseProjectID string `json:"enterprise_project_id" doc:"enterprise project of the copy"`
}

// HuaweiCopyImageOutput is the copy and the job that made it.
type HuaweiCopyImageOutput struct {
	ImageID string `json:"image_id"`
	JobID   string `json:"job_id"`
}

// HuaweiCopyImage declares Huawei IMS's action.
var HuaweiCopyImage = Declare[HuaweiCopyImageInput, HuaweiCopyImageOutput](Action{
	Name:   ActionHuaweiCopyImage,
	Vendor: "huawei", API: "Huawei Cloud IMS",
	Doc: "Copy an image within a region (POST /v1/cloudimages/{image_id}/copy) and wait for the IMS job. An image of the target name that already exists is reused.",
}, map[string]*Rule{"name": imsImageName, "description": imsDescription, "enterprise_project_id": imsEnterpriseProject})

var (
	// Huawei IMS, "Image Attributes": a name is 1 to 128 characters of
	// letters, digits, spaces, '-', '_' and '.', and cannot start or end
	// with a space. Chinese characters count as letters (the SDK's field
	// doc).
	imsImageName = &Rule{Vendor: "IMS", Field: "image names", MinLen: 1, MaxLen: 128, NoEdgeSpace: true, Example: "gold-ubuntu 22.04",
		Allowed: func(c rune) bool {
			return asciiAlnum(c) || strings.ContainsRune("-_. ", c) || unicode.Is(unicode.Han, c)
		},
		AllowedDoc: "letters, digits, spaces, '-', '_' and '.'"}
	// Copy image, description: "a maximum of 1024 characters ... Carriage
	// returns and angle brackets (< >) are not allowed". Unverified: that
	// a line feed is refused like a carriage return.
	imsDescription = &Rule{Vendor: "IMS", Field: "image descriptions", MaxLen: 1024, Forbidden: "\r\n<>", Example: "Gold image"}
	// Unverified: the copy API documents enterprise_project_id without a
	// form; IMS's image APIs describe it as 0 (the default project) or the
	// project's UUID.
	imsEnterpriseProject = &Rule{Vendor: "IMS", Field: "enterprise projects", Example: "0",
		Pattern:    regexp.MustCompile(`^(0|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$`),
		PatternDoc: "0 (the default project) or a project's UUID"}
)
