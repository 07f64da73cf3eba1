package site

import (
	"context"
	"time"

	"forumbot/bot"
)

// Forums returns the forums the site publishes (for benchmarks).
func (s *Site) Forums() []Forum { return s.cfg.Forums }

// Engine returns the site's engine (for benchmarks).
func (s *Site) Engine() *bot.Engine { return s.cfg.Engine }

// Now returns the site's clock (for benchmarks).
func (s *Site) Now() func() time.Time { return s.cfg.Now }

// RenderUncached renders the file at path from the current figures,
// without the page cache (for benchmarks).
func (s *Site) RenderUncached(ctx context.Context, path string) ([]byte, error) {
	st, err := s.current(ctx, false)
	if err != nil {
		return nil, err
	}
	r, _ := s.parse(st, path)
	if _, err := s.load(ctx, r.forum); err != nil {
		return nil, err
	}
	return s.render(ctx, st, path, r)
}

// Look looks at the record again, as the site does every Refresh (for
// benchmarks).
func (s *Site) Look(ctx context.Context) error {
	_, err := s.current(ctx, true)
	return err
}
