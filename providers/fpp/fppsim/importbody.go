package fppsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// BuiltInImageTypes are the software types the ImportImageBody reference
// lists for imageType (ORACLEDBSOFTWARE, the default, EXAPATCHSOFTWARE,
// ORACLEGISOFTWARE, ORACLEGGSOFTWARE, LINUXOS and SOFTWARE). Any other name
// must be a custom type the server was told about (Options.ImageTypes).
var BuiltInImageTypes = []string{
	"ORACLEDBSOFTWARE", "EXAPATCHSOFTWARE", "ORACLEGISOFTWARE",
	"ORACLEGGSOFTWARE", "LINUXOS", "SOFTWARE",
}

// importImageBody is the documented ImportImageBody with each field's
// documented JSON type, so a value of another type is refused as the
// server would refuse it. The authentication plugin fields are decoded for
// their type only.
//
// Unverified: how FPP treats a field the reference does not list. The
// published schema is not complete in every release, so the emulator
// ignores unknown fields rather than refuse a field a real server accepts.
type importImageBody struct {
	ImageName string         `json:"imageName"`
	Path      string         `json:"path"`
	ImageType string         `json:"imageType"`
	Client    string         `json:"client"`
	PathOwner string         `json:"pathOwner"`
	State     string         `json:"state"`
	Location  string         `json:"location"`
	Port      string         `json:"port"`
	Schedule  string         `json:"schedule"`
	Notify    *bool          `json:"notify"`
	Root      *bool          `json:"root"`
	CC        string         `json:"cc"`
	Host      string         `json:"host"`
	Patches   string         `json:"patches"`
	PSU       string         `json:"psu"`
	Auth      string         `json:"auth"`
	AuthArgs  map[string]any `json:"authArgs"`
}

// decodeImportImageBody reads one JSON object, field names matched exactly,
// returning the JSON path of the first value that does not fit the schema
// and what is wrong with it.
func decodeImportImageBody(r io.Reader) (body importImageBody, path, problem string) {
	raw, err := io.ReadAll(r)
	if err == nil {
		err = simkit.DecodeObject(raw, &body, false)
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
		return body, "", ""
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return body, "$." + typeErr.Field, fmt.Sprintf("%s must be a JSON %s, not %s.", typeErr.Field, jsonKind(typeErr.Type.Kind().String()), typeErr.Value)
	}
	return body, "$", "The request body is not a valid ImportImageBody JSON object: " + err.Error()
}

// jsonKind names a Go kind the way the schema does.
func jsonKind(kind string) string {
	switch kind {
	case "bool":
		return "boolean"
	case "map", "struct":
		return "object"
	}
	return kind
}

// imageNamePattern is what the emulator accepts as an image name.
//
// Unverified: FPP documents no length or character rules for image names.
// Names become ACFS file system and directory names and a URL path
// segment, and every documented example uses letters, digits, '_' and
// '.', so the emulator accepts those plus '-', starting with a letter or
// digit.
var imageNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// scheduleLayouts are the ISO-8601 forms the emulator reads for schedule:
// the reference's example is "2016-12-21T19:13:17+05".
// Unverified: which other ISO-8601 forms a real server reads.
var scheduleLayouts = []string{"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05Z07"}

// validate checks the body as the documents describe it, returning the
// JSON path of the first bad field and what is wrong with it. imageTypes
// are the types this server knows.
//
// Unverified: the title and whether a real server refuses an unknown image
// type at once with 400 or accepts the job and fails it; the emulator
// refuses it at once, as it does every other bad field.
func (b importImageBody) validate(imageTypes map[string]bool) (path, problem string) {
	switch {
	case b.ImageName == "":
		return "$.imageName", "imageName is required."
	case !imageNamePattern.MatchString(b.ImageName):
		return "$.imageName", fmt.Sprintf("Image name %q is invalid: use letters, digits, '_', '.' and '-'.", b.ImageName)
	case b.Path == "" && b.Location == "":
		return "$.path", "path is required to import an image from a software home."
	case b.Path != "" && b.Path[0] != '/':
		return "$.path", fmt.Sprintf("path %q is not an absolute path.", b.Path)
	case b.ImageType != "" && !imageTypes[b.ImageType]:
		known := make([]string, 0, len(imageTypes))
		for t := range imageTypes {
			known = append(known, t)
		}
		slices.Sort(known)
		return "$.imageType", fmt.Sprintf("The image type %q does not exist: specify one of %s.", b.ImageType, strings.Join(known, ", "))
	}
	switch b.State {
	case "", "TESTABLE", "RESTRICTED", "PUBLISHED":
	default:
		return "$.state", fmt.Sprintf("The specified state %q is invalid: specify one of TESTABLE, RESTRICTED or PUBLISHED.", b.State)
	}
	if b.Port != "" {
		if n, err := strconv.Atoi(b.Port); err != nil || n < 1024 || n > 65536 {
			return "$.port", fmt.Sprintf("port %q is not a number from 1024 to 65536.", b.Port)
		}
	}
	if b.Schedule != "" && !parsesAsSchedule(b.Schedule) {
		return "$.schedule", fmt.Sprintf("schedule %q is not an ISO-8601 time such as 2016-12-21T19:13:17+05.", b.Schedule)
	}
	return "", ""
}

func parsesAsSchedule(v string) bool {
	for _, layout := range scheduleLayouts {
		if _, err := time.Parse(layout, v); err == nil {
			return true
		}
	}
	return false
}
