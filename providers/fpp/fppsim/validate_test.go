package fppsim_test

import (
	"net/http"
	"testing"

	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
)

// TestImportImage_RefusesValuesOutsideTheDocumentedSchema covers the ImportImageBody
// rules of the FPP REST reference: the documented image types (or a custom
// type the server knows), ISO-8601 schedules, and booleans that are booleans.
func TestImportImage_RefusesValuesOutsideTheDocumentedSchema(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		errorPath  string
	}{
		{"undefined image type", `{"imageName":"A","path":"/a","imageType":"ORACLEDBSOFTWAR"}`, 400, "$.imageType"},
		{"lower-case image type", `{"imageName":"A","path":"/a","imageType":"oracledbsoftware"}`, 400, "$.imageType"},
		{"grid infrastructure type", `{"imageName":"A","path":"/a","imageType":"ORACLEGISOFTWARE"}`, 202, ""},
		{"exadata patch type", `{"imageName":"A","path":"/a","imageType":"EXAPATCHSOFTWARE"}`, 202, ""},
		{"custom type the server knows", `{"imageName":"A","path":"/a","imageType":"DBTEST"}`, 202, ""},
		{"string for the boolean notify", `{"imageName":"A","path":"/a","notify":"yes"}`, 400, "$.notify"},
		{"number for the string imageName", `{"imageName":7,"path":"/a"}`, 400, "$.imageName"},
		{"schedule that is not ISO-8601", `{"imageName":"A","path":"/a","schedule":"tomorrow"}`, 400, "$.schedule"},
		{"schedule as documented", `{"imageName":"A","path":"/a","schedule":"2016-12-21T19:13:17+05"}`, 202, ""},
		{"body that is not an object", `["A"]`, 400, "$"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, srv, _ := newServer(t, fppsim.Options{ImageTypes: []string{"DBTEST"}})
			a := send(t, srv, http.MethodPost, api+"/images", tt.body, true)
			if a.status != tt.status {
				t.Fatalf("status %d body %v, want %d", a.status, a.body, tt.status)
			}
			if tt.status != 400 {
				return
			}
			if a.body["errorCode"] != fppsim.CodeInvalidParameter || a.body["status"] != float64(400) || a.body["errorPath"] != tt.errorPath {
				t.Fatalf("body %v, want errorResource InvalidParameter at %s", a.body, tt.errorPath)
			}
			if title, _ := a.body["title"].(string); title == "" {
				t.Fatalf("body %v has no title", a.body)
			}
			if sim.JobCount() != 0 {
				t.Fatal("refused body created a job")
			}
		})
	}
}

func TestImportImage_ImageTypeIsRecordedOnTheImage(t *testing.T) {
	sim, srv, clk := newServer(t, fppsim.Options{JobDuration: 1})
	if a := send(t, srv, http.MethodPost, api+"/images", `{"imageName":"GI","path":"/u01/grid","imageType":"ORACLEGISOFTWARE"}`, true); a.status != 202 {
		t.Fatalf("import answered %d %v", a.status, a.body)
	}
	clk.Advance(1)
	if imgs := sim.Images(); len(imgs) != 1 || imgs[0].ImageType != "ORACLEGISOFTWARE" {
		t.Fatalf("images = %+v, want GI of type ORACLEGISOFTWARE", imgs)
	}
}

// TestImportImage_FieldNamesAreCaseSensitive: FPP binds JSON by exact field
// name, so "IMAGENAME" is not imageName (it is an unknown field, ignored).
func TestImportImage_FieldNamesAreCaseSensitive(t *testing.T) {
	sim, srv, _ := newServer(t, fppsim.Options{})
	a := send(t, srv, http.MethodPost, api+"/images", `{"IMAGENAME":"A","path":"/a"}`, true)
	if a.status != 400 || a.body["errorPath"] != "$.imageName" {
		t.Fatalf("status %d body %v, want 400 at $.imageName", a.status, a.body)
	}
	if sim.JobCount() != 0 {
		t.Fatal("refused body created a job")
	}
}
