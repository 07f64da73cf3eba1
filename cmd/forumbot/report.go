package main

import (
	"context"
	"io"

	"forumbot/bot"
)

func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", "report --config FILE --forum ID [--from YYYY-MM --to YYYY-MM] --format markdown|html|csv|json [--locale en|es|fr|pt] [--out FILE [--force]]", stdout)
	path := fs.String("config", "", "config file")
	forumID := fs.String("forum", "", "forum id")
	from := fs.String("from", "", "first period, YYYY-MM (default: the plan's start)")
	to := fs.String("to", "", "last period, YYYY-MM (default: the plan's end, or this month if sooner)")
	format := fs.String("format", "markdown", "markdown, html, csv or json")
	locale := fs.String("locale", "", "language of the report (default: the forum's)")
	out := addOutFlags(fs, "write to this new file (only you can read it) instead of standard output")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := out.check(); err != nil {
		return err
	}
	if !oneOf(*format, "markdown", "html", "csv", "json") {
		return badInput("--format %q: want markdown, html, csv or json", *format)
	}
	if *locale != "" && !oneOf(*locale, bot.Locales()...) {
		return badInput("--locale %q: want one of en, es, fr, pt", *locale)
	}
	var span [2]bot.Period
	for i, s := range []string{*from, *to} {
		if s == "" {
			continue
		}
		p, err := bot.ParsePeriod(s)
		if err != nil {
			return badInput("--%s: %s", []string{"from", "to"}[i], bot.ErrorMessage(err))
		}
		span[i] = p
	}
	if !span[0].IsZero() && !span[1].IsZero() && span[1].Compare(span[0]) < 0 {
		return badInput("--to %s is before --from %s", span[1], span[0])
	}
	fd, err := openForum(*path, *forumID, stderr)
	if err != nil {
		return err
	}
	defer fd.db.Close()
	r, err := fd.eng.Report(ctx, fd.forum, span[0], span[1])
	if err != nil {
		return err
	}
	if *locale == "" {
		*locale = fd.forum.Locale
	}
	t := fd.eng.Texts(*locale)
	return out.write(stdout, func(w io.Writer) error {
		switch *format {
		case "html":
			return bot.WriteReportHTML(w, t, r)
		case "csv":
			return bot.WriteReportCSV(w, r)
		case "json":
			return bot.WriteReportJSON(w, r)
		}
		return bot.WriteReportMarkdown(w, t, r)
	})
}
