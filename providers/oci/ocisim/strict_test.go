package ocisim_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
)

// TestCreateCompartment_DecodesTheBodyStrictly: CreateCompartmentDetails is
// read field by field with its documented types; a value of another type,
// a field the model does not have, or trailing data is a malformed request
// (400 CannotParseRequest), and nothing is created.
func TestCreateCompartment_DecodesTheBodyStrictly(t *testing.T) {
	e := newSignedEnv(t)
	base := `"compartmentId":"` + creds.TenancyID + `","description":"d"`
	tests := []struct {
		name, body string
		status     int
		code       string
	}{
		{"string for the boolean isMaximumSecurityZone", `{` + base + `,"name":"a","isMaximumSecurityZone":"true"}`, 400, ocisim.CodeCannotParseRequest},
		{"misspelt field", `{` + base + `,"name":"b","freeFormTags":{"k":"v"}}`, 400, ocisim.CodeCannotParseRequest},
		{"number as a freeform tag value", `{` + base + `,"name":"c","freeformTags":{"k":1}}`, 400, ocisim.CodeCannotParseRequest},
		{"number for the string name", `{` + base + `,"name":5}`, 400, ocisim.CodeCannotParseRequest},
		{"array instead of an object", `[` + base + `]`, 400, ocisim.CodeCannotParseRequest},
		{"trailing data", `{` + base + `,"name":"d"} {}`, 400, ocisim.CodeCannotParseRequest},
		{"name with a space", `{` + base + `,"name":"gold images"}`, 400, ocisim.CodeInvalidParameter},
		{"name with a slash", `{` + base + `,"name":"gold/images"}`, 400, ocisim.CodeInvalidParameter},
		{"every documented field, well typed", `{` + base + `,"name":"gold-images_1.0","isMaximumSecurityZone":false,` +
			`"freeformTags":{"team":"images"},"definedTags":{"Operations":{"CostCenter":"42"}}}`, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(e.sim.Compartments())
			a := e.do(t, http.MethodPost, "/20160918/compartments", tt.body, true)
			if a.status != tt.status || a.code != tt.code {
				t.Fatalf("answered %d %s %q, want %d %s", a.status, a.code, a.msg, tt.status, tt.code)
			}
			if tt.status == 200 {
				return
			}
			if a.msg == "" {
				t.Fatal("error has no message")
			}
			if n := len(e.sim.Compartments()); n != before {
				t.Fatalf("refused request created a compartment (%d, was %d)", n, before)
			}
		})
	}
}

func TestChangeImageCompartment_DecodesTheBodyStrictly(t *testing.T) {
	e := newSignedEnv(t)
	id := ocisim.NewOCID("image", "iad")
	e.sim.AddImage(ocisim.Image{ID: id, CompartmentID: creds.TenancyID})
	path := "/20160918/images/" + id + "/actions/changeCompartment"
	for _, body := range []string{
		`{"compartmentId":5}`,
		`{"compartmentId":"` + creds.TenancyID + `","compartment":"x"}`,
		`"` + creds.TenancyID + `"`,
	} {
		a := e.do(t, http.MethodPost, path, body, true)
		if a.status != 400 || a.code != ocisim.CodeCannotParseRequest || !strings.Contains(a.msg, "Incorrectly formatted request") {
			t.Errorf("body %s answered %d %s %q, want 400 CannotParseRequest", body, a.status, a.code, a.msg)
		}
	}
	if img, _ := e.sim.Image(id); img.Moves != 0 {
		t.Fatalf("refused requests moved the image %d times", img.Moves)
	}
}
