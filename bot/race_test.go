//go:build race

package bot_test

// raceDetector is true when the tests run under -race, which slows the
// SQLite driver about tenfold: the generated-forum tests then run fewer
// cases by default.
const raceDetector = true
