// Package bot is forumbot's domain and engine: forums, action plans,
// commitments, committees, rounds, prompts, updates and digests, in the
// Independent Reporting Mechanism's vocabulary, and the Engine that runs a
// forum's monthly cycle.
//
// The package defines the ports it consumes and imports no implementation
// of them: Chat (a platform: send, check a delivery, listen), Store
// (durable storage) and Handler (what an adapter calls with what a person
// did). Adapters under adapters/ and the store under store/ implement them;
// cmd/forumbot wires them.
//
// The engine keeps no timers. Tick decides from the store which round
// should be open, reminded or closed, idempotently; Drain sends the outbox
// at the platforms' pace, asking a Chat whether a message was delivered
// before any resend. HandleEvent stores an answer before it confirms it.
//
// The figures every view publishes are defined in figures.go (answers and
// response rates), views.go (each stakeholder group's view of completion)
// and flags.go (open blockers and needs), and computed by buildDigest,
// whether from a forum's whole history or from the summary (Record) the
// store keeps. docs/ARCHITECTURE.md explains the design; docs/FIGURES.md
// defines the figures for readers.
package bot
