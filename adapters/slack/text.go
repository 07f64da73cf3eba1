package slack

import (
	"strings"
)

// textLen counts characters as Slack does for its limits: in UTF-16 code
// units, so an emoji outside the Basic Multilingual Plane counts twice.
func textLen(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// prefixWithin returns the byte length of the longest prefix of s that is
// at most max Slack characters long.
func prefixWithin(s string, max int) int {
	n := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > max {
			return i
		}
		n += w
	}
	return len(s)
}

// entities are the escapes mrkdwn uses; a split must not cut one in two.
var entities = []string{"&amp;", "&lt;", "&gt;"}

// split cuts escaped mrkdwn text into chunks of at most max Slack
// characters: on line boundaries where it can, else between words, else
// anywhere but inside an escape. Blank chunks are dropped; no other text is.
func split(s string, max int) []string {
	var out []string
	for textLen(s) > max {
		cut := cutPoint(s, max)
		if chunk := strings.TrimRight(s[:cut], "\n"); strings.TrimSpace(chunk) != "" {
			out = append(out, chunk)
		}
		s = strings.TrimLeft(s[cut:], "\n")
	}
	if strings.TrimSpace(s) != "" {
		out = append(out, s)
	}
	return out
}

// cutPoint returns where to cut s so that the first chunk is at most max
// Slack characters.
func cutPoint(s string, max int) int {
	limit := prefixWithin(s, max)
	prefix := s[:limit]
	if i := strings.LastIndexByte(prefix, '\n'); i > 0 {
		return i + 1
	}
	if i := strings.LastIndexByte(prefix, ' '); i > limit/2 {
		return i + 1
	}
	// No boundary: cut inside the word, but not inside an escape.
	if i := strings.LastIndexByte(prefix, '&'); i > 0 {
		for _, e := range entities {
			if strings.HasPrefix(s[i:], e) && i+len(e) > limit {
				return i
			}
		}
	}
	return limit
}

// clip shortens a one-line label to max Slack characters, ending it with
// "…" when it was cut and never leaving half an escape behind. It is for
// labels whose full text is shown elsewhere (button labels, titles,
// notification text).
func clip(s string, max int) string {
	if textLen(s) <= max {
		return s
	}
	cut := s[:prefixWithin(s, max-1)]
	if i := strings.LastIndexByte(cut, '&'); i >= 0 {
		for _, e := range entities {
			if tail := cut[i:]; len(tail) < len(e) && strings.HasPrefix(e, tail) {
				cut = cut[:i]
				break
			}
		}
	}
	return cut + "…"
}
