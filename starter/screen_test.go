package main

import (
	"strconv"
	"strings"
)

// screen is a model of a VT100-style terminal, enough to replay what the
// starter writes: printable characters with automatic margins (a character
// past the last column wraps to the next row, as xterm does), CR, LF,
// cursor up (CSI n A), erase below (CSI J) and erase line (CSI K). Rows
// scrolled off the top are kept, so a header drawn twice is seen even
// after it has left the screen.
type screen struct {
	cols, rows int
	grid       [][]rune
	scrolled   []string
	r, c       int
	// wrapNext is xterm's pending wrap: the last column was written and
	// the next character goes to the next row.
	wrapNext bool
}

func newScreen(cols, rows int) *screen {
	s := &screen{cols: cols, rows: rows}
	for range rows {
		s.grid = append(s.grid, s.blank())
	}
	return s
}

func (s *screen) blank() []rune { return []rune(strings.Repeat(" ", s.cols)) }

func (s *screen) lineFeed() {
	s.r++
	if s.r == s.rows {
		s.scrolled = append(s.scrolled, strings.TrimRight(string(s.grid[0]), " "))
		s.grid = append(s.grid[1:], s.blank())
		s.r = s.rows - 1
	}
}

// write reads b as the terminal does, with the starter's own reading of
// escape sequences and character widths.
func (s *screen) write(b string) { scan(b, s.escape, s.char) }

func (s *screen) char(r rune) {
	switch r {
	case '\r':
		s.c, s.wrapNext = 0, false
	case '\n':
		s.lineFeed()
		s.wrapNext = false
	default:
		w := runeCells(r)
		if w == 0 {
			return
		}
		if s.wrapNext || s.c+w > s.cols {
			s.c, s.wrapNext = 0, false
			s.lineFeed()
		}
		s.grid[s.r][s.c] = r
		if w == 2 && s.c+1 < s.cols {
			s.grid[s.r][s.c+1] = 0
		}
		s.c += w
		if s.c >= s.cols {
			s.c, s.wrapNext = s.cols-1, true
		}
	}
}

func (s *screen) escape(seq string) {
	if len(seq) < 3 || seq[1] != '[' {
		return
	}
	final := seq[len(seq)-1]
	n, err := strconv.Atoi(seq[2 : len(seq)-1])
	if err != nil {
		n = 0
	}
	switch final {
	case 'A':
		s.r = max(0, s.r-max(n, 1))
		s.wrapNext = false
	case 'J':
		for c := s.c; c < s.cols; c++ {
			s.grid[s.r][c] = ' '
		}
		for r := s.r + 1; r < s.rows; r++ {
			s.grid[r] = s.blank()
		}
	case 'K':
		for c := s.c; c < s.cols; c++ {
			s.grid[s.r][c] = ' '
		}
	}
}

// text is everything the terminal shows and has scrolled away, a row a line.
func (s *screen) text() []string {
	out := append([]string(nil), s.scrolled...)
	for _, row := range s.grid {
		out = append(out, strings.TrimRight(strings.ReplaceAll(string(row), "\x00", ""), " "))
	}
	return out
}
