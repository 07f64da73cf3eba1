package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"forumbot/adapters/local"
	"forumbot/bot"
	"forumbot/bot/config"
	"forumbot/store/sqlite"
)

// demo plays one reporting month of the example forum on the local chat with
// a simulated clock: the same engine and store as serve, people scripted.
type demo struct {
	out   io.Writer
	forum *bot.Forum
	db    *sqlite.DB
	chat  *local.Chat
	eng   *bot.Engine
	stop  context.CancelFunc
	done  chan struct{}

	mu      sync.Mutex
	now     time.Time
	quiet   bool
	digests []local.Sent
	// batch collects the prompts and reminders of one step, printed as one
	// line each after the step.
	batch map[string][]string
}

func newDemo(cfg *config.Config, dbPath string, out io.Writer) (*demo, error) {
	d := &demo{out: out, forum: cfg.Forums[0], chat: local.New()}
	d.db = sqlite.NewDB(dbPath)
	d.db.Now = d.clock
	if err := d.db.Open(); err != nil {
		return nil, err
	}
	// One local chat stands in for every platform of the example forum.
	chats := map[string]bot.Chat{"slack": d.chat, "discord": d.chat, "local": d.chat}
	eng, err := bot.New(cfg.Forums, d.db, chats, bot.Options{
		Now: d.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Sender: bot.SenderOptions{Workers: 1},
	})
	if err != nil {
		d.db.Close()
		return nil, err
	}
	d.eng = eng
	d.chat.OnSend = d.onSend
	ctx, stop := context.WithCancel(context.Background())
	d.stop, d.done = stop, make(chan struct{})
	go func() {
		defer close(d.done)
		d.chat.Listen(ctx, eng)
	}()
	return d, nil
}

func (d *demo) close() {
	d.stop()
	<-d.done
	d.db.Close()
}

func (d *demo) clock() time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.now
}

// at moves the clock to a local time in the forum's zone and lets the engine
// do what is due: open, remind, close, send.
func (d *demo) at(ctx context.Context, day, hour, minute int, month time.Month) error {
	d.mu.Lock()
	d.now = time.Date(2026, month, day, hour, minute, 0, 0, d.forum.Location)
	d.mu.Unlock()
	if err := d.eng.Tick(ctx); err != nil {
		return err
	}
	if _, err := d.eng.Drain(ctx); err != nil {
		return err
	}
	d.flush()
	return nil
}

// flush prints the prompts and reminders sent in the last step.
func (d *demo) flush() {
	d.mu.Lock()
	batch := d.batch
	d.batch = nil
	d.mu.Unlock()
	for _, kind := range []string{"prompt", "reminder"} {
		if names := batch[kind]; len(names) > 0 {
			d.say("%-8s → %d members: %s", kind, len(names), strings.Join(names, "; "))
		}
	}
}

func (d *demo) stamp() string { return d.clock().In(d.forum.Location).Format("Mon 2 Jan 15:04") }

func (d *demo) say(format string, args ...any) {
	if !d.quiet {
		fmt.Fprintf(d.out, "%s  %s\n", d.stamp(), fmt.Sprintf(format, args...))
	}
}

func (d *demo) name(who bot.Address) string {
	if m, ok := d.forum.Member(who); ok {
		return fmt.Sprintf("%s (%s, %s)", m.Name, m.Organisation, who.Platform())
	}
	if d.forum.IsOfficial(who) {
		return "an official, " + string(who)
	}
	return string(who)
}

func (d *demo) onSend(s local.Sent) {
	if s.Channel {
		d.mu.Lock()
		d.digests = append(d.digests, s)
		d.mu.Unlock()
		d.say("digest   → posted to %s", s.To)
		return
	}
	kind := "prompt"
	if strings.HasPrefix(s.Key, "reminder/") {
		kind = "reminder"
	}
	var ids []string
	for _, sec := range s.Message.Sections {
		ids = append(ids, strings.SplitN(sec.Title, " ", 2)[0])
	}
	m, _ := d.forum.Member(s.To)
	d.mu.Lock()
	if d.batch == nil {
		d.batch = map[string][]string{}
	}
	d.batch[kind] = append(d.batch[kind], fmt.Sprintf("%s (%s) %s", m.Name, s.To.Platform(), strings.Join(ids, "+")))
	d.mu.Unlock()
}

func (d *demo) person(who string) *local.Person {
	p := d.chat.As(bot.Address(who))
	p.Now = d.clock
	return p
}

// answer has a member fill in the form for one commitment from their latest
// prompt or reminder.
func (d *demo) answer(ctx context.Context, who, commitment string, values map[string][]string) error {
	p := d.person(who)
	msg, ok := p.Latest()
	if !ok {
		return fmt.Errorf("demo: %s has no prompt", who)
	}
	resp, err := p.Answer(ctx, msg, commitment, values)
	if err != nil {
		return err
	}
	if resp.Error != "" || len(resp.FieldErrors) > 0 {
		return fmt.Errorf("demo: %s's answer on %s refused: %s %v", who, commitment, resp.Error, resp.FieldErrors)
	}
	d.say("form     ← %s: %s %s", d.name(bot.Address(who)), commitment, values[bot.FieldCompletion][0])
	return nil
}

// reply has a member reply in their prompt's thread.
func (d *demo) reply(ctx context.Context, who, text string) error {
	p := d.person(who)
	msg, ok := p.Latest()
	if !ok {
		return fmt.Errorf("demo: %s has no prompt", who)
	}
	resp, err := p.Reply(ctx, msg.Ref, text)
	if err != nil {
		return err
	}
	if resp.Error != "" || !resp.React {
		return fmt.Errorf("demo: %s's reply refused: %s", who, resp.Error)
	}
	d.say("reply    ← %s: %q (stored as a note, ✓ reaction)", d.name(bot.Address(who)), text)
	return nil
}

// command runs a /forum command and prints the bot's private answer.
func (d *demo) command(ctx context.Context, who, text string, full bool) error {
	resp, err := d.person(who).Command(ctx, text)
	if err != nil {
		return err
	}
	d.say("/forum %s  (by %s)", text, d.name(bot.Address(who)))
	if d.quiet {
		return nil
	}
	switch {
	case resp.Error != "":
		fmt.Fprintf(d.out, "%18s↳ refused: %s\n", "", firstLine(resp.Error))
	case resp.Reply != nil && full:
		fmt.Fprintln(d.out, indent(bot.RenderText(*resp.Reply), "    │ "))
	case resp.Reply != nil:
		fmt.Fprintf(d.out, "%18s↳ %s\n", "", firstLine(bot.RenderText(*resp.Reply)))
	}
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}

func form(level, progress string, extra ...string) map[string][]string {
	v := map[string][]string{bot.FieldCompletion: {level}, bot.FieldProgress: {progress}}
	for i := 0; i+1 < len(extra); i += 2 {
		v[extra[i]] = append(v[extra[i]], strings.Split(extra[i+1], ",")...)
	}
	return v
}
