package fpp

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

func TestNewError_ReadsErrorResourceOrFallsBackToText(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantCode  string
		wantMsg   string
		wantError string
	}{
		{
			name:      "errorResource with path",
			body:      `{"errorCode":"PRGO-1234","title":"bad image name","status":400,"errorPath":"$.imageName"}`,
			wantCode:  "PRGO-1234",
			wantMsg:   "bad image name (at $.imageName)",
			wantError: "ImportImage: 400 PRGO-1234: bad image name (at $.imageName)",
		},
		{
			name:      "details carry the specifics",
			body:      `{"title":"Bad Request","errorDetails":[{"errorCode":"PRCT-1011","title":"path does not exist"}]}`,
			wantCode:  "PRCT-1011",
			wantMsg:   "Bad Request; path does not exist",
			wantError: "ImportImage: 400 PRCT-1011: Bad Request; path does not exist",
		},
		{
			name:      "html from a proxy",
			body:      "<html>\n<body>bad gateway</body></html>",
			wantMsg:   "<html>",
			wantError: "ImportImage: 400: <html>",
		},
		{
			name:      "empty body",
			wantError: "ImportImage: 400: Bad Request",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: 400, Header: http.Header{}}
			e := newError(OpImportImage, resp, []byte(tt.body), time.Now())
			if e.Code != tt.wantCode || e.Message != tt.wantMsg || e.Error() != tt.wantError {
				t.Fatalf("got code %q message %q error %q", e.Code, e.Message, e.Error())
			}
		})
	}
}

// FPP's quirk is its own: a 409 to an import says the name is taken, an
// answer the caller waits on, while other refusals stay refusals.
func TestNameTaken_IsTheConflictAnswerOnly(t *testing.T) {
	resp := func(status int) *http.Response { return &http.Response{StatusCode: status, Header: http.Header{}} }
	taken := newError(OpImportImage, resp(http.StatusConflict), []byte(`{"errorCode":"ImageExists","title":"exists","status":409}`), time.Now())
	if !NameTaken(fmt.Errorf("import: %w", taken)) || taken.Retryable() {
		t.Fatalf("409: NameTaken %v, retryable %v; want true, false", NameTaken(taken), taken.Retryable())
	}
	for _, status := range []int{http.StatusBadRequest, http.StatusNotFound, http.StatusServiceUnavailable} {
		if e := newError(OpImportImage, resp(status), nil, time.Now()); NameTaken(e) {
			t.Errorf("NameTaken(%d) = true", status)
		}
	}
	if e := newError(OpGetJob, resp(http.StatusTooManyRequests), nil, time.Now()); !e.Throttled() || e.Vendor != "fpp" {
		t.Errorf("429: throttled %v vendor %q", e.Throttled(), e.Vendor)
	}
}

func TestJobIDFromLocation(t *testing.T) {
	tests := map[string]string{
		"https://rhpNodeName:8894/rhp-restapi/rhp/jobs/1":   "1",
		"https://rhpNodeName:8894/rhp-restapi/rhp/jobs/17/": "17",
		"/rhp-restapi/rhp/jobs/9":                           "9",
		"https://rhpNodeName:8894/rhp-restapi/rhp/jobs":     "",
		"https://rhpNodeName:8894/rhp-restapi/rhp/images/x": "",
		"": "",
	}
	for loc, want := range tests {
		if got := jobIDFromLocation(loc); got != want {
			t.Errorf("jobIDFromLocation(%q) = %q, want %q", loc, got, want)
		}
	}
}

func TestOperationImage_ReadsTheImageFromTheJobsOperation(t *testing.T) {
	tests := map[string]string{
		"importIntoImage{image=DB_Image1, schedule=2018-06-14T15:42:38Z, path=/oracle/dbwc1}": "DB_Image1",
		"importIntoImage{image=LAST}":     "LAST",
		"addWorkingCopy{workingcopy=wc1}": "",
		"":                                "",
	}
	for op, want := range tests {
		if got := operationImage(op); got != want {
			t.Errorf("operationImage(%q) = %q, want %q", op, got, want)
		}
	}
}
