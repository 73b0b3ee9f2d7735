package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// pos is a place in the file.
type pos struct{ line, col int }

// positions maps a path in the spec ("steps.2.with.image_id") to where it
// was written, so validation can point at the line.
type positions map[string]pos

// at is where path was written, or else where the nearest enclosing path
// was ("steps.2.with" for a missing input is the step), or else the start
// of the file: every problem gets a line.
func (p positions) at(path string) pos {
	for {
		if at, ok := p[path]; ok {
			return at
		}
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			return pos{1, 1}
		}
		path = path[:i]
	}
}

// ParseFile reads and parses the pipeline file at path. It reads no more
// of the file than Parse accepts.
func (c *Catalog) ParseFile(path string) (*Spec, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// One byte past the cap is enough to know the file is too large.
	data, err := io.ReadAll(io.LimitReader(f, MaxSpecBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return c.Parse(path, data)
}

// Parse parses and validates a pipeline file. file names it in messages. On
// any problem it returns Problems listing all of them, each with its line.
func (c *Catalog) Parse(file string, data []byte) (*Spec, error) {
	if p, bad := checkText(file, data); bad {
		return nil, Problems{p}
	}
	root, problems := decodeDocument(file, data)
	if root == nil {
		return nil, problems
	}
	d := &decoder{file: file, pos: positions{}, seen: map[*yaml.Node]bool{}}
	spec := d.spec(root)
	spec.File = file
	d.keys(root)
	problems = append(problems, d.problems...)
	problems = append(problems, validate(c, spec, d.pos)...)
	if len(problems) > 0 {
		sortProblems(problems)
		return nil, problems
	}
	return spec, nil
}

// decodeDocument reads the file's one YAML document. A second document is
// a problem of its own (the first is still checked): read as one
// pipeline, it would be silently ignored. A root of nil means the file is
// not YAML at all.
func decodeDocument(file string, data []byte) (root *yaml.Node, problems Problems) {
	defer func() {
		// The YAML parser is not ours; a panic on odd input must still
		// come back as a located problem, never crash the starter.
		if r := recover(); r != nil {
			root, problems = nil, Problems{{File: file, Line: 1, Column: 1, Message: fmt.Sprintf("the YAML parser failed on this file: %v", r)}}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	root = &yaml.Node{}
	if err := dec.Decode(root); err != nil && !errors.Is(err, io.EOF) {
		return nil, Problems{yamlProblem(file, data, err)}
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		problems = append(problems, yamlProblem(file, data, err))
	case !emptyDocument(&next):
		problems = append(problems, Problem{File: file, Line: next.Line, Column: next.Column,
			Message: "a second YAML document starts here, and a pipeline file holds one pipeline: remove this --- and what follows, or move it to a file of its own"})
	}
	return root, problems
}

// emptyDocument is what a trailing "---" gives: nothing to ignore.
func emptyDocument(n *yaml.Node) bool {
	if len(n.Content) == 0 {
		return true
	}
	c := n.Content[0]
	return len(n.Content) == 1 && c.Kind == yaml.ScalarNode && c.Tag == "!!null" && c.Value == ""
}

var (
	yamlLine = regexp.MustCompile(`line (\d+)`)
	// yamlLocators find, in the file, what a YAML error without a line
	// names.
	yamlLocators = []struct {
		message *regexp.Regexp
		find    func(m []string) *regexp.Regexp
	}{
		{regexp.MustCompile(`unknown anchor '(.*)' referenced`), func(m []string) *regexp.Regexp {
			return regexp.MustCompile(`\*` + regexp.QuoteMeta(m[1]) + `\b`)
		}},
		{regexp.MustCompile(`anchor '(.*)' value contains itself`), func(m []string) *regexp.Regexp {
			return regexp.MustCompile(`&` + regexp.QuoteMeta(m[1]) + `\b`)
		}},
		{regexp.MustCompile(`invalid Unicode character escape code`), func([]string) *regexp.Regexp {
			return regexp.MustCompile(`\\(u[dD][89a-fA-F][0-9a-fA-F]{2}|U[0-9a-fA-F]{8})`)
		}},
	}
)

// yamlProblem turns a YAML syntax error into a located Problem: at the line
// the parser names, else where the file holds what it complains about,
// else the file's first line.
func yamlProblem(file string, data []byte, err error) Problem {
	p := Problem{File: file, Line: 1, Message: err.Error()}
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		p.Message = te.Errors[0]
	}
	if m := yamlLine.FindStringSubmatch(p.Message); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
			p.Line = n
		}
		return p
	}
	for _, l := range yamlLocators {
		if m := l.message.FindStringSubmatch(p.Message); m != nil {
			if loc := l.find(m).FindIndex(data); loc != nil {
				p.Line, p.Column = lineCol(data, loc[0])
			}
			break
		}
	}
	return p
}
