// Package faults holds the fault-injection tests of the forumbot binary:
// each builds it once, runs forumbot serve as a subprocess against a stub
// of Slack's Web API on 127.0.0.1 (Slack's HTTP mode, so requests are
// signed HTTP and no websocket is needed), and kills it, starves it or
// tampers with its database; the failover test runs three of them on one
// PostgreSQL server the test starts (store/postgres/pgtest). The short
// variants run with go test; go test ./cmd/forumbot/faults -faults.long
// runs the long ones. docs/RELIABILITY.md lists what each proves.
// BenchmarkFanOutInstances (go test -run '^$' -bench FanOutInstances)
// measures a round's fan-out through one and three processes against a
// stub Slack that limits posts.
package faults
