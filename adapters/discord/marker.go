package discord

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"
)

// Idempotency on Discord has two halves. Within a few minutes, a resend
// with the same nonce and enforce_nonce returns the message already
// created. After that, the nonce is forgotten and message objects fetched
// later do not carry it, so each message also shows a short marker of its
// key in its footer ("ref 3f9a2c1b7e5d", "· 2/3" for split messages),
// which Delivered looks for in the conversation's history. The marker
// doubles as a reference a member can quote.

// keyHash is the marker of an idempotency key: 48 bits, plenty among a
// conversation's recent messages.
func keyHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:6])
}

// hashOf is keyHash, or "" without a key.
func hashOf(key string) string {
	if key == "" {
		return ""
	}
	return keyHash(key)
}

// nonce is the nonce of message k of the key: at most 25 characters, as
// Discord requires; "" without a key.
func nonce(key string, k int) string {
	if key == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(key + "\x00" + strconv.Itoa(k)))
	return hex.EncodeToString(sum[:])[:25]
}

// marker returns the footer marker of message k of n for key; "" without a
// key.
func marker(key string, k, n int) string {
	if key == "" {
		return ""
	}
	return markerText(keyHash(key), k, n)
}

func markerText(hash string, k, n int) string {
	if n <= 1 {
		return "ref " + hash
	}
	return fmt.Sprintf("ref %s · %d/%d", hash, k+1, n)
}

var markerRE = regexp.MustCompile(`(?:^|\n)ref ([0-9a-f]{12})(?: · (\d+)/(\d+))?$`)

// markerOf reads the marker of a message the bot (self) posted: the key
// hash, the message's index k and the count n.
func markerOf(m *discordgo.Message, self string) (hash string, k, n int, ok bool) {
	if m == nil || m.Author == nil || m.Author.ID != self {
		return "", 0, 0, false
	}
	for i := len(m.Embeds) - 1; i >= 0; i-- {
		e := m.Embeds[i]
		if e.Footer == nil {
			continue
		}
		sub := markerRE.FindStringSubmatch(e.Footer.Text)
		if sub == nil {
			continue
		}
		if sub[2] == "" {
			return sub[1], 0, 1, true
		}
		k, _ = strconv.Atoi(sub[2])
		n, _ = strconv.Atoi(sub[3])
		if k < 1 || k > n {
			return "", 0, 0, false
		}
		return sub[1], k - 1, n, true
	}
	return "", 0, 0, false
}

// withMarker returns embeds with mark added to the last one's footer,
// copying what it changes; an embed of its own when there is none.
func withMarker(embeds []*discordgo.MessageEmbed, mark string) []*discordgo.MessageEmbed {
	out := append([]*discordgo.MessageEmbed(nil), embeds...)
	if mark == "" {
		return out
	}
	if len(out) == 0 {
		return []*discordgo.MessageEmbed{{Footer: &discordgo.MessageEmbedFooter{Text: mark}}}
	}
	last := *out[len(out)-1]
	text := mark
	if last.Footer != nil && last.Footer.Text != "" {
		text = strings.TrimRight(last.Footer.Text, "\n") + "\n" + mark
	}
	last.Footer = &discordgo.MessageEmbedFooter{Text: text}
	out[len(out)-1] = &last
	return out
}

// maxMarks bounds the markers remembered.
const maxMarks = 10000

// marks remembers the markers of first messages this process sent or
// edited, so that an update (the prompt after each answer) needs no read
// first. After a restart, an update reads the message instead.
type marks struct {
	mu sync.Mutex
	m  map[string]mark
}

type mark struct {
	hash string // "" for a message without a marker
	n    int
}

func (m *marks) put(id string, mk mark) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string]mark{}
	}
	if _, ok := m.m[id]; !ok && len(m.m) >= maxMarks {
		for k := range m.m {
			delete(m.m, k)
			break
		}
	}
	m.m[id] = mk
}

func (m *marks) get(id string) (mark, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	mk, ok := m.m[id]
	return mk, ok
}
