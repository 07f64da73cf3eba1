package sqlitetest_test

import (
	"os"
	"testing"

	"forumbot/store/sqlite/sqlitetest"
)

// BenchmarkSeedStandard builds the standard seeded forum (100 commitments
// × 30 members × 24 months) from scratch, once: how long a cold cache
// takes, and the database's size.
func BenchmarkSeedStandard(b *testing.B) {
	for b.Loop() {
		path := b.TempDir() + "/standard.db"
		if err := sqlitetest.Build(path, sqlitetest.Standard); err != nil {
			b.Fatal(err)
		}
		if fi, err := os.Stat(path); err == nil {
			b.ReportMetric(float64(fi.Size())/1e6, "MB")
		}
	}
}
