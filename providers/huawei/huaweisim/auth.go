package huaweisim

import (
	"errors"
	"net/http"
	"time"

	"github.com/imagepipe/imagepipe/providers/huawei/internal/aksk"
)

// authenticate checks the AK/SK signature and the project, answering 401 or
// 403 in the gateway's shape when they fail. The messages are the ones the
// signing guide's FAQ ("Common Errors Related to IAM Authentication
// Information") quotes for each cause.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, body []byte, reqID string) bool {
	secretFor := func(ak string) (string, bool) {
		sk, ok := s.creds[ak]
		return sk, ok
	}
	cred, err := aksk.Verify(r, body, secretFor, time.Now(), MaxClockSkew)
	if err != nil {
		msg := "Incorrect IAM authentication information: verify aksk signature fail"
		switch {
		case errors.Is(err, aksk.ErrNoAuthorization):
			msg = "Incorrect IAM authentication information: x-auth-token not found"
		case errors.Is(err, aksk.ErrUnknownKey):
			msg = "Incorrect IAM authentication information: Get secretKey failed,ak:" + cred.AccessKey + ",err:ak not exist"
		}
		writeGatewayError(w, reqID, http.StatusUnauthorized, codeGatewayAuth, msg)
		return false
	}
	// Unverified: the gateway's exact answer to an AK/SK request without
	// X-Project-Id, or naming a project the key has no access to.
	if got := r.Header.Get("X-Project-Id"); got != s.projectID {
		writeGatewayError(w, reqID, http.StatusUnauthorized, codeGatewayAuth,
			"Incorrect IAM authentication information: project "+quote(got)+" not found for ak "+cred.AccessKey)
		return false
	}
	return true
}

func quote(s string) string { return "'" + s + "'" }
