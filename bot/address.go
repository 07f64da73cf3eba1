package bot

import (
	"strings"
)

// Address names a person or a channel on a chat platform as
// "platform:id", e.g. "slack:U024BE7LH" or "discord:80351110224678912".
type Address string

// Platforms the bot knows. "local" is the in-process chat of the demo.
var Platforms = []string{"slack", "discord", "local"}

// ParseAddress checks that s is "platform:id" with a known platform.
func ParseAddress(s string) (Address, error) {
	platform, id, ok := strings.Cut(s, ":")
	if !ok || id == "" || strings.ContainsAny(id, " \t\n") {
		return "", Errorf(EINVALID, "%q is not an address (want platform:id, e.g. slack:U024BE7LH or discord:80351110224678912)", s)
	}
	if !contains(Platforms, platform) {
		return "", Errorf(EINVALID, "%q names an unknown platform %q (want slack, discord or local)", s, platform)
	}
	return Address(s), nil
}

// Platform returns the platform part of a, e.g. "slack".
func (a Address) Platform() string {
	p, _, _ := strings.Cut(string(a), ":")
	return p
}

// ID returns the platform's own identifier, e.g. "U024BE7LH".
func (a Address) ID() string {
	_, id, _ := strings.Cut(string(a), ":")
	return id
}

// MessageRef points at a message a platform accepted: enough to update it
// or to recognise a reply to it.
type MessageRef struct {
	Platform string
	Channel  string
	ID       string
}

// IsZero reports whether r points nowhere.
func (r MessageRef) IsZero() bool { return r == MessageRef{} }

// String encodes r as "platform:channel/id" for storage.
func (r MessageRef) String() string {
	if r.IsZero() {
		return ""
	}
	return r.Platform + ":" + r.Channel + "/" + r.ID
}

// ParseMessageRef decodes the form written by String.
func ParseMessageRef(s string) (MessageRef, error) {
	if s == "" {
		return MessageRef{}, nil
	}
	platform, rest, ok1 := strings.Cut(s, ":")
	channel, id, ok2 := strings.Cut(rest, "/")
	if !ok1 || !ok2 {
		return MessageRef{}, Errorf(EINVALID, "%q is not a message reference", s)
	}
	return MessageRef{Platform: platform, Channel: channel, ID: id}, nil
}
