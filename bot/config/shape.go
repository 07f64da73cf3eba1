package config

import (
	"bytes"
	"fmt"
	"strings"
)

// Limits on a configuration file, checked before it is parsed: the YAML
// parser needs memory that grows with the square of the nesting depth, so
// a small file nested 100,000 levels deep would exhaust memory. A
// forumbot configuration is nested about ten levels deep and, with a
// large plan's full texts, a few megabytes long.
const (
	MaxFileSize = 8 << 20
	MaxDepth    = 64
)

// checkShape refuses data that is too large or too deeply nested to be a
// forumbot configuration, naming the line where the nesting goes too deep.
func checkShape(data []byte, name string) Errors {
	if len(data) > MaxFileSize {
		return Errors{fmt.Sprintf("%s: %d bytes, more than a configuration may have (%d MiB); is this the right file?", name, len(data), MaxFileSize>>20)}
	}
	if line := nesting(data); line > 0 {
		return Errors{fmt.Sprintf("%s:%d: nested more than %d levels deep, which no configuration needs (forumbot's are about ten levels deep); is this the right file?", name, line, MaxDepth)}
	}
	return nil
}

// nesting scans YAML without parsing it and returns the first line where
// the nesting of block collections (by indentation and "- " entries) and
// flow collections ([ and {) exceeds MaxDepth, or 0. It
// skips comments, quoted strings and block scalars (| and >), whose
// contents nest nothing. It errs on the side of counting a level, never
// of missing one: a file it accepts nests no deeper than MaxDepth.
func nesting(data []byte) int {
	s := scanner{}
	for i, text := range bytes.Split(data, []byte("\n")) {
		if s.line(string(text)) > MaxDepth {
			return i + 1
		}
	}
	return 0
}

// scanner holds what one line of YAML leaves open for the next.
type scanner struct {
	indents []int // columns of the open block collections
	flow    int   // open [ and {
	quote   byte  // the quote of a string continuing on the next line
	// inScalar says a block scalar is open: its lines are those indented
	// more than scalarIndent, the indentation of the line that opened it.
	inScalar     bool
	scalarIndent int
	depth        int // the depth reached on the last line
}

// line reads one line and returns the depth reached on it, stopping as
// soon as it exceeds MaxDepth.
func (s *scanner) line(text string) int {
	text = strings.TrimSuffix(text, "\r")
	indent := len(text) - len(strings.TrimLeft(text, " "))
	rest := text[indent:]
	if s.inScalar {
		if strings.TrimSpace(rest) == "" || indent > s.scalarIndent {
			return s.depth
		}
		s.inScalar = false
	}
	if s.quote == 0 && s.flow == 0 {
		if rest == "" || rest[0] == '#' {
			return s.depth
		}
		for len(s.indents) > 0 && s.indents[len(s.indents)-1] >= indent {
			s.indents = s.indents[:len(s.indents)-1]
		}
		s.indents = append(s.indents, indent)
		// "- - - x" opens a level for each entry.
		col := indent
		for len(rest) >= 2 && (rest[0] == '-' || rest[0] == '?') && (rest[1] == ' ' || rest[1] == '\t') {
			trimmed := strings.TrimLeft(rest[1:], " \t")
			col += len(rest) - len(trimmed)
			rest = trimmed
			if s.indents = append(s.indents, col); len(s.indents) > MaxDepth {
				return len(s.indents)
			}
		}
	}
	s.depth = len(s.indents) + s.flow
	// valueStart says a value may start here: where a quote opens a string
	// and [ or { a collection, rather than being part of plain text.
	valueStart := s.quote == 0
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if s.quote != 0 {
			s.inQuote(rest, &i)
			continue
		}
		switch {
		case c == ' ' || c == '\t':
			continue
		case c == '#' && (i == 0 || rest[i-1] == ' ' || rest[i-1] == '\t'):
			return s.depth
		case (c == '"' || c == '\'') && valueStart:
			s.quote = c
		case (c == '[' || c == '{') && (valueStart || s.flow > 0):
			s.flow++
			if s.depth = max(s.depth, len(s.indents)+s.flow); s.depth > MaxDepth {
				return s.depth
			}
			valueStart = true
			continue
		case (c == ']' || c == '}') && s.flow > 0:
			s.flow--
		case (c == '|' || c == '>') && valueStart && s.flow == 0:
			s.inScalar, s.scalarIndent = true, indent
			return s.depth
		case c == ':':
			valueStart = i+1 == len(rest) || rest[i+1] == ' ' || rest[i+1] == '\t' || s.flow > 0
			continue
		case c == ',' && s.flow > 0:
			valueStart = true
			continue
		}
		valueStart = false
	}
	return s.depth
}

// inQuote reads rest[*i] inside a quoted string, closing it at its quote
// and skipping escapes.
func (s *scanner) inQuote(rest string, i *int) {
	c := rest[*i]
	switch {
	case s.quote == '"' && c == '\\':
		*i++
	case c == '\'' && s.quote == '\'' && *i+1 < len(rest) && rest[*i+1] == '\'':
		*i++
	case c == s.quote:
		s.quote = 0
	}
}
