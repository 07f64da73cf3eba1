// Package configs embeds the example configuration, so that the demo and
// the tests run on it without a file on disk.
package configs

import _ "embed"

// Example is configs/example.yaml: a realistic forum with five commitments
// and committees mixing government and civil-society members.
//
//go:embed example.yaml
var Example []byte
