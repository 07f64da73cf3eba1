package slack

import (
	"strings"

	"forumbot/adapters/internal/kit"
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

// entities are the escapes mrkdwn uses; a cut must not split one in two.
var entities = []string{"&amp;", "&lt;", "&gt;"}

// mrkdwn is how Slack counts the characters of escaped mrkdwn and what its
// escapes are, for splitting text too long for one block (kit.Text.Split).
var mrkdwn = kit.Text{Prefix: prefixWithin, Whole: outsideEntity}

// outsideEntity returns at, or where the escape that at would cut in two
// starts.
func outsideEntity(s string, at int) int {
	if i := strings.LastIndexByte(s[:at], '&'); i >= 0 {
		for _, e := range entities {
			if strings.HasPrefix(s[i:], e) && i+len(e) > at {
				return i
			}
		}
	}
	return at
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
