package main

import (
	"errors"
	"fmt"

	"go.temporal.io/api/serviceerror"
)

// notFoundError is a workflow ID the namespace has no workflow under: the
// starter exits 4, so a script can tell a typo from a failed pipeline.
type notFoundError struct {
	id, runID, namespace string
}

func (n notFoundError) Error() string {
	msg := "no pipeline " + n.id
	if n.runID != "" {
		msg += fmt.Sprintf(" (run %s)", n.runID)
	}
	if n.namespace != "" {
		msg += " in namespace " + n.namespace
	}
	return msg + " (starter list shows the pipelines there)"
}

// asNotFound turns the server's NotFound for id into notFoundError; other
// errors pass unchanged. withConfig gives it the namespace.
func asNotFound(err error, id, runID string) error {
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return notFoundError{id: id, runID: runID}
	}
	return err
}

// notCancelled is a cancel that changed nothing: the pipeline was already
// cancelling or had ended.
type notCancelled struct{ id, why string }

func (n notCancelled) Error() string { return fmt.Sprintf("cancel %s: nothing done: %s", n.id, n.why) }
