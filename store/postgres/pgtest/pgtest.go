// Package pgtest starts a real PostgreSQL server for a test binary: initdb
// into a temporary directory, pg_ctl on a free port of 127.0.0.1, stopped
// when the tests end, and a fresh database for each test. Run it from
// TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
// and take a database with URL(t); the server starts on the first call.
// Where the server's binaries cannot be found (no PostgreSQL installed;
// .ci/run installs it from Debian's packages), URL skips the test and
// says so. Run as root, initdb and the server run as the postgres user
// (or nobody), which own the directory.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Server is a PostgreSQL server running for the tests.
type Server struct {
	dir, bin, port, owner string
	dbs                   atomic.Int64
}

// The test binary's server, started by the first test that asks for one;
// nil with why when none could be.
var (
	mu      sync.Mutex
	inMain  bool
	started bool
	server  *Server
	missing string // why there is no server: its binaries are missing
	failed  string // why there is no server: it would not start
)

// Main runs the tests and stops the server if one of them started it,
// returning m.Run's exit code. The server starts on the first call of
// URL or Get, so that a run of tests that need none starts none.
func Main(m *testing.M) int {
	mu.Lock()
	inMain = true
	mu.Unlock()
	code := m.Run()
	mu.Lock()
	defer mu.Unlock()
	if server != nil {
		server.Stop()
		server = nil
	}
	return code
}

var errNoBinaries = errors.New("PostgreSQL's server binaries (initdb, pg_ctl) were not found: install PostgreSQL (Debian: apt-get install postgresql; .ci/run does) or set PG_BINDIR")

// bindir finds initdb and pg_ctl: PG_BINDIR, the newest of Debian's
// /usr/lib/postgresql/*/bin, or PATH.
func bindir() (string, error) {
	if d := os.Getenv("PG_BINDIR"); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errNoBinaries
}

func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// Start runs initdb and starts a server on a free port of 127.0.0.1.
func Start() (*Server, error) {
	bin, err := bindir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "forumbot-pg-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, bin: bin}
	if os.Geteuid() == 0 {
		// initdb refuses to run as root: the server runs as an
		// unprivileged user that owns its directory.
		for _, name := range []string{"postgres", "nobody"} {
			if u, err := user.Lookup(name); err == nil {
				uid, _ := strconv.Atoi(u.Uid)
				gid, _ := strconv.Atoi(u.Gid)
				if err := os.Chown(dir, uid, gid); err != nil {
					return nil, err
				}
				s.owner = name
				break
			}
		}
		if s.owner == "" {
			return nil, fmt.Errorf("running as root and no postgres or nobody user to run the server as")
		}
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s.port = port
	data := filepath.Join(dir, "data")
	if out, err := s.run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"); err != nil {
		s.remove()
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	fsync := "off"
	if os.Getenv("PGTEST_FSYNC") == "on" {
		fsync = "on"
	}
	opts := fmt.Sprintf("-p %s -k %s -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=%s -c full_page_writes=%s -c synchronous_commit=%s",
		port, dir, fsync, fsync, fsync)
	if out, err := s.run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		s.remove()
		return nil, fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	return s, nil
}

// run runs one of the server's binaries as the server's owner.
func (s *Server) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	if s.owner != "" {
		cmd = exec.Command("runuser", append([]string{"-u", s.owner, "--", filepath.Join(s.bin, name)}, args...)...)
	}
	cmd.Dir = s.dir
	return cmd.CombinedOutput()
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	_, port, err := net.SplitHostPort(ln.Addr().String())
	return port, err
}

// Stop stops the server at once and removes its directory.
func (s *Server) Stop() {
	s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop")
	s.remove()
}

func (s *Server) remove() { os.RemoveAll(s.dir) }

// admin is the URL of the server's postgres database.
func (s *Server) admin() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%s/postgres?sslmode=disable", s.port)
}

// NewDatabase creates an empty database and returns its URL; it is
// dropped at the test's cleanup.
func (s *Server) NewDatabase(tb testing.TB) string {
	tb.Helper()
	name := fmt.Sprintf("t%d_%d", os.Getpid(), s.dbs.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.admin())
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, s.admin())
		if err != nil {
			return
		}
		defer conn.Close(ctx)
		conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return strings.Replace(s.admin(), "/postgres?", "/"+name+"?", 1)
}

// URL returns a fresh database on the test binary's server, skipping the
// test, with the reason, when there is no server.
func URL(tb testing.TB) string {
	tb.Helper()
	s := Get(tb)
	return s.NewDatabase(tb)
}

// Get returns the test binary's server, starting it on the first call.
// Where the server's binaries are missing it skips the test, saying so; a
// server that cannot be started otherwise fails it.
func Get(tb testing.TB) *Server {
	tb.Helper()
	mu.Lock()
	defer mu.Unlock()
	if !inMain {
		tb.Fatal("pgtest: call pgtest.Main from the package's TestMain, which stops the server at the end")
	}
	if !started {
		started = true
		s, err := Start()
		switch {
		case errors.Is(err, errNoBinaries):
			missing = err.Error()
		case err != nil:
			failed = err.Error()
		default:
			server = s
		}
	}
	switch {
	case failed != "":
		tb.Fatal("pgtest: the server could not be started: " + failed)
	case server == nil:
		tb.Skip("PostgreSQL test skipped: " + missing)
	}
	return server
}
