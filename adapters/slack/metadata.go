package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"

	"github.com/slack-go/slack"
)

// formOrigin travels in a modal's private_metadata: where the form was
// opened from, so that the submission can edit that message and answer the
// person there. It is sealed with a MAC (sealOrigin): a submission carries
// back whatever private_metadata it likes, and only what the bot itself
// put there, for this person and this form, is trusted. No URL travels in
// it: the bot never calls a URL a submission hands it.
type formOrigin struct {
	// Channel and TS are the message whose button opened the form, or the
	// conversation of the command that opened it.
	Channel string `json:"c,omitempty"`
	TS      string `json:"t,omitempty"`
	// Saving is the form's "still saving" text, in the person's language,
	// for a submission the bot is slow to store.
	Saving string `json:"s,omitempty"`
	// MAC seals the fields above to the person and the form.
	MAC string `json:"m,omitempty"`
}

// metadataLabel separates the key that seals metadata from the secret it
// is derived from.
const metadataLabel = "forumbot: modal private_metadata v1"

// metadataKey is the key that seals modals' metadata, derived from the
// signing secret (or, in Socket Mode, the bot token): a secret of the
// bot's that no one who can only submit a modal knows.
func (c *Chat) metadataKey() []byte {
	secret := c.cfg.SigningSecret
	if secret == "" {
		secret = c.cfg.BotToken
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(metadataLabel))
	return mac.Sum(nil)
}

// originMAC is the MAC of o's fields for user and the form callbackID.
func (c *Chat) originMAC(user, callbackID string, o formOrigin) string {
	mac := hmac.New(sha256.New, c.metadataKey())
	for _, s := range []string{user, callbackID, o.Channel, o.TS, o.Saving} {
		mac.Write([]byte(s))
		mac.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:18])
}

// sealOrigin returns o, sealed for user and the form callbackID, as
// private_metadata. A "still saving" text too long for Slack's limit is
// left out (the adapter's own then shows).
func (c *Chat) sealOrigin(user, callbackID string, o formOrigin) string {
	for {
		o.MAC = c.originMAC(user, callbackID, o)
		md, _ := json.Marshal(o)
		if len(md) <= maxMetadata || o.Saving == "" {
			return string(md)
		}
		o.Saving = ""
	}
}

// openOrigin returns the origin a submission's view carries, and true,
// when the bot sealed it for the submitting user and this form; otherwise
// the zero origin and false.
func (c *Chat) openOrigin(ic slack.InteractionCallback) (formOrigin, bool) {
	var o formOrigin
	if err := json.Unmarshal([]byte(ic.View.PrivateMetadata), &o); err != nil || o.MAC == "" {
		return formOrigin{}, false
	}
	want := c.originMAC(ic.User.ID, ic.View.CallbackID, o)
	if !hmac.Equal([]byte(o.MAC), []byte(want)) {
		return formOrigin{}, false
	}
	return o, true
}
