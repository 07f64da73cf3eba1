package faults_test

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"forumbot/store/postgres/pgtest"
)

// long runs the long variants: more members, more kills, longer storms.
var long = flag.Bool("faults.long", false, "run the long fault-injection variants (minutes each)")

// binary is the forumbot binary the tests run, built once by TestMain.
var binary string

// TestMain builds forumbot into a temporary directory: with the race
// detector when the tests have it (so a race in the binary fails the test
// that saw it), else static, as configs/Dockerfile builds it. It runs the
// tests with a PostgreSQL server for the failover test (pgtest).
func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "forumbot-faults-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "forumbot")
	args := []string{"build", "-o", binary}
	env := os.Environ()
	if raceEnabled {
		args = append(args, "-race")
	} else {
		env = append(env, "CGO_ENABLED=0")
	}
	build := exec.Command("go", append(args, "forumbot/cmd/forumbot")...)
	build.Env, build.Stdout, build.Stderr = env, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building forumbot:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := pgtest.Main(m)
	os.RemoveAll(dir)
	os.Exit(code)
}
