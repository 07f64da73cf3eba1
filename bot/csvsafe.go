package bot

import (
	"strings"
	"unicode"
)

// formulaStarts are the characters with which a spreadsheet cell becomes a
// formula (or, for a tab, loses its first character), in ASCII and in
// full width, which spreadsheets read the same.
const formulaStarts = "=+-@\t＝＋－＠"

// CSVSafe makes text a person typed (or an imported file held) safe in a
// CSV cell that may be opened in a spreadsheet or printed on a terminal,
// and keeps it readable:
//
//   - control characters other than line breaks and tabs are shown as
//     their Unicode pictures (ESC as ␛, \x01 as ␁), so no escape sequence
//     reaches a terminal; C1 controls become �;
//   - bidirectional controls (U+202E and the like) are dropped, so the
//     text cannot show in an order other than the one stored;
//   - a cell, and each part of it after a ';' (spreadsheets in Spanish,
//     French or Portuguese split cells on ';'), that starts with =, +, -, @
//     or a tab, or their full-width forms, gets a ' before it, so it is
//     never read as a formula.
func CSVSafe(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r < 0x20:
			return 0x2400 + r
		case r == 0x7f:
			return '\u2421'
		case r >= 0x80 && r < 0xa0:
			return '\ufffd'
		case unicode.Is(unicode.Bidi_Control, r):
			return -1
		}
		return r
	}, s)
	parts := strings.Split(s, ";")
	for i, p := range parts {
		if first := strings.TrimLeft(p, " "); first != "" && strings.ContainsRune(formulaStarts, []rune(first)[0]) {
			parts[i] = "'" + p
		}
	}
	return strings.Join(parts, ";")
}
