package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"forumbot/adapters/site"
	"forumbot/bot"
	"forumbot/bot/config"
)

// newSite builds the public site of the forums whose site: block makes
// them public, or returns nil when none does.
func newSite(cfg *config.Config, eng *bot.Engine, store bot.Store, log *slog.Logger) (*site.Site, error) {
	var forums []site.Forum
	for _, f := range cfg.Forums {
		sf, ok := cfg.Site.Forums[f.ID]
		if !ok {
			continue
		}
		forums = append(forums, site.Forum{Forum: f, Licence: sf.Licence, LicenceURL: sf.LicenceURL, Contact: sf.Contact, Text: sf.Text, Evidence: sf.Evidence})
	}
	if len(forums) == 0 {
		return nil, nil
	}
	return site.New(site.Config{Engine: eng, Store: store, Forums: forums, Path: cfg.Site.Path, BaseURL: cfg.Site.BaseURL, Locale: cfg.Site.Locale, Log: log,
		FormSecret: cfg.Site.FormSecret, AskPerAddress: cfg.Site.AskPerAddress, AskTotal: cfg.Site.AskTotal})
}

func runSite(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("site", "site --config FILE --out DIR", stdout)
	path := fs.String("config", "", "config file")
	out := fs.String("out", "", "directory to write the public site into, for any static host (created if missing; files in it are replaced)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return badInput("--out is required: the directory to write the site into")
	}
	cfg, err := loadConfig(*path, secretsUnused, stderr)
	if err != nil {
		return err
	}
	if len(cfg.Site.Forums) == 0 {
		return badInput("no forum of %s is public: add site: {public: true, licence: CC-BY-4.0} to a forum", *path)
	}
	db, err := openRecord(cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	eng, err := bot.New(cfg.Forums, db, nil, bot.Options{})
	if err != nil {
		return err
	}
	s, err := newSite(cfg, eng, db, slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	n, err := s.Export(ctx, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d files of the public site to %s\n", n, *out)
	return nil
}
