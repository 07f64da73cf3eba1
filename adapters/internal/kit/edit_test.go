package kit_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"forumbot/bot"
)

func TestApplyEdit(t *testing.T) {
	ours := bot.MessageRef{Platform: "test", Channel: "D1", ID: "1"}
	theirs := bot.MessageRef{Platform: "other", Channel: "D1", ID: "1"}
	edit := func(ref bot.MessageRef) *bot.Edit { return &bot.Edit{Ref: ref, Message: bot.Message{Text: "v2"}} }
	for _, tc := range []struct {
		name    string
		resp    bot.Response
		fail    []error
		want    int // calls of update
		applied bool
	}{
		{"None", bot.Response{}, nil, 0, false},
		{"Edit", bot.Response{Edit: edit(ours)}, nil, 1, true},
		{"FollowUp", bot.Response{FollowUp: func(context.Context) *bot.Edit { return edit(ours) }}, nil, 1, true},
		{"AnotherPlatform", bot.Response{Edit: edit(theirs)}, nil, 0, false},
		{"RateLimitedThenApplied", bot.Response{Edit: edit(ours)}, []error{&bot.RateLimitError{Wait: time.Second}}, 2, true},
		{"Failed", bot.Response{Edit: edit(ours)}, []error{errors.New("gone")}, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				calls, applied := 0, false
				quiet().ApplyEdit(context.Background(), "test", tc.resp, func(_ context.Context, ref bot.MessageRef, msg bot.Message) error {
					calls++
					if calls <= len(tc.fail) {
						return tc.fail[calls-1]
					}
					applied = ref == ours && msg.Text == "v2"
					return nil
				})
				if calls != tc.want || applied != tc.applied {
					t.Errorf("update called %d times, applied %v; want %d, %v", calls, applied, tc.want, tc.applied)
				}
			})
		})
	}
}
