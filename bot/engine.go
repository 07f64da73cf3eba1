package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"
)

// Options tunes an Engine. The zero value of every field has a sensible
// default.
type Options struct {
	// Now is the clock; time.Now by default. Tests inject a fake.
	Now func() time.Time
	// Log receives structured logs; slog.Default() by default.
	Log *slog.Logger
	// Catalog holds the member-facing texts; the embedded one by default.
	Catalog *Catalog
	// TickEvery is how often Run ticks; a minute by default.
	TickEvery time.Duration
	// PollEvery is how often Run looks for due deliveries; 2 s by default.
	PollEvery time.Duration
	// Sender paces and retries outbound messages.
	Sender SenderOptions
	// Refreshers bounds how many prompts are re-rendered at once after
	// answers (a response's FollowUp); 2 by default. Acknowledgements are
	// not bounded: in a burst of answers they come first.
	Refreshers int
	// Lead, when set, decides when this instance ticks and sends: Run
	// calls it with the tick and the sender, and it runs them, under a
	// context it cancels, only while this instance leads the instances
	// sharing the store; it returns when ctx is done. Chats are served
	// whether or not the instance leads, but for the part of a LeaderChat
	// only a leader holds. Unset, the instance always leads.
	Lead func(ctx context.Context, lead func(context.Context)) error
}

// Engine runs the monthly cycle of every configured forum and answers the
// events adapters pass it. It keeps no schedule in memory: each Tick decides
// from the store what is due, so a restart never doubles or skips a round.
type Engine struct {
	store   Store
	chats   map[string]Chat
	forums  []*Forum
	byID    map[string]*Forum
	crons   map[string]*Cron
	now     func() time.Time
	log     *slog.Logger
	catalog *Catalog
	opts    Options
	wake    chan struct{}
	// refreshers holds a token per follow-up running.
	refreshers chan struct{}

	// tickMu serialises Tick with the round commands, which make the same
	// decisions by hand.
	tickMu sync.Mutex
	// questionSweep is when each forum's questions were last looked at
	// whole (under tickMu).
	questionSweep map[string]time.Time
}

// New returns an Engine for forums (validated by the config loader), storing
// in store and talking through chats, keyed by platform ("slack", "discord",
// "local").
func New(forums []*Forum, store Store, chats map[string]Chat, opts Options) (*Engine, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if opts.Catalog == nil {
		c, err := newCatalog()
		if err != nil {
			return nil, err
		}
		opts.Catalog = c
	}
	if opts.TickEvery <= 0 {
		opts.TickEvery = time.Minute
	}
	if opts.PollEvery <= 0 {
		opts.PollEvery = 2 * time.Second
	}
	opts.Sender = opts.Sender.withDefaults()
	if opts.Refreshers <= 0 {
		opts.Refreshers = 2
	}
	e := &Engine{
		store: store, chats: chats, forums: forums,
		byID: map[string]*Forum{}, crons: map[string]*Cron{},
		now: opts.Now, log: opts.Log, catalog: opts.Catalog, opts: opts,
		wake: make(chan struct{}, 1), refreshers: make(chan struct{}, opts.Refreshers), questionSweep: map[string]time.Time{},
	}
	for _, f := range forums {
		c, err := ParseCron(f.Schedule.Prompt, f.Location)
		if err != nil {
			return nil, fmt.Errorf("forum %s: %w", f.ID, err)
		}
		e.byID[f.ID], e.crons[f.ID] = f, c
	}
	return e, nil
}

// Run ticks, drains the outbox and listens on every chat until ctx is done.
// It returns when every goroutine it started has stopped.
func (e *Engine) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(e.chats))
	listen := func(ctx context.Context, platform string, fn func(context.Context, Handler) error) {
		if err := fn(ctx, e); err != nil {
			errs <- fmt.Errorf("%s: %w", platform, err)
			cancel()
		}
	}
	leaders := map[string]LeaderChat{}
	for platform, chat := range e.chats {
		fn := chat.Listen
		if lc, ok := chat.(LeaderChat); ok && e.opts.Lead != nil {
			fn, leaders[platform] = lc.ListenShared, lc
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			listen(ctx, platform, fn)
		}()
	}
	var err error
	if e.opts.Lead != nil {
		err = e.opts.Lead(ctx, func(term context.Context) {
			var held sync.WaitGroup
			for platform, lc := range leaders {
				held.Add(1)
				go func() {
					defer held.Done()
					listen(term, platform, lc.ListenLeader)
				}()
			}
			e.loop(term)
			held.Wait()
		})
	} else {
		err = e.loop(ctx)
	}
	cancel()
	wg.Wait()
	close(errs)
	for cerr := range errs {
		return cerr
	}
	return err
}

func (e *Engine) loop(ctx context.Context) error {
	tick := time.NewTicker(e.opts.TickEvery)
	defer tick.Stop()
	poll := time.NewTicker(e.opts.PollEvery)
	defer poll.Stop()
	e.tickAndDrain(ctx)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			e.tickAndDrain(ctx)
		case <-poll.C:
			e.drainLogged(ctx)
		case <-e.wake:
			e.drainLogged(ctx)
		}
	}
}

func (e *Engine) tickAndDrain(ctx context.Context) {
	if err := e.Tick(ctx); err != nil && ctx.Err() == nil {
		e.log.Error("tick", "err", err)
	}
	e.drainLogged(ctx)
}

func (e *Engine) drainLogged(ctx context.Context) {
	if _, err := e.Drain(ctx); err != nil && ctx.Err() == nil {
		e.log.Error("drain", "err", err)
	}
}

// refresh bounds a follow-up by Options.Refreshers: a burst of 200 answers
// acknowledges them all while at most a couple of prompts are re-rendered,
// instead of 200 re-renderings competing with the acknowledgements for the
// cores. A panic in fn is logged with its stack, and no edit follows.
func (e *Engine) refresh(fn func(context.Context) *Edit) func(context.Context) *Edit {
	return func(ctx context.Context) *Edit {
		select {
		case e.refreshers <- struct{}{}:
		case <-ctx.Done():
			return nil
		}
		defer func() { <-e.refreshers }()
		defer func() {
			if p := recover(); p != nil {
				e.log.Error("panic in a follow-up", "panic", p, "stack", string(debug.Stack()))
			}
		}()
		return fn(ctx)
	}
}

// kick asks Run to drain the outbox soon, e.g. after a command enqueued a
// digest.
func (e *Engine) kick() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// Tick opens, reminds and closes rounds as the schedule and the stored state
// say. It is idempotent: calling it twice at the same time changes nothing
// the second time.
func (e *Engine) Tick(ctx context.Context) error {
	e.tickMu.Lock()
	defer e.tickMu.Unlock()
	now := e.now()
	for _, f := range e.forums {
		if err := e.tickForum(ctx, f, now); err != nil {
			return fmt.Errorf("forum %s: %w", f.ID, err)
		}
	}
	return nil
}

func (e *Engine) tickForum(ctx context.Context, f *Forum, now time.Time) error {
	if err := e.tickSchedule(ctx, f, now); err != nil {
		return err
	}
	rounds, err := e.store.OpenRounds(ctx)
	if err != nil {
		return err
	}
	for _, r := range rounds {
		if r.ForumID != f.ID {
			continue
		}
		if !now.Before(r.ClosesAt) {
			if err := e.closeRound(ctx, f, r, now); err != nil {
				return err
			}
			continue
		}
		if err := e.remindDue(ctx, f, r, now); err != nil {
			return err
		}
	}
	return e.tickQuestions(ctx, f, now)
}

// NextRound returns when the forum's next round opens after t, or the zero
// time when no round will: the plan is over.
func (e *Engine) NextRound(f *Forum, t time.Time) time.Time {
	if start := f.Plan.Start; !start.IsZero() && t.Before(start.Time(f.Location)) {
		t = start.Time(f.Location).Add(-time.Nanosecond)
	}
	next := e.crons[f.ID].Next(t)
	if next.IsZero() || !f.InPlan(next) {
		return time.Time{}
	}
	return next
}

// Texts returns the member-facing texts of a locale.
func (e *Engine) Texts(locale string) Texts { return e.catalog.Texts(locale) }
