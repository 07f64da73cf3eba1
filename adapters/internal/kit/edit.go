package kit

import (
	"context"

	"forumbot/bot"
)

// ApplyEdit makes the edit a response asks for (bot.Response.EditAfter),
// to be called once the event is acknowledged: update, the adapter's own,
// replaces the message, waiting out rate limits (Patiently). An edit of
// another platform's message is left alone, and a failure is logged: the
// person has been answered already.
func (o Options) ApplyEdit(ctx context.Context, platform string, resp bot.Response, update func(context.Context, bot.MessageRef, bot.Message) error) {
	e := resp.EditAfter(ctx)
	if e == nil || e.Ref.Platform != platform {
		return
	}
	if err := Patiently(ctx, func() error { return update(ctx, e.Ref, e.Message) }); err != nil {
		o.Log.Warn("edit failed", "message", e.Ref.String(), "err", err)
	}
}
