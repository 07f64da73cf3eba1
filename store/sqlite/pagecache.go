package sqlite

import (
	"errors"
	"fmt"
	"unsafe"

	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLite's page caches take their pages from one pool set aside for the
// process (SQLITE_CONFIG_PAGECACHE), not one by one from the C allocator.
//
// In WAL mode a reader that finds the database changed since its last
// read empties its page cache, and during a round the writer commits
// every few milliseconds. Emptied pages went back to the allocator that
// modernc transpiles with SQLite, which gives memory past a few megabytes
// back to the kernel one madvise call at a time, and the next read
// allocated and faulted them in again: two thirds of a digest's time on
// 1,000 commitments, and most of what reading the round cost when a form
// was acknowledged on two years of history (docs/BENCHMARKS.md, "The page
// cache's pool"). Pages of the pool go back to the pool.
//
// The pool is also the page caches' budget: when it is nearly used up,
// each connection reuses its own least recently used pages rather than
// taking more (and a page that cannot wait comes from the allocator, as
// before). 4,096 pages (about 18 MB) measured the same as twice and half
// as many on a round and on the 1,000-commitment digest. It is reserved
// here, at start-up, and becomes resident when SQLite first opens a
// database, as SQLite lays out its free list.
const (
	poolPages = 4096
	// poolPageSize is the database page size the pool's slots hold: the
	// default, which forumbot never changes. A database with bigger
	// pages would take them from the allocator.
	poolPageSize = 4096
)

var (
	// poolSlot is the size of the pool's slots, once set aside.
	poolSlot int
	// poolErr is why the pool could not be set aside, if it could not.
	poolErr = setAsidePagePool()
)

// PagePoolErr says why the page pool could not be set aside, or nil. The
// store works without it, its page caches taking their pages from the
// allocator, as SQLite does by default: slower to read after each commit.
func PagePoolErr() error { return poolErr }

// setAsidePagePool gives SQLite the page pool. It must run before SQLite
// initializes, which it does when it opens its first connection: hence a
// package variable's initializer, which runs before any code of this
// package can open one. A process that never opens a database never
// touches the pool's memory.
func setAsidePagePool() error {
	tls := libc.NewTLS()
	defer tls.Close()
	// SQLite's variadic arguments (three at most), then the header size
	// it reports.
	c := libc.Xmalloc(tls, 4*8)
	if c == 0 {
		return errPoolMemory
	}
	defer libc.Xfree(tls, c)
	args, hdr := c, c+3*8
	if rc := sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PCACHE_HDRSZ, libc.VaList(args, hdr)); rc != sqlite3.SQLITE_OK {
		return fmt.Errorf("sqlite: the page header size: SQLite said %d", rc)
	}
	size := poolSlotSize(int(*(*int32)(unsafe.Add(nil, hdr))))
	pool := libc.Xmalloc(tls, types.Size_t(size*poolPages))
	if pool == 0 {
		return errPoolMemory
	}
	if rc := sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PAGECACHE, libc.VaList(args, pool, int32(size), int32(poolPages))); rc != sqlite3.SQLITE_OK {
		libc.Xfree(tls, pool)
		return fmt.Errorf("sqlite: setting aside the page pool: SQLite said %d (was it opened before?)", rc)
	}
	poolSlot = size
	return nil
}

var errPoolMemory = errors.New("sqlite: out of memory setting aside the page pool")

// poolSlotSize is a slot of the pool: a page and SQLite's header for it,
// rounded up to 8 bytes as SQLite aligns them.
func poolSlotSize(header int) int {
	return (poolPageSize + header + 7) &^ 7
}
