package ogp_test

import (
	"os"
	"slices"
	"testing"

	"forumbot/bot"
	"forumbot/bot/config"
	"forumbot/bot/ogp"
)

// samplePath is the real 40-row, 171-column sample of OGP's export.
const samplePath = "../../testdata/ogp-commitments-sample.csv"

// importSample imports the sample with opts and fails on an error.
func importSample(t *testing.T, opts ogp.Options) (config.File, []ogp.Problem) {
	t.Helper()
	f, err := os.Open(samplePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	file, problems, err := ogp.Import(f, opts)
	if err != nil {
		t.Fatalf("Import(%+v): %v", opts, err)
	}
	if len(file.Forums) != 1 {
		t.Fatalf("got %d forums, want 1", len(file.Forums))
	}
	return file, problems
}

// importSampleErr imports the sample with opts and returns the error.
func importSampleErr(t *testing.T, opts ogp.Options) error {
	t.Helper()
	f, err := os.Open(samplePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, _, err = ogp.Import(f, opts)
	return err
}

// sampleProblems are the problems importing every plan of the sample
// reports: contact details removed, and a due date before its start.
var sampleProblems = slices.Concat(sampleContactRemovals[:5], []string{
	`row 9, column "Full Text": milestone M4 "Development of new rules, tools and gui…" is due 2025-06-30, before it starts 2025-09-01; due date left empty`,
}, sampleContactRemovals[5:])

// importEachPlan imports every action plan of the sample on its own, as a
// person choosing each with --plan would, and returns the files in the
// order Read lists the plans, with the problems of all in row order.
func importEachPlan(t *testing.T) ([]config.File, []ogp.Problem) {
	t.Helper()
	f, err := os.Open(samplePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := ogp.Read(f, ogp.Options{})
	if bot.ErrorCode(err) != bot.EINVALID || len(res.Plans) < 2 {
		t.Fatalf("Read: got %v and %d plans, want an %s error listing the plans", err, len(res.Plans), bot.EINVALID)
	}
	var files []config.File
	var problems []ogp.Problem
	for _, p := range res.Plans {
		file, ps := importSample(t, ogp.Options{Plan: p.ID})
		files = append(files, file)
		problems = append(problems, ps...)
	}
	slices.SortStableFunc(problems, func(a, b ogp.Problem) int { return a.Row - b.Row })
	return files, problems
}

// merged puts the commitments of every file in one file, to find them by
// id.
func merged(files []config.File) config.File {
	var all []config.CommitmentConfig
	for _, f := range files {
		all = append(all, f.Forums[0].Plan.Commitments...)
	}
	return config.File{Forums: []config.ForumConfig{{Plan: config.PlanConfig{Commitments: all}}}}
}

// wholeSample imports each plan of the sample and merges their commitments.
func wholeSample(t *testing.T) (config.File, []ogp.Problem) {
	t.Helper()
	files, problems := importEachPlan(t)
	return merged(files), problems
}

// ids lists the ids of a plan's commitments.
func ids(p config.PlanConfig) []string {
	var out []string
	for _, c := range p.Commitments {
		out = append(out, c.ID)
	}
	return out
}

// find returns the commitment with the given id.
func find(t *testing.T, file config.File, id string) config.CommitmentConfig {
	t.Helper()
	for _, c := range file.Forums[0].Plan.Commitments {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no commitment %s", id)
	return config.CommitmentConfig{}
}

// readSample reads the sample with opts.
func readSample(t *testing.T, opts ogp.Options) (ogp.Result, error) {
	t.Helper()
	f, err := os.Open(samplePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return ogp.Read(f, opts)
}
