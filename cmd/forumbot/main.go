// Command forumbot runs the follow-up committees of an open-government
// action plan in Slack and Discord. See README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // forum time zones work on machines without tzdata

	"forumbot/bot"
)

// Exit codes.
const (
	exitOK      = 0
	exitRuntime = 1
	exitUsage   = 2
)

// usageError is bad input or configuration: exit 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func badInput(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

const usage = `forumbot runs the monthly progress reporting of an open-government forum's
follow-up committees in Slack and Discord.

Usage: forumbot <command> [flags]

Commands:
  demo          run one reporting month of the example forum on the local chat
  serve         run the bot (needs a config and platform tokens)
  validate      check a config file
  digest        print a forum's implementation digest
  export        write every update with its history as CSV or JSON
  report        write an implementation report (Markdown, HTML, CSV, JSON)
  import-ogp    turn one action plan of OGP's commitment export (CSV) into a config
  backup        copy the live database to a file
  site          write the public site of the public forums as static files
  verify        recompute the record's hash chain and name the first broken link
  discord       invite-url: print the URL that adds the bot to a server
  help          show this help

Run 'forumbot <command> --help' for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "demo":
		err = runDemo(ctx, rest, stdout, stderr)
	case "serve":
		err = runServe(ctx, rest, stdout, stderr)
	case "validate":
		err = runValidate(rest, stdout, stderr)
	case "digest":
		err = runDigest(ctx, rest, stdout, stderr)
	case "export":
		err = runExport(ctx, rest, stdout, stderr)
	case "report":
		err = runReport(ctx, rest, stdout, stderr)
	case "import-ogp":
		err = runImportOGP(rest, stdout, stderr)
	case "backup":
		err = runBackup(ctx, rest, stdout, stderr)
	case "site":
		err = runSite(ctx, rest, stdout, stderr)
	case "verify":
		err = runVerify(ctx, rest, stdout, stderr)
	case "discord":
		err = runDiscord(rest, stdout, stderr)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "forumbot: unknown command %q\n\n%s", cmd, usage)
		return exitUsage
	}
	return exitCode(err, stderr)
}

// exitCode prints err, if any, and returns the exit code it calls for: bad
// input is a usage error, and so is an engine's or a store's ENOTFOUND or
// EINVALID (no round in that period, a database of another schema), as
// the person can fix it.
func exitCode(err error, stderr io.Writer) int {
	var ue usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return exitOK
	case errors.As(err, &ue), bot.ErrorCode(err) == bot.ENOTFOUND, bot.ErrorCode(err) == bot.EINVALID:
		fmt.Fprintf(stderr, "forumbot: %s\n", message(err))
		return exitUsage
	default:
		fmt.Fprintf(stderr, "forumbot: %s\n", message(err))
		return exitRuntime
	}
}

// message is err's text without the code of a *bot.Error in it: "forum f:
// no round was held…", not "forum f: not_found: no round was held…".
func message(err error) string {
	var e *bot.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	return strings.Replace(err.Error(), e.Error(), e.Message, 1)
}
