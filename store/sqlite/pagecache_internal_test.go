package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"

	"forumbot/bot"
)

// TestPagesComeFromThePool opens a store, writes and reads through it,
// and asks SQLite where its page caches' pages came from: the pool, each
// request fitting a slot, and none from the allocator.
func TestPagesComeFromThePool(t *testing.T) {
	if poolErr != nil {
		t.Fatal(poolErr)
	}
	db := NewDB(filepath.Join(t.TempDir(), "pool.db"))
	r := openWithRound(t, db)
	ctx := context.Background()
	for i := range 20 {
		// Each answer is a commit, after which a reader empties its cache.
		u := bot.Update{ForumID: "f", Period: r.Period, RoundID: r.ID, CommitmentID: "C1", Member: "local:ana",
			Group: bot.Government, Completion: bot.Limited, Source: bot.SourceForm, SubmittedAt: r.OpenedAt.Add(time.Duration(i) * time.Minute)}
		if _, _, err := db.AddUpdate(ctx, u); err != nil {
			t.Fatal(err)
		}
		if us, err := db.Updates(ctx, bot.UpdateFilter{Member: "local:ana", RoundID: r.ID}); err != nil || len(us) != i+1 {
			t.Fatalf("after answer %d: %d updates, %v", i+1, len(us), err)
		}
	}

	used, _ := pageStatus(t, sqlite3.SQLITE_STATUS_PAGECACHE_USED)
	overflow, _ := pageStatus(t, sqlite3.SQLITE_STATUS_PAGECACHE_OVERFLOW)
	_, largest := pageStatus(t, sqlite3.SQLITE_STATUS_PAGECACHE_SIZE)
	if used == 0 {
		t.Error("no page of the open store's caches is in the pool")
	}
	if overflow != 0 {
		t.Errorf("%d bytes of page cache came from the allocator, not the pool", overflow)
	}
	if largest < poolPageSize || largest > int64(poolSlot) {
		t.Errorf("the largest page cache request was %d bytes, want a page (%d) and its header within a slot (%d)", largest, poolPageSize, poolSlot)
	}
}

// pageStatus reads one of SQLite's process-wide memory counters.
func pageStatus(t *testing.T, op int32) (current, highwater int64) {
	t.Helper()
	tls := libc.NewTLS()
	defer tls.Close()
	out := libc.Xmalloc(tls, 16)
	if out == 0 {
		t.Fatal("out of memory")
	}
	defer libc.Xfree(tls, out)
	if rc := sqlite3.Xsqlite3_status64(tls, op, out, out+8, 0); rc != sqlite3.SQLITE_OK {
		t.Fatalf("sqlite3_status64(%d): %d", op, rc)
	}
	return *(*int64)(unsafe.Add(nil, out)), *(*int64)(unsafe.Add(nil, out+8))
}
