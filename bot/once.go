package bot

import (
	"context"
	"time"
)

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

// actsOnce reports whether a command changes what the bot does, so that
// the same request must never be carried out twice. Digest is idempotent
// on its own (the posted digest is keyed by the request); the other
// commands only read.
func actsOnce(name CommandName) bool {
	switch name {
	case CmdRound, CmdAway, CmdBack, CmdMove:
		return true
	}
	return false
}

// once runs a command that acts at most once per platform request: the
// request is claimed in the store before act runs, and its answer stored
// after. A request seen before is answered with what it was answered then
// and a note that nothing was done again; one whose handling never
// finished is refused. A request without an id cannot be told apart from
// another and simply runs.
func (e *Engine) once(ctx context.Context, t Texts, ev Event, name CommandName, act func() Response) Response {
	if ev.ID == "" {
		return act()
	}
	prior, claimed, err := e.store.ClaimCommand(ctx, CommandRecord{Member: ev.From, EventID: ev.ID, Command: name, ClaimedAt: e.now()})
	if err != nil {
		return Response{Error: e.storeError(t, err, "err.store")}
	}
	if !claimed {
		e.log.Warn("command request seen before; not acted on again", "from", ev.From, "event", ev.ID, "command", name)
		loc := time.UTC
		if f := e.homeForum(ev.From); f != nil {
			loc = f.Location
		}
		return replayed(t, prior, loc)
	}
	resp := act()
	outcome, text := CommandReplied, ""
	switch {
	case resp.Error != "":
		outcome, text = CommandRefused, resp.Error
	case resp.Reply != nil:
		text = resp.Reply.Text
	}
	if err := e.store.FinishCommand(ctx, ev.From, ev.ID, outcome, text); err != nil {
		// The command was carried out and its reply is true; only a
		// replay would now be refused instead of answered from the record.
		e.log.Error("store command outcome", "from", ev.From, "event", ev.ID, "err", err)
	}
	return resp
}

// replayed answers a request seen before, with times in loc.
func replayed(t Texts, prior CommandRecord, loc *time.Location) Response {
	when := t.Time(prior.ClaimedAt.In(loc))
	note := t.T("cmd.replayed", "When", when)
	switch prior.Outcome {
	case CommandReplied:
		return Response{Reply: &Message{Text: prior.Text + "\n" + note}}
	case CommandRefused:
		return Response{Error: prior.Text + "\n" + note}
	}
	return Response{Error: t.T("cmd.err.unfinished", "When", when)}
}
