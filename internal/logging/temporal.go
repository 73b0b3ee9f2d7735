package logging

import (
	"go.temporal.io/sdk/log"
	"go.uber.org/zap"
)

// sdkActivityError is the line the SDK logs, at ERROR, for every failed
// attempt of an activity, a throttled one the server will retry included.
const sdkActivityError = "Activity error."

// Temporal adapts l to the Temporal SDK's logger interface. The SDK's own
// line for a failed activity attempt is kept at DEBUG: ActivityLog
// reports each failure instead, at WARN while Temporal retries it and at
// ERROR when it is final, with the step it was for. A worker that uses
// Temporal installs ActivityLog too.
func Temporal(l *zap.Logger) log.Logger {
	return temporalLogger{l.WithOptions(zap.AddCallerSkip(1)).Sugar()}
}

type temporalLogger struct{ s *zap.SugaredLogger }

var _ log.WithLogger = temporalLogger{}

func (t temporalLogger) Debug(msg string, keyvals ...any) { t.s.Debugw(msg, keyvals...) }
func (t temporalLogger) Info(msg string, keyvals ...any)  { t.s.Infow(msg, keyvals...) }
func (t temporalLogger) Warn(msg string, keyvals ...any)  { t.s.Warnw(msg, keyvals...) }
func (t temporalLogger) Error(msg string, keyvals ...any) {
	if msg == sdkActivityError {
		t.s.Debugw(msg, keyvals...)
		return
	}
	t.s.Errorw(msg, keyvals...)
}

// With returns a logger that adds keyvals to every message.
func (t temporalLogger) With(keyvals ...any) log.Logger {
	return temporalLogger{t.s.With(keyvals...)}
}
