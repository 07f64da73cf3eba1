package bot

import "time"

// CommandRecord is one platform request that carried a command that acts
// (round, away, back): who sent it, the platform's id for it (Slack's
// trigger id, Discord's interaction id) and what the bot answered. A
// request replayed with the same id is answered from here, never acted on
// again.
type CommandRecord struct {
	Member    Address
	EventID   string
	Command   CommandName
	ClaimedAt time.Time
	// Outcome is empty while the request is being handled, or when it
	// never finished (the bot stopped half-way).
	Outcome CommandOutcome
	Text    string
}

// CommandOutcome says how a request was answered.
type CommandOutcome string

// Command outcomes.
const (
	// CommandReplied: the command was carried out; Text is the reply.
	CommandReplied CommandOutcome = "reply"
	// CommandRefused: the command was refused; Text is the refusal.
	CommandRefused CommandOutcome = "refusal"
)
