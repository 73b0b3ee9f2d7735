package main

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// A line wider than the terminal wraps, and the table's cursor-up redraw
// then misses: it climbs as many rows as it wrote lines, not as many as
// the terminal used. Lines are therefore cut to the terminal's width,
// counted in cells (a wide character takes two, a combining mark none),
// with escape sequences passed through whole and never counted.

// runeCells is how many terminal cells r takes.
func runeCells(r rune) int {
	switch {
	case r < 0x20 || r == 0x7f:
		return 0
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// escapeLen is the length of the escape sequence s begins with, or 0:
// CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), or ESC and one byte.
func escapeLen(s string) int {
	if len(s) < 2 || s[0] != 0x1b {
		return 0
	}
	switch s[1] {
	case '[':
		for i := 2; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
		}
		return len(s)
	case ']':
		for i := 2; i < len(s); i++ {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
		}
		return len(s)
	}
	return 2
}

// scan reads s as a terminal does, in order: each escape sequence whole
// to escape (nil: skipped), each character between them to char.
func scan(s string, escape func(seq string), char func(r rune)) {
	for i := 0; i < len(s); {
		if e := escapeLen(s[i:]); e > 0 {
			if escape != nil {
				escape(s[i : i+e])
			}
			i += e
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		char(r)
	}
}

// cells is how many terminal cells s takes, escape sequences aside.
func cells(s string) int {
	n := 0
	scan(s, nil, func(r rune) { n += runeCells(r) })
	return n
}

// cut fits s into max cells, ending a cut line with "…". Escape sequences
// are kept, those after the cut too, so a colour set before the cut is
// still reset after it. max <= 0 means no limit.
func cut(s string, max int) string {
	if max <= 0 || cells(s) <= max {
		return s
	}
	var b strings.Builder
	used, done := 0, false
	scan(s, func(seq string) { b.WriteString(seq) }, func(r rune) {
		if done {
			return
		}
		w := runeCells(r)
		if used+w > max-1 {
			b.WriteString("…")
			done = true
			return
		}
		b.WriteRune(r)
		used += w
	})
	return b.String()
}
