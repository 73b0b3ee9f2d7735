package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/workflows"
)

func TestCut_CountsCellsNotBytesAndKeepsEscapes(t *testing.T) {
	for _, tt := range []struct {
		in   string
		max  int
		want string
	}{
		{"✓ short", 80, "✓ short"},
		{"✓ compartment succeeded", 10, "✓ compart…"},
		// Two cells each: five fit in ten with the ellipsis.
		{"镜像复制任务完成", 10, "镜像复制…"},
		// Colour codes take no cells and stay whole, the reset too.
		{"\x1b[31m✗ failed: TooManyRequests\x1b[0m", 8, "\x1b[31m✗ faile…\x1b[0m"},
		{"e\u0301te\u0301", 3, "e\u0301te\u0301"},
		{"anything", 0, "anything"},
	} {
		got := cut(tt.in, tt.max)
		if got != tt.want {
			t.Errorf("cut(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
		if tt.max > 0 && cells(got) > tt.max {
			t.Errorf("cut(%q, %d) takes %d cells", tt.in, tt.max, cells(got))
		}
	}
}

// A window resized between redraws gets lines of its new width, and a
// table taller than the window is cut to it, so the cursor can climb back
// over all of it.
func TestTTYRenderer_ReadsTheSizeAtEachRedraw(t *testing.T) {
	var out bytes.Buffer
	cols, rows := 120, 40
	r := &ttyRenderer{w: &out, size: func() (int, int, error) { return cols, rows, nil }}
	p := workflows.Progress{Pipeline: "p", Status: workflows.StatusRunning}
	for i := range 30 {
		p.Steps = append(p.Steps, workflows.StepProgress{ID: "step" + strings.Repeat("x", i), Uses: "oci.move_image", State: workflows.StepRunning, Detail: strings.Repeat("d", 100)})
	}
	r.update(p)
	first := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	cols, rows = 60, 10
	// The narrowed window rewraps the 31 lines drawn first: each takes as
	// many 60-column rows as its cells need.
	climb := 0
	for _, l := range first {
		climb += max(1, (cells(l)+cols-1)/cols)
	}
	out.Reset()
	r.update(p)
	drawn := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	up := fmt.Sprintf("\x1b[%dA\x1b[J", climb)
	if len(first) != 31 || !strings.HasPrefix(drawn[0], up) {
		t.Errorf("redraw does not climb over the %d rows the %d lines drawn first take at %d columns: %q", climb, len(first), cols, drawn[0])
	}
	drawn[0] = strings.TrimPrefix(drawn[0], up)
	if len(drawn) != rows-1 {
		t.Errorf("drew %d lines on a %d-row window, want %d", len(drawn), rows, rows-1)
	}
	for _, l := range drawn {
		if cells(l) > cols {
			t.Errorf("a %d-cell line after the window shrank to %d columns: %q", cells(l), cols, l)
		}
	}
	if last := drawn[len(drawn)-1]; !strings.Contains(last, "23 more lines") {
		t.Errorf("the cut table does not say how much is hidden: %q", last)
	}
}
