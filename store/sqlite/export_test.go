package sqlite

// LogBound is how many pages the write-ahead log holds at most before a
// commit checkpoints it.
const LogBound = logBound
