package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"forumbot/bot"
	"forumbot/bot/config"
	"forumbot/store"
	"forumbot/store/postgres"
	"forumbot/store/sqlite"
)

func runValidate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("validate", "validate --config FILE", stdout)
	path := fs.String("config", "", "config file to check")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path, secretsChecked, stderr)
	if err != nil {
		return err
	}
	m, unchecked, err := prepare(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	if _, err := m.newEngine(nil, m.Chats); err != nil {
		return err
	}
	for _, p := range unchecked {
		fmt.Fprintf(stderr, "warning: %s: settings not checked further, as they use unset variables (see above); serve checks them\n", p)
	}
	members, commitments := 0, 0
	for _, f := range cfg.Forums {
		members += len(f.Members())
		commitments += len(f.Plan.Commitments)
	}
	fmt.Fprintf(stdout, "%s: ok: %d forum(s), %d commitment(s), %d member(s)\n", *path, len(cfg.Forums), commitments, members)
	return nil
}

// storePath resolves the configured database path against the config
// file's directory, so the bot finds its data whatever the working directory.
func storePath(cfg *config.Config) string {
	p := cfg.File.Store.Path
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(filepath.Dir(cfg.Path), p)
}

// storeName names the configured database for messages: the SQLite
// file's path, or the PostgreSQL database and host (never the password).
func storeName(cfg *config.Config) string {
	if u := cfg.File.Store.URL; u != "" {
		return postgres.NewDB(u).Name()
	}
	return storePath(cfg)
}

// openStore opens the configured database: PostgreSQL when store.url is
// set, else the SQLite file at store.path. readOnly opens it for the
// commands that read the record, which never create or migrate it.
func openStore(cfg *config.Config, readOnly bool) (store.DB, error) {
	if u := cfg.File.Store.URL; u != "" {
		db := postgres.NewDB(u)
		if readOnly {
			db.Mode = postgres.ReadOnly
		}
		if err := db.Open(); err != nil {
			return nil, err
		}
		return db, nil
	}
	db := sqlite.NewDB(storePath(cfg))
	if readOnly {
		db.Mode = sqlite.ReadOnly
	}
	if err := db.Open(); err != nil {
		return nil, err
	}
	return db, nil
}

// openRecord opens the configured database for reading. The commands that
// read a forum's record never create a database: a missing one is bad
// input, named by its resolved path.
func openRecord(cfg *config.Config) (store.DB, error) {
	db, err := openStore(cfg, true)
	if bot.ErrorCode(err) == bot.ENOTFOUND && cfg.File.Store.URL == "" {
		path := storePath(cfg)
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		return nil, badInput("no database at %s (store.path in %s): run forumbot serve to create it, or forumbot demo --keep DIR for an example with its config; or check store.path", path, cfg.Path)
	}
	return db, err
}

// forumData is what the commands that read a forum's record need: the
// config, the forum, its database and an engine over it with no chats.
type forumData struct {
	cfg   *config.Config
	forum *bot.Forum
	db    store.DB
	eng   *bot.Engine
}

// openForum loads the config, finds the forum and opens its database for
// reading.
func openForum(path, forumID string, stderr io.Writer) (*forumData, error) {
	cfg, err := loadConfig(path, secretsUnused, stderr)
	if err != nil {
		return nil, err
	}
	f, err := findForum(cfg, forumID)
	if err != nil {
		return nil, err
	}
	db, err := openRecord(cfg)
	if err != nil {
		return nil, err
	}
	eng, err := bot.New(cfg.Forums, db, nil, bot.Options{})
	if err != nil {
		db.Close()
		return nil, err
	}
	return &forumData{cfg: cfg, forum: f, db: db, eng: eng}, nil
}

func findForum(cfg *config.Config, id string) (*bot.Forum, error) {
	var ids []string
	for _, f := range cfg.Forums {
		if f.ID == id {
			return f, nil
		}
		ids = append(ids, f.ID)
	}
	if id == "" {
		return nil, badInput("--forum is required (forums: %s)", strings.Join(ids, ", "))
	}
	return nil, badInput("--forum %q: no such forum (forums: %s)", id, strings.Join(ids, ", "))
}

func runDigest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("digest", "digest --config FILE --forum ID [--period YYYY-MM] [--commitment ID] [--format text|markdown|json]", stdout)
	path := fs.String("config", "", "config file")
	forumID := fs.String("forum", "", "forum id")
	period := fs.String("period", "", "reporting month, YYYY-MM (default: the latest round's)")
	only := fs.String("commitment", "", "one commitment only")
	format := fs.String("format", "text", "text, markdown or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !oneOf(*format, "text", "markdown", "json") {
		return badInput("--format %q: want text, markdown or json", *format)
	}
	fd, err := openForum(*path, *forumID, stderr)
	if err != nil {
		return err
	}
	defer fd.db.Close()
	f, eng := fd.forum, fd.eng
	if *only != "" {
		c, ok := f.Plan.Commitment(*only)
		if !ok {
			return badInput("--commitment %q: no such commitment in %s", *only, f.ID)
		}
		*only = c.ID
	}
	p, err := pickPeriod(ctx, fd.db, f, *period)
	if err != nil {
		return err
	}
	data, err := eng.DigestData(ctx, f, p, nil, *only)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(data)
	case "markdown":
		_, err = io.WriteString(stdout, bot.RenderMarkdown(bot.RenderDigest(eng.Texts(f.Locale), data)))
	default:
		_, err = io.WriteString(stdout, bot.RenderText(bot.RenderDigest(eng.Texts(f.Locale), data)))
	}
	return err
}

// pickPeriod returns the period asked for, or the forum's latest round's.
func pickPeriod(ctx context.Context, db bot.Store, f *bot.Forum, s string) (bot.Period, error) {
	if s != "" {
		p, err := bot.ParsePeriod(s)
		if err != nil {
			return p, badInput("--period: %s", bot.ErrorMessage(err))
		}
		return p, nil
	}
	rounds, err := db.Rounds(ctx, f.ID)
	if err != nil {
		return bot.Period{}, err
	}
	if len(rounds) == 0 {
		return bot.Period{}, badInput("forum %s has no rounds yet: there is nothing to digest until serve opens the first one (schedule %q)", f.ID, f.Schedule.Prompt)
	}
	return rounds[len(rounds)-1].Period, nil
}

func oneOf(s string, allowed ...string) bool {
	for _, a := range allowed {
		if s == a {
			return true
		}
	}
	return false
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", "export --config FILE --forum ID --format csv|json [--out FILE [--force]]", stdout)
	path := fs.String("config", "", "config file")
	forumID := fs.String("forum", "", "forum id")
	format := fs.String("format", "csv", "csv or json")
	out := addOutFlags(fs, "write to this new file (only you can read it) instead of standard output")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !oneOf(*format, "csv", "json") {
		return badInput("--format %q: want csv or json", *format)
	}
	if err := out.check(); err != nil {
		return err
	}
	fd, err := openForum(*path, *forumID, stderr)
	if err != nil {
		return err
	}
	defer fd.db.Close()
	rounds, err := fd.db.Rounds(ctx, fd.forum.ID)
	if err != nil {
		return err
	}
	return out.write(stdout, func(w io.Writer) error {
		return exportUpdates(ctx, fd.db, fd.forum.ID, rounds, bot.NewExportWriter(w, *format))
	})
}

// exportUpdates writes a forum's stored update versions a month at a
// time, oldest month first and in the order stored within a month, so
// that memory holds one month of the record, not all of it. Every update
// belongs to a round, so the rounds' months cover them all.
func exportUpdates(ctx context.Context, db bot.Store, forumID string, rounds []bot.Round, e *bot.ExportWriter) error {
	var periods []bot.Period
	for _, r := range rounds {
		periods = append(periods, r.Period)
	}
	slices.SortFunc(periods, bot.Period.Compare)
	for _, p := range slices.Compact(periods) {
		us, err := db.Updates(ctx, bot.UpdateFilter{ForumID: forumID, From: p, To: p})
		if err != nil {
			return err
		}
		if err := e.Write(us); err != nil {
			return err
		}
	}
	return e.Close()
}

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", "backup --config FILE OUT.db", stdout)
	path := fs.String("config", "", "config file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return badInput("give one output file: forumbot backup --config FILE OUT.db")
	}
	target := fs.Arg(0)
	if info, err := os.Lstat(target); err == nil && info.Mode()&os.ModeSymlink != 0 {
		return badInput("%s is a symbolic link; choose a new file name (a backup never follows a link nor overwrites)", target)
	} else if err == nil {
		return badInput("%s exists; choose a new file name (a backup never overwrites)", target)
	}
	cfg, err := loadConfig(*path, secretsUnused, stderr)
	if err != nil {
		return err
	}
	db, err := openRecord(cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, target); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", storeName(cfg), target)
	return nil
}
