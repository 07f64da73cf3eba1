//go:build !race

package bot_test

// raceDetector is true when the tests run under -race.
const raceDetector = false
