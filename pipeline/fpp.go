package pipeline

import (
	"regexp"
	"strings"
)

// ActionFPPImportImage imports a gold image into Oracle FPP.
const ActionFPPImportImage = "fpp.import_image"

// FPPImportImageInput is what fpp.import_image takes.
type FPPImportImageInput struct {
	ImageName string `json:"image_name" required:"true" doc:"name of the gold image to create"`
	Path      string `json:"path" required:"true" doc:"path of the software home to import"`
	ImageType string `json:"image_type" doc:"FPP image type, e.g. ORACLEDBSOFTWARE"`
	Client    string `json:"client" doc:"FPP client cluster holding the software home"`
}

// FPPImportImageOutput is the image and the job that imported it (empty
// when the image already existed).
type FPPImportImageOutput struct {
	ImageName string `json:"image_name"`
	JobID     string `json:"job_id"`
}

// FPPImportImage declares FPP's action.
var FPPImportImage = Declare[FPPImportImageInput, FPPImportImageOutput](Action{
	Name:   ActionFPPImportImage,
	Vendor: "fpp", API: "Oracle Fleet Patching and Provisioning",
	Doc: "Import a gold image from a software home (POST /rhp-restapi/rhp/images) and wait for the FPP job. An image of the same name that already exists is reused.",
}, map[string]*Rule{"image_name": fppImageName, "path": fppPath})

var (
	// FPP ImportImageBody.path: "the absolute path location of the
	// software home".
	fppPath = &Rule{Vendor: "FPP", Field: "software home paths", Example: "/u01/app/oracle/product/19.0.0/dbhome_1",
		Pattern: regexp.MustCompile(`^/`), PatternDoc: "an absolute path"}
	// Unverified: FPP documents no rule for image names. They become ACFS
	// file system and directory names and a URL path segment, and every
	// documented example is letters, digits, '_' and '.'; the emulator
	// takes those and '-', starting with a letter or digit.
	fppImageName = &Rule{Vendor: "FPP", Field: "image names", MinLen: 1, Example: "db19_gold",
		Allowed:    func(c rune) bool { return asciiAlnum(c) || strings.ContainsRune("_.-", c) },
		AllowedDoc: "letters, digits, '_', '.' and '-'",
		Pattern:    regexp.MustCompile(`^[A-Za-z0-9]`), PatternDoc: "a name starting with a letter or digit"}
)
