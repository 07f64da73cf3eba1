package bot

import (
	"fmt"
	"net/mail"
	"strings"
)

// Address names a person or a channel on a chat platform as
// "platform:id", e.g. "slack:U024BE7LH", "discord:80351110224678912" or
// "email:ana@example.org" (a person, or a list, reached by e-mail).
type Address string

// platforms the bot knows. "local" is the in-process chat of the demo.
var platforms = []string{"slack", "discord", "email", "local"}

// EmailPlatform is the platform of "email:" addresses: members reached by
// e-mail, who answer on a web form.
const EmailPlatform = "email"

// ParseAddress checks that s is "platform:id" with a known platform; an
// e-mail address must be a bare address (name@example.org).
func ParseAddress(s string) (Address, error) {
	platform, id, ok := strings.Cut(s, ":")
	if !ok || id == "" || strings.ContainsAny(id, " \t\n") {
		return "", Errorf(EINVALID, "%q is not an address (want platform:id, e.g. slack:U024BE7LH, discord:80351110224678912 or email:ana@example.org)", s)
	}
	if !contains(platforms, platform) {
		return "", Errorf(EINVALID, "%q names an unknown platform %q (want slack, discord, email or local)", s, platform)
	}
	if platform == EmailPlatform {
		if problem := checkEmail(id); problem != "" {
			return "", Errorf(EINVALID, "%q is not an e-mail address: %s (want email:name@example.org)", s, problem)
		}
	}
	return Address(s), nil
}

// checkEmail says what is wrong with an e-mail address, "" if nothing: it
// must be name@domain alone, without a display name, angle brackets,
// quotes or slashes, with a domain of at least two labels.
func checkEmail(addr string) string {
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Name != "" || a.Address != addr || strings.ContainsAny(addr, "/<>\"") {
		return "it is not of the form name@example.org"
	}
	_, domain, _ := strings.Cut(addr, "@")
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return fmt.Sprintf("the domain %q is not a mail domain", domain)
	}
	return ""
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
