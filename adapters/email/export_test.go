package email

import "forumbot/bot"

// SignToken signs t with the adapter's link secret, for tests that make
// links the adapter never sent (another round, a commitment elsewhere).
func (c *Chat) SignToken(t Token) string { return c.sign.sign(t) }

// FormURL is the link to the form opened with token.
func (c *Chat) FormURL(token string) string { return c.formURL(token) }

// MessageID is the Message-ID the adapter gives the message with key to
// to, without its angle brackets.
func (c *Chat) MessageID(key string, to bot.Address) string { return c.messageID(key, to) }
