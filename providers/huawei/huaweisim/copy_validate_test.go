package huaweisim

import (
	"net/http"
	"testing"
	"time"
)

// TestCopyImage_FieldRulesOfTheAPIReference holds the emulator to the
// CopyImageInRegion page and the "Image Attributes" and "Error Codes"
// tables of the IMS API reference.
func TestCopyImage_FieldRulesOfTheAPIReference(t *testing.T) {
	tests := []struct {
		name, body string
		code       string // "" means accepted
	}{
		{"enterprise project 0 (default)", `{"name":"c","enterprise_project_id":"0"}`, ""},
		{"enterprise project UUID", `{"name":"c","enterprise_project_id":"0a6b1e0e-4b8e-4c36-9d3f-3c2a1f0e9b7d"}`, ""},
		{"enterprise project neither 0 nor a UUID", `{"name":"c","enterprise_project_id":"default"}`, codeEnterpriseProject},
		{"enterprise project UUID without dashes", `{"name":"c","enterprise_project_id":"0a6b1e0e4b8e4c369d3f3c2a1f0e9b7d"}`, codeEnterpriseProject},
		{"enterprise project empty", `{"name":"c","enterprise_project_id":""}`, codeEnterpriseProject},
		{"enterprise project a number", `{"name":"c","enterprise_project_id":0}`, codeBadFormat},
		{"no name", `{"description":"d"}`, codeNameMissing},
		{"empty name", `{"name":""}`, codeNameMissing},
		{"name with a slash", `{"name":"a/b"}`, codeNameFormat},
		{"description with a carriage return", "{\"name\":\"c\",\"description\":\"a\\rb\"}", codeDescFormat},
		{"description with an angle bracket", `{"name":"c","description":"<b>"}`, codeDescFormat},
		{"cmk_id a number", `{"name":"c","cmk_id":5}`, codeBadFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, srv, src := newTestServer(t, Options{})
			a := send(t, srv, http.MethodPost, "/v1/cloudimages/"+src.ID+"/copy", tt.body, time.Now(), nil)
			if tt.code == "" {
				if a.status != 200 || a.body["job_id"] == "" {
					t.Fatalf("got %d %v, want the copy accepted", a.status, a.body)
				}
				return
			}
			if a.status != 400 || a.imsCode() != tt.code {
				t.Fatalf("got %d %v, want 400 %s", a.status, a.body, tt.code)
			}
			if msg, _ := a.body["error"].(map[string]any)["message"].(string); msg == "" {
				t.Fatalf("error %v has no message", a.body)
			}
			if len(sim.Images()) != 1 {
				t.Fatal("a refused copy created an image")
			}
		})
	}
}

// TestCopyImage_OnlyTheProjectsOwnImagesCanBeCopied: the reference allows
// an in-region copy of a private image only, not of a public one the
// project can see.
func TestCopyImage_OnlyTheProjectsOwnImagesCanBeCopied(t *testing.T) {
	sim, srv, _ := newTestServer(t, Options{})
	public := sim.AddImage(Image{Name: "Ubuntu 22.04 server 64bit", ImageType: "gold"})
	a := send(t, srv, http.MethodPost, "/v1/cloudimages/"+public.ID+"/copy", `{"name":"mine"}`, time.Now(), nil)
	if a.status != 400 || a.imsCode() != codeNotOwner {
		t.Fatalf("copy of a public image: %d %v, want 400 %s", a.status, a.body, codeNotOwner)
	}
	if len(sim.Images()) != 2 {
		t.Fatal("a refused copy created an image")
	}
}

// TestCopyImage_FieldNamesAreCaseSensitive: "NAME" is not the name field.
func TestCopyImage_FieldNamesAreCaseSensitive(t *testing.T) {
	sim, srv, src := newTestServer(t, Options{})
	a := send(t, srv, http.MethodPost, "/v1/cloudimages/"+src.ID+"/copy", `{"NAME":"copy"}`, time.Now(), nil)
	if a.status != 400 || a.imsCode() != codeNameMissing {
		t.Fatalf("got %d %v, want 400 %s", a.status, a.body, codeNameMissing)
	}
	if len(sim.Images()) != 1 {
		t.Fatal("a refused copy created an image")
	}
}
