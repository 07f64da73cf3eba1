package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"forumbot/bot/config"
	"forumbot/configs"
)

// The files demo --keep leaves: the example config, whose store.path
// (forumbot.db, relative to the config) names the database beside it.
const (
	demoConfigFile = "forumbot.yaml"
	demoStoreFile  = config.DefaultStorePath
)

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", "demo [--keep DIR]", stdout)
	keep := fs.String("keep", "", "keep the demo's database, and a config that reads it, in this directory (default: a temporary one, removed)")
	if err := parse(fs, args); err != nil {
		return err
	}
	dir := *keep
	if dir == "" {
		tmp, err := os.MkdirTemp("", "forumbot-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	} else if err := keepDir(dir); err != nil {
		return err
	}
	cfg, err := writeDemoConfig(dir)
	if err != nil {
		return err
	}
	d, err := newDemo(cfg, storePath(cfg), stdout)
	if err != nil {
		return err
	}
	err = d.run(ctx)
	d.close()
	if err != nil {
		return err
	}
	if *keep == "" {
		fmt.Fprintln(stdout, "\nThe demo's database was temporary. `forumbot demo --keep DIR` keeps it in DIR with a config")
		fmt.Fprintln(stdout, "that reads it, and prints the digest, export and report commands to try on it.")
	} else {
		printKept(stdout, cfg.Path)
	}
	fmt.Fprintln(stdout, "Next: configs/example.yaml and README.md.")
	return nil
}

// keepDir makes the --keep directory, refusing to overwrite a kept demo.
func keepDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return badInput("--keep: %v", err)
	}
	for _, name := range []string{demoConfigFile, demoStoreFile} {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err == nil {
			return badInput("--keep: %s exists; give a new or empty directory (the demo never overwrites)", path)
		}
	}
	return nil
}

// writeDemoConfig writes the example config into dir and loads it from
// there: the demo runs on exactly what it keeps.
func writeDemoConfig(dir string) (*config.Config, error) {
	path := filepath.Join(dir, demoConfigFile)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	_, err = f.Write(configs.Example)
	if err := errors.Join(err, f.Close()); err != nil {
		return nil, err
	}
	cfg, err := config.Load(path, config.Options{IgnoreUnsetEnv: true, SkipSecrets: true})
	if err != nil {
		return nil, fmt.Errorf("the example config: %w", err)
	}
	return cfg, nil
}

// printKept prints the commands that read the kept demo back.
func printKept(w io.Writer, cfgPath string) {
	c := "--config " + shellQuote(cfgPath)
	fmt.Fprintf(w, "\nKept in %s: %s (the database) and %s (the example config, whose store.path names it).\n",
		shellQuote(filepath.Dir(cfgPath)), demoStoreFile, demoConfigFile)
	fmt.Fprintln(w, "Read it back with:")
	fmt.Fprintln(w)
	for _, cmd := range []string{
		"digest " + c + " --forum cotabato",
		"digest " + c + " --forum cotabato --period 2026-10 --format markdown",
		"export " + c + " --forum cotabato --format csv",
		"report " + c + " --forum cotabato --format markdown",
		"validate " + c,
	} {
		fmt.Fprintln(w, "  forumbot "+cmd)
	}
	fmt.Fprintln(w, "\nNone of them needs a token; validate warns about the Slack and Discord tokens unset here, as serve needs them.")
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-:@+,=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
