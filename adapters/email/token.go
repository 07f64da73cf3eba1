package email

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"forumbot/bot"
)

// A link's token says who may open which form until when, signed with the
// link secret so that nobody can make or change one:
//
//	base64url(JSON payload) "." base64url(HMAC-SHA256(link key, payload))
//
// The link key and the nonce key are derived from the configured secret,
// each for its own use, so that a nonce can never pass for a token.

// Token is what a link to the form carries.
type Token struct {
	// Member is who answers through the link: every event it makes
	// comes from this member, whoever opens it.
	Member bot.Address `json:"m"`
	// Form is the form of one commitment in one round (bot.FormRef).
	Form string `json:"f"`
	// Expires is when the link stops opening the form: its round's close
	// plus the grace.
	Expires int64 `json:"e"`
	// Closes is when the round closes (Unix seconds, 0 if unknown): the
	// page says when a change is a correction.
	Closes int64 `json:"c,omitempty"`
	// Locale is the member's language, for the pages shown before the
	// engine is asked anything (an expired link).
	Locale string `json:"l,omitempty"`
	// Message is the Message-ID of the e-mail the link came in: the
	// event's MessageRef, as a button names the message it was on.
	Message string `json:"i,omitempty"`
}

// Errors of a token that does not verify.
var (
	errTokenInvalid = errors.New("the link's token is malformed or its signature does not match")
	errTokenExpired = errors.New("the link's token has expired")
	errNonceInvalid = errors.New("the form's nonce is missing, malformed, for another link or expired")
)

// signer signs and checks tokens and nonces.
type signer struct {
	linkKey, nonceKey []byte
}

func newSigner(secret string) signer {
	derive := func(use string) []byte {
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte(use))
		return m.Sum(nil)
	}
	return signer{linkKey: derive("forumbot email link v1"), nonceKey: derive("forumbot email form nonce v1")}
}

var b64 = base64.RawURLEncoding

// sign returns the token's text, as a link carries it.
func (s signer) sign(t Token) string {
	payload, _ := json.Marshal(t)
	p := b64.EncodeToString(payload)
	return p + "." + b64.EncodeToString(s.mac(s.linkKey, []byte(p)))
}

func (s signer) mac(key []byte, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(p)))
		m.Write(n[:])
		m.Write(p)
	}
	return m.Sum(nil)
}

// maxTokenLen bounds what verify reads: a real token is a few hundred
// characters.
const maxTokenLen = 2048

// verify checks text's signature, then its expiry at now. A token that
// verifies but has expired is returned with errTokenExpired, so that the
// page can speak the member's language.
func (s signer) verify(text string, now time.Time) (Token, error) {
	p, sig, ok := strings.Cut(text, ".")
	if !ok || len(text) > maxTokenLen {
		return Token{}, errTokenInvalid
	}
	got, err := b64.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(s.linkKey, []byte(p))) {
		return Token{}, errTokenInvalid
	}
	payload, err := b64.DecodeString(p)
	if err != nil {
		return Token{}, errTokenInvalid
	}
	var t Token
	if err := json.Unmarshal(payload, &t); err != nil || t.Member == "" || t.Form == "" {
		return Token{}, errTokenInvalid
	}
	if !bot.IsFormRef(t.Form) {
		return Token{}, errTokenInvalid
	}
	if now.Unix() >= t.Expires {
		return t, errTokenExpired
	}
	return t, nil
}

// signature returns the signature part of a token's text: it names the
// link, for the rate limit and for binding nonces to it.
func signature(text string) string {
	_, sig, _ := strings.Cut(text, ".")
	return sig
}

// nonce returns a fresh nonce for a form page opened with the token whose
// text is token at now: the form must send it back, within nonceTTL,
// with the same token.
func (s signer) nonce(token string, now time.Time) string {
	var body [8 + 16]byte
	binary.BigEndian.PutUint64(body[:8], uint64(now.Unix()))
	rand.Read(body[8:])
	tag := s.mac(s.nonceKey, []byte(signature(token)), body[:])[:16]
	return b64.EncodeToString(body[:]) + "." + b64.EncodeToString(tag)
}

// checkNonce checks that n was made by nonce for token, less than ttl
// before now.
func (s signer) checkNonce(n, token string, now time.Time, ttl time.Duration) error {
	b, tag, ok := strings.Cut(n, ".")
	if !ok || len(n) > 128 {
		return errNonceInvalid
	}
	body, err1 := b64.DecodeString(b)
	got, err2 := b64.DecodeString(tag)
	if err1 != nil || err2 != nil || len(body) != 24 || !hmac.Equal(got, s.mac(s.nonceKey, []byte(signature(token)), body)[:16]) {
		return errNonceInvalid
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(body[:8])), 0)
	if now.Before(issued.Add(-time.Minute)) || now.Sub(issued) > ttl {
		return errNonceInvalid
	}
	return nil
}
