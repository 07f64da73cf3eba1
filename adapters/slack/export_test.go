package slack

// SetOnDone registers f to be told, with its event_id or trigger_id, when
// an inbound request is fully handled: acknowledged and followed up. Fakes
// wait on it instead of sleeping.
func SetOnDone(c *Chat, f func(key string)) {
	c.mu.Lock()
	c.onDone = f
	c.mu.Unlock()
}
