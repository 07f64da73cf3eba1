package email

// SignToken signs t with the adapter's link secret, for tests that make
// links the adapter never sent (another round, a commitment elsewhere).
func (c *Chat) SignToken(t Token) string { return c.sign.sign(t) }

// FormURL is the link to the form opened with token.
func (c *Chat) FormURL(token string) string { return c.formURL(token) }
