package pipeline

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// checkText finds what makes data something other than a pipeline file
// before the YAML parser sees it: too large, not UTF-8 (binary, UTF-16),
// or holding control characters. The YAML parser would report these
// without a line, or (for UTF-16) read them into positions nobody can
// find; here each is located by line, column and byte offset.
func checkText(file string, data []byte) (Problem, bool) {
	if len(data) > MaxSpecBytes {
		line, col := lineCol(data, MaxSpecBytes)
		return Problem{File: file, Line: line, Column: col, Message: fmt.Sprintf(
			"the file is larger than %d bytes: Temporal holds a pipeline in its history, where a payload over %d KiB is a warning and over %d MiB an error; split the pipeline",
			MaxSpecBytes, temporalBlobWarn>>10, temporalBlobError>>20)}, true
	}
	if bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) {
		return Problem{File: file, Line: 1, Column: 1, Message: "the file is UTF-16 text: save it as UTF-8"}, true
	}
	for off := 0; off < len(data); {
		r, size := utf8.DecodeRune(data[off:])
		switch {
		case r == utf8.RuneError && size <= 1:
			line, col := lineCol(data, off)
			return Problem{File: file, Line: line, Column: col, Message: fmt.Sprintf(
				"byte 0x%02x at offset %d is not UTF-8: a pipeline file is UTF-8 text", data[off], off)}, true
		case r == '\uFEFF' && off == 0:
		case !textRune(r) || r == '\uFEFF':
			line, col := lineCol(data, off)
			return Problem{File: file, Line: line, Column: col, Message: fmt.Sprintf(
				"control character %U at offset %d: a pipeline file is text", r, off)}, true
		}
		off += size
	}
	return Problem{}, false
}

// textRune reports whether r may appear in a pipeline file or value: YAML's
// printable set (tab, line breaks, and no other C0, DEL, C1 but NEL, or
// U+FFFE/U+FFFF).
func textRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || r == '\u0085':
		return true
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return false
	case r == '\uFFFE' || r == '\uFFFF':
		return false
	}
	return true
}

// lineCol is the 1-based line and column (in characters) of byte off.
func lineCol(data []byte, off int) (line, col int) {
	before := data[:off]
	line = bytes.Count(before, []byte{'\n'}) + 1
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, utf8.RuneCount(before) + 1
}

// badRune returns the first character of a decoded value that cannot
// reach a vendor or Temporal: invalid UTF-8 (a YAML escape such as
// "\uD800" can make it) or a control character ("\0", "\e").
func badRune(s string) (string, bool) {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				return fmt.Sprintf("byte 0x%02x that is not UTF-8", s[i]), true
			}
		}
		if !textRune(r) {
			return fmt.Sprintf("control character %U", r), true
		}
	}
	return "", false
}
