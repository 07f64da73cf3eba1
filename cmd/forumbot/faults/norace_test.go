//go:build !race

package faults_test

// raceEnabled builds the binary with the race detector when the tests run
// with it: the packages are then already compiled that way.
const raceEnabled = false
