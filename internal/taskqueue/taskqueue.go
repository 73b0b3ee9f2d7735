// Package taskqueue is the one place the worker and the starter read the
// task queue they meet on, so a worker moved to another queue still gets
// the pipelines the starter starts.
package taskqueue

import (
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/imagepipe/imagepipe/workflows"
)

// Variable names the environment variable both binaries read.
const Variable = "IMAGEPIPE_TASK_QUEUE"

// maxLength is the Temporal server's default limit.maxIDLength, which
// bounds task queue names (go.temporal.io/server v1.29.1, common/tqid).
const maxLength = 1000

// reservedPrefix starts the names of the server's own task queue
// partitions; the server refuses it for a queue name.
const reservedPrefix = "/_sys/"

// FromEnv returns the task queue IMAGEPIPE_TASK_QUEUE names, or
// workflows.TaskQueue when it is unset. A value set but unusable is an
// error naming the variable and what a good value looks like.
func FromEnv() (string, error) {
	v, ok := os.LookupEnv(Variable)
	if !ok {
		return workflows.TaskQueue, nil
	}
	if err := Check(v); err != nil {
		return "", fmt.Errorf("%s=%q: %w", Variable, v, err)
	}
	return v, nil
}

// Check says what is wrong with a task queue name, if anything.
func Check(name string) error {
	const good = "a name such as " + workflows.TaskQueue + ", or leave the variable unset for " + workflows.TaskQueue
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("empty task queue; want %s", good)
	case strings.TrimSpace(name) != name:
		// Legal for the server, but a worker and a starter would then
		// meet only if both carry the same stray blank.
		return fmt.Errorf("leading or trailing blank; want %s", good)
	case !utf8.ValidString(name):
		return fmt.Errorf("not valid UTF-8; want %s", good)
	case len(name) > maxLength:
		return fmt.Errorf("%d bytes, over Temporal's limit of %d; want %s", len(name), maxLength, good)
	case strings.HasPrefix(name, reservedPrefix):
		return fmt.Errorf("starts with %s, which Temporal reserves; want %s", reservedPrefix, good)
	}
	return nil
}
