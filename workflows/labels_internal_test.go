package workflows

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A job wait's summary stays within Temporal's summary size however long
// the pipeline's name and the fan-out item's label, and is cut on a
// character, not inside one.
func TestClipBytes_KeepsSummariesUnderTheLimitOnACharacter(t *testing.T) {
	long := strings.Repeat("é", 300) // two bytes each
	got := clipBytes("p › copy["+long+"]: wait for huawei.job j1", maxSummaryBytes)
	if len(got) > maxSummaryBytes || !utf8.ValidString(got) || !strings.HasSuffix(got, "…") {
		t.Errorf("clipped to %d bytes, valid UTF-8 %v: %q", len(got), utf8.ValidString(got), got)
	}
	if short := "p › copy: wait for huawei.job j1"; clipBytes(short, maxSummaryBytes) != short {
		t.Errorf("a short summary was changed")
	}
}
