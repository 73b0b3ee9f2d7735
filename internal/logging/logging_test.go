package logging_test

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/imagepipe/imagepipe/internal/logging"
)

func TestNewTo_ConsoleToAFileHasNoColourCodes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "worker.log")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	l, err := logging.NewTo(f, "info", "console")
	if err != nil {
		t.Fatal(err)
	}
	l.Warn("vendor slow")
	l.Error("vendor down")
	_ = l.Sync()
	f.Close()
	b, _ := os.ReadFile(path)
	if bytes.Contains(b, []byte("\x1b[")) {
		t.Errorf("a log file holds colour codes:\n%q", b)
	}
	if !bytes.Contains(b, []byte("WARN")) || !bytes.Contains(b, []byte("ERROR")) {
		t.Errorf("levels missing:\n%s", b)
	}
}

func TestNewTo_ConsoleOnATerminalIsColoured(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer ptmx.Close()
	l, err := logging.NewTo(tty, "info", "console")
	if err != nil {
		t.Fatal(err)
	}
	l.Warn("vendor slow")
	tty.Close()
	b, _ := io.ReadAll(ptmx)
	if !bytes.Contains(b, []byte("\x1b[33mWARN")) {
		t.Errorf("a terminal gets no colour: %q", b)
	}
}

func TestNewTo_JSONHasAnISO8601TimeAndNoStackTrace(t *testing.T) {
	var buf bytes.Buffer
	l, err := logging.NewTo(&buf, "info", "json")
	if err != nil {
		t.Fatal(err)
	}
	l.Error("vendor down")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	ts, ok := line["ts"].(string)
	if !ok {
		t.Fatalf("ts is %T (%v), want an ISO-8601 string", line["ts"], line["ts"])
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000Z0700", ts); err != nil {
		t.Errorf("ts %q is not ISO-8601: %v", ts, err)
	}
	if _, ok := line["stacktrace"]; ok {
		t.Errorf("an error line carries the logging call's stack trace: %s", buf.String())
	}
	if !strings.Contains(buf.String(), `"level":"error"`) {
		t.Errorf("level: %s", buf.String())
	}
}
