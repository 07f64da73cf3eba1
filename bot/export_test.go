package bot

import (
	"io/fs"
	"testing"
)

// UseCatalogs makes the bot speak the catalogs locales/*.yaml of fsys, as
// if they were the files of bot/locales, until the test ends. Tests that
// call it must not run in parallel.
func UseCatalogs(t testing.TB, fsys fs.FS) {
	t.Helper()
	l, err := loadLanguages(fsys)
	if err != nil {
		t.Fatal(err)
	}
	old := langs
	langs = l
	t.Cleanup(func() { langs = old })
}

// What bot's black-box tests (package bot_test) check that no other
// package needs: exported to them only.
var (
	AwayExample      = awayExample
	CatalogFiles     = catalogFiles
	CommandWords     = commandWords
	ExportColumns    = exportColumns
	ProgressBar      = progressBar
	ReportCSVColumns = reportCSVColumns
	ParseReply       = parseReply
	DIOGs            = diogs
)

// The calculations behind the digest, the report and the status reply,
// apart from their wording, and the export written whole.
var (
	BuildDigest      = buildDigest
	BuildReport      = buildReport
	RenderStatus     = renderStatus
	WriteUpdatesCSV  = writeUpdatesCSV
	WriteUpdatesJSON = writeUpdatesJSON
)

type (
	DigestInput = digestInput
	ReportInput = reportInput
	StatusInput = statusInput
)
