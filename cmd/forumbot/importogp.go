package main

import (
	"fmt"
	"io"
	"os"

	"forumbot/bot/config"
	"forumbot/bot/ogp"
)

// importOGPHelp is the synopsis and description of import-ogp.
const importOGPHelp = `import-ogp FILE.csv [--locality NAME] [--plan ID] [--out FILE [--force]]

Turns OGP's commitment data export (CSV) into a forum config following one
action plan. A forum follows one plan: when the rows hold several and --plan
does not choose one, the plans found (id, locality, commitments, dates) are
listed and nothing is written.

The full "Commitment Title" is the title, "Short Title" the short_title.
Dated milestones are read from the milestone table in "Full Text" (English,
Spanish, French, Portuguese); each commitment gets a note saying how many, or
why none. E-mail addresses and phone numbers are removed, each removal
reported. locale and timezone are proposed from the country or locality and
marked for review in the YAML. Problems, notes and the plans found go to
standard error.`

func runImportOGP(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import-ogp", importOGPHelp, stdout)
	locality := fs.String("locality", "", "keep rows whose Country/Locality contains `NAME`, case and accents ignored")
	plan := fs.String("plan", "", "import the plan with this Action Plan `ID` (e.g. AP_PHSC01); needed when the rows hold several")
	out := addOutFlags(fs, "write the YAML to this new `FILE` (only you can read it) instead of standard output")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return badInput("give one CSV file: forumbot import-ogp FILE.csv")
	}
	if err := out.check(); err != nil {
		return err
	}
	in, err := os.Open(fs.Arg(0))
	if err != nil {
		return badInput("%v", err)
	}
	defer in.Close()
	res, err := ogp.Read(in, ogp.Options{Locality: *locality, Plan: *plan})
	for _, p := range res.Problems {
		fmt.Fprintf(stderr, "warning: %s: %s\n", fs.Arg(0), p)
	}
	printPlans(stderr, res, err == nil)
	if err != nil {
		if len(res.Plans) > 1 && *plan == "" {
			return badInput("%s: %v; import again with --plan ID", fs.Arg(0), err)
		}
		return badInput("%s: %v", fs.Arg(0), err)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(stderr, "note: %s: %s\n", fs.Arg(0), n)
	}
	for _, p := range res.Proposals {
		for _, note := range p.Notes() {
			fmt.Fprintf(stderr, "note: %s\n", note)
		}
	}
	data, err := ogp.Marshal(res.File, res.Proposals...)
	if err != nil {
		return err
	}
	// What we print must be a config validate accepts; anything else is a
	// bug in the importer, not in the input.
	if _, err := config.Parse(data, "imported.yaml", config.Options{}); err != nil {
		return fmt.Errorf("the imported plan does not validate (please report this): %w", err)
	}
	if err := out.write(stdout, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}); err != nil || *out.path == "" {
		return err
	}
	n := 0
	for _, f := range res.File.Forums {
		n += len(f.Plan.Commitments)
	}
	fmt.Fprintf(stdout, "wrote %d commitment(s) to %s; add committees, a digest channel and coordinators, then run forumbot validate --config %s\n", n, *out.path, *out.path)
	return nil
}

// printPlans lists the action plans found, marking the one imported.
func printPlans(w io.Writer, res ogp.Result, imported bool) {
	if len(res.Plans) == 0 {
		return
	}
	fmt.Fprintf(w, "action plans found (%d):\n", len(res.Plans))
	for _, p := range res.Plans {
		mark := "  "
		if imported && len(res.File.Forums) == 1 && res.File.Forums[0].Plan.ID == p.ID {
			mark = "* "
		}
		fmt.Fprintf(w, "%s%s\n", mark, p)
	}
	if imported {
		fmt.Fprintln(w, "(* imported)")
	}
}
