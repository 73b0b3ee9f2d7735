package main

import (
	"fmt"
	"strings"

	"github.com/imagepipe/imagepipe/internal/payloadcodec"
	"github.com/imagepipe/imagepipe/internal/temporalconf"
)

// encrypted reports whether err is about a payload this starter could
// not read because it is encrypted.
func encrypted(err error) bool {
	return strings.Contains(err.Error(), payloadcodec.Encoding)
}

// keysHint is err from a starter without codec keys meeting encrypted
// payloads: first what to do, which variables to set, then why, in one
// line (the first of err's message), so the remedy is not lost below a
// decoder's words.
func keysHint(err error) error {
	return missingKeys{cause: err}
}

type missingKeys struct{ cause error }

func (e missingKeys) Error() string {
	cause, _, _ := strings.Cut(e.cause.Error(), "\n")
	return fmt.Sprintf("its payloads are encrypted and this starter has no keys: set %s or %s to the worker's keys\n  cause: %s",
		temporalconf.KeysVariable, temporalconf.KeysFileVariable, cause)
}

func (e missingKeys) Unwrap() error { return e.cause }

// unreadableProgress is why a closed pipeline's progress could not be
// read: no one could give it (progressErr) and its input cannot be
// decoded (inputErr). An encrypted input is the whole story: the replay
// failed on it too, so its longer error is left out.
func unreadableProgress(id string, progressErr, inputErr error) error {
	if encrypted(inputErr) {
		return fmt.Errorf("progress of %s: %w", id, inputErr)
	}
	return fmt.Errorf("progress of %s: %w; and its input: %w", id, progressErr, inputErr)
}
