package zstacksim

import (
	"crypto/sha512"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

type account struct {
	uuid         string
	passwordHash string
}

type session struct {
	accountUUID string
	created     time.Time
	expires     time.Time
}

// PasswordHash is the form in which ZStack stores and receives a password:
// the lowercase hex SHA-512 digest of its UTF-8 bytes.
func PasswordHash(password string) string {
	sum := sha512.Sum512([]byte(password))
	return hex.EncodeToString(sum[:])
}

// ExpireSessions ends every session, as if each had timed out, so a test can
// prove a client logs in again.
func (s *Server) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.sessions)
}

// Sessions is how many sessions are currently valid.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	n := 0
	for _, ss := range s.sessions {
		if now.Before(ss.expires) {
			n++
		}
	}
	return n
}

// checkSession is the API mediator's session check; an expired session is
// logged out on the way, as ZStack does. Callers hold s.mu.
func (s *Server) checkSession(id string, now time.Time) *ErrorCode {
	if id == "" {
		return newErrorCode(CodeInvalidSession, "session uuid is null")
	}
	ss, ok := s.sessions[id]
	if !ok {
		return newErrorCode(CodeInvalidSession, "Session expired")
	}
	if !now.Before(ss.expires) {
		delete(s.sessions, id)
		return newErrorCode(CodeInvalidSession, "Session expired")
	}
	return nil
}

// logIn serves PUT /v1/accounts/login, a synchronous API that needs no
// session: {"logInByAccount": {"accountName", "password"}}.
func (s *Server) logIn(_ *http.Request, _ string, body map[string]any) reply {
	params, _ := body["logInByAccount"].(map[string]any)
	name, nameOK := params["accountName"].(string)
	pw, pwOK := params["password"].(string)
	switch {
	case !nameOK:
		return errorReply(http.StatusServiceUnavailable, mandatory("accountName", "org.zstack.header.identity.APILogInByAccountMsg"))
	case !pwOK:
		return errorReply(http.StatusServiceUnavailable, mandatory("password", "org.zstack.header.identity.APILogInByAccountMsg"))
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	acct, ok := s.accounts[name]
	if !ok || acct.passwordHash != pw {
		return errorReply(http.StatusServiceUnavailable, newErrorCode(CodeAuthenticationError, "wrong account name or password"))
	}
	now := s.Now()
	id := simkit.RandomHex(16)
	ss := session{accountUUID: acct.uuid, created: now, expires: now.Add(s.opts.SessionTTL)}
	s.sessions[id] = ss
	return jsonReply(http.StatusOK, map[string]any{"inventory": map[string]any{
		"uuid":        id,
		"accountUuid": ss.accountUUID,
		"userUuid":    ss.accountUUID,
		"userType":    "AccountVO",
		"createDate":  zstackTime(ss.created),
		"expiredDate": zstackTime(ss.expires),
	}})
}

// validateSession serves GET /v1/accounts/sessions/{uuid}/valid, which needs
// no Authorization header and answers {"valid": bool}.
func (s *Server) validateSession(_ *http.Request, id string, _ map[string]any) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	return jsonReply(http.StatusOK, map[string]any{"valid": s.checkSession(id, s.Now()) == nil})
}

// logOut serves DELETE /v1/accounts/sessions/{uuid}: APILogOutMsg, a
// synchronous API that suppresses the credential check, so it needs no
// Authorization header. ZStack's handler deletes the session and replies
// with an empty APILogOutReply whether or not it held the session.
//
// Unverified: that the reply is exactly "{}" on the wire; APILogOutReply
// carries no fields, so RestServer has nothing to write into it.
func (s *Server) logOut(_ *http.Request, id string, _ map[string]any) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, id)
	return jsonReply(http.StatusOK, map[string]any{})
}

// mandatory is ApiMessageParamValidator's text for a missing required field.
func mandatory(field, msg string) *ErrorCode {
	return newErrorCode(CodeInvalidArgument, "field[%s] of message[%s] is mandatory, can not be null", field, msg)
}
