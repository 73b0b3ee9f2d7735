package ocisim_test

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/oracle/oci-go-sdk/v65/common"

	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
)

// FuzzOCISimRequest feeds arbitrary bodies, ids and headers to the two
// mutating operations (CreateCompartment, ChangeImageCompartment) and to
// GetCompartment, the job poll, each signed by the SDK's own signer so
// decoding is reached. It holds every answer to OCI's contract: no panic,
// an opc-request-id, a 2xx only for a body the API reference's model allows
// (judged here from the document), and every error {"code","message"}.
func FuzzOCISimRequest(f *testing.F) {
	// A fixed tenancy, so the seed corpus in testdata can name it.
	c := *testCreds(f)
	c.TenancyID = fuzzTenancy
	creds := &c
	der, err := x509.MarshalPKCS8PrivateKey(creds.PrivateKey)
	if err != nil {
		f.Fatal(err)
	}
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	signer := common.DefaultRequestSigner(common.NewRawConfigurationProvider(creds.TenancyID, creds.UserID, ocisim.DefaultRegion, creds.Fingerprint, keyPEM, nil))
	tenancy := creds.TenancyID
	// Seeds live in testdata/fuzz/FuzzOCISimRequest.

	f.Fuzz(func(t *testing.T, op uint8, id, token string, body []byte) {
		sim := ocisim.New(ocisim.Options{TenancyID: tenancy, Clock: func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }})
		sim.RegisterCredentials(creds)
		image := ocisim.NewOCID("image", "iad")
		sim.AddImage(ocisim.Image{ID: image, CompartmentID: tenancy})
		before := len(sim.Compartments())

		var rec *httptest.ResponseRecorder
		switch op % 3 {
		case 0:
			rec = signedServe(t, sim, signer, http.MethodPost, "/20160918/compartments", token, body)
			if ok := rec.Code >= 200 && rec.Code < 300; ok && !(compartmentAllowed(body) && len(token) <= 64) {
				t.Fatalf("create with %q (token %q) answered %d %s", body, token, rec.Code, rec.Body)
			} else if !ok && len(sim.Compartments()) != before {
				t.Fatalf("refused create (%d) made a compartment", rec.Code)
			} else if !ok && compartmentAllowed(body) && len(token) <= 64 && underTenancy(body, tenancy) {
				// Strict decoding must never refuse what the model allows.
				t.Fatalf("create with %q refused: %d %s", body, rec.Code, rec.Body)
			}
		case 1:
			if id == "" {
				id = image
			}
			rec = signedServe(t, sim, signer, http.MethodPost, "/20160918/images/"+url.PathEscape(id)+"/actions/changeCompartment", token, body)
			if ok := rec.Code >= 200 && rec.Code < 300; ok && !(moveAllowed(body) && len(token) <= 64) {
				t.Fatalf("move with %q answered %d %s", body, rec.Code, rec.Body)
			}
		default:
			if id == "" {
				id = tenancy
			}
			rec = signedServe(t, sim, signer, http.MethodGet, "/20160918/compartments/"+url.PathEscape(id), "", nil)
		}
		if rec.Header().Get("opc-request-id") == "" {
			t.Fatalf("answer %d has no opc-request-id", rec.Code)
		}
		if rec.Code >= 300 {
			var e struct{ Code, Message string }
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Code == "" || e.Message == "" {
				t.Fatalf("error answer %d is not OCI's {code,message}: %q", rec.Code, rec.Body)
			}
		}
	})
}

// fuzzTenancy is the tenancy the seed corpus names.
const fuzzTenancy = "ocid1.tenancy.oc1..aaaaaaaafuzztenancy000000000000000000000000000000000000"

func signedServe(t *testing.T, sim *ocisim.Server, signer common.HTTPRequestSigner, method, path, token string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "http://iaas.example.com"+path, bytes.NewReader(body))
	req.RequestURI = req.URL.RequestURI() // as a server sees it, and the signer signed it
	req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("opc-retry-token", token)
	}
	if err := signer.Sign(req); err != nil {
		t.Fatalf("sign: %v", err)
	}
	rec := httptest.NewRecorder()
	sim.ServeHTTP(rec, req)
	return rec
}

var compartmentName = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)

// compartmentAllowed restates CreateCompartmentDetails (seed 003): one JSON
// object of the documented fields only, each of its type; compartmentId,
// name (1..100 of letters, digits, '.', '-', '_') and description (1..400)
// required.
func compartmentAllowed(body []byte) bool {
	fields, ok := object(body)
	if !ok {
		return false
	}
	types := map[string]string{
		"compartmentId": "string", "name": "string", "description": "string",
		"freeformTags": "tags", "definedTags": "defined", "isMaximumSecurityZone": "bool", "securityZoneId": "string",
	}
	for k, raw := range fields {
		if !hasType(raw, types[k]) {
			return false
		}
	}
	var in struct{ CompartmentID, Name, Description *string }
	in.CompartmentID, in.Name, in.Description = str(fields["compartmentId"]), str(fields["name"]), str(fields["description"])
	return in.CompartmentID != nil && *in.CompartmentID != "" &&
		in.Name != nil && compartmentName.MatchString(*in.Name) &&
		in.Description != nil && utf8.RuneCountInString(*in.Description) >= 1 && utf8.RuneCountInString(*in.Description) <= 400
}

// underTenancy reports whether the body names tenancy as the parent.
func underTenancy(body []byte, tenancy string) bool {
	fields, _ := object(body)
	id := str(fields["compartmentId"])
	return id != nil && *id == tenancy
}

// moveAllowed restates ChangeImageCompartmentDetails (seed 000): one JSON
// object holding compartmentId only, a string of 1..255 characters.
func moveAllowed(body []byte) bool {
	fields, ok := object(body)
	if !ok || len(fields) != 1 {
		return false
	}
	id := str(fields["compartmentId"])
	return id != nil && utf8.RuneCountInString(*id) >= 1 && utf8.RuneCountInString(*id) <= 255
}

func object(body []byte) (map[string]json.RawMessage, bool) {
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if dec.Decode(&fields) != nil || fields == nil || dec.More() {
		return nil, false
	}
	return fields, true
}

func str(raw json.RawMessage) *string {
	var s *string
	if raw == nil || json.Unmarshal(raw, &s) != nil {
		return nil
	}
	return s
}

// hasType reports whether raw is null or a value of the named schema type.
func hasType(raw json.RawMessage, typ string) bool {
	if string(raw) == "null" {
		return typ != ""
	}
	var err error
	switch typ {
	case "string":
		var v string
		err = json.Unmarshal(raw, &v)
	case "bool":
		var v bool
		err = json.Unmarshal(raw, &v)
	case "tags":
		var v map[string]string
		err = json.Unmarshal(raw, &v)
	case "defined":
		var v map[string]map[string]any
		err = json.Unmarshal(raw, &v)
	default:
		return false
	}
	return err == nil
}
