package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"forumbot/bot/config"
)

// errHelp reports that --help was asked for and printed: exit 0.
var errHelp = errors.New("help shown")

// newFlags returns a flag set whose --help prints the command's usage to
// stdout and whose errors are usage errors.
func newFlags(name, synopsis string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() {
		fmt.Fprintf(stdout, "Usage: forumbot %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, turning flag errors into usage errors.
func parse(fs *flag.FlagSet, args []string) error {
	// Allow flags after positional arguments: forumbot backup OUT.db --config F.
	var flags, positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if f := fs.Lookup(name); f != nil && !strings.Contains(a, "=") && !isBool(f) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		positional = append(positional, a)
	}
	err := fs.Parse(append(flags, append([]string{"--"}, positional...)...))
	switch {
	case errors.Is(err, flag.ErrHelp):
		return errHelp
	case err != nil:
		return usageError{err}
	}
	return nil
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// Secrets a command needs from the environment.
const (
	secretsUnused   = iota // digest, export, report, backup: not checked at all
	secretsChecked         // validate: warn about unset variables
	secretsRequired        // serve: unset variables are errors
)

// loadConfig reads and validates a config, printing warnings to stderr. A
// bad config is a usage error.
func loadConfig(path string, secrets int, stderr io.Writer) (*config.Config, error) {
	if path == "" {
		return nil, badInput("--config is required (e.g. --config configs/example.yaml)")
	}
	cfg, err := config.Load(path, config.Options{
		RequireEnv:     secrets == secretsRequired,
		IgnoreUnsetEnv: secrets == secretsUnused,
		SkipSecrets:    secrets == secretsUnused,
	})
	if cfg != nil {
		for _, w := range cfg.Warnings {
			fmt.Fprintln(stderr, "warning:", w)
		}
	}
	var errs config.Errors
	switch {
	case errors.As(err, &errs):
		return nil, usageError{fmt.Errorf("%d problem(s) in the config:\n%w", len(errs), err)}
	case err != nil:
		return nil, badInput("%v", err)
	}
	return cfg, nil
}
