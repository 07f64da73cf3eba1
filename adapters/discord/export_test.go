package discord

// Update replaces a message as the edit of a response does, for tests of
// split messages.
var Update = (*Chat).update
