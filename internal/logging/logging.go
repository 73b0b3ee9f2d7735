// Package logging builds imagepipe's zap loggers and adapts them to the
// Temporal SDK's log.Logger, so the SDK's own messages and ours share one
// format and level.
package logging

import (
	"fmt"

	"go.temporal.io/sdk/log"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// New returns a logger at level ("debug", "info", "warn", "error") in format
// "json" (for log collectors) or "console" (for people).
func New(level, format string) (*zap.Logger, error) {
	lvl, err := zapcore.ParseLevel(level)
	if err != nil {
		return nil, fmt.Errorf("log level %q: %w", level, err)
	}
	var cfg zap.Config
	switch format {
	case "json":
		cfg = zap.NewProductionConfig()
	case "console":
		cfg = zap.NewDevelopmentConfig()
		cfg.DisableStacktrace = true
		cfg.EncoderConfig.EncodeLevel = zapcore.CapitalColorLevelEncoder
	default:
		return nil, fmt.Errorf("log format %q: use json or console", format)
	}
	cfg.Level = zap.NewAtomicLevelAt(lvl)
	return cfg.Build()
}

// Temporal adapts l to the Temporal SDK's logger interface.
func Temporal(l *zap.Logger) log.Logger {
	return temporalLogger{l.WithOptions(zap.AddCallerSkip(1)).Sugar()}
}

type temporalLogger struct{ s *zap.SugaredLogger }

var _ log.WithLogger = temporalLogger{}

func (t temporalLogger) Debug(msg string, keyvals ...any) { t.s.Debugw(msg, keyvals...) }
func (t temporalLogger) Info(msg string, keyvals ...any)  { t.s.Infow(msg, keyvals...) }
func (t temporalLogger) Warn(msg string, keyvals ...any)  { t.s.Warnw(msg, keyvals...) }
func (t temporalLogger) Error(msg string, keyvals ...any) { t.s.Errorw(msg, keyvals...) }

// With returns a logger that adds keyvals to every message.
func (t temporalLogger) With(keyvals ...any) log.Logger {
	return temporalLogger{t.s.With(keyvals...)}
}
