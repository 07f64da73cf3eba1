package config_test

import (
	"strings"
	"testing"
	"time"

	"forumbot/bot/config"
)

// TestStoreURL reads store.url (PostgreSQL) beside store.path (SQLite):
// one of the two, a URL that is one, its password from the environment
// and never echoed, and the lease only with a URL.
func TestStoreURL(t *testing.T) {
	const forum = `
forums:
  - id: f
    name: F
    timezone: UTC
    digest_channel: local:d
    coordinators: [local:c]
    schedule: {prompt: "@monthly", window: 36h}
    plan: {id: P, commitments: [{id: C, title: T, committee: [{who: local:m, name: M, group: government, org: O}]}]}
`
	env := map[string]string{"PG_URL": "postgres://bot:s3cret@db:5432/forumbot"}
	getenv := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	tests := []struct {
		name, store    string
		url, path, err string
		lease          time.Duration
	}{
		{"SQLiteByDefault", "", "", config.DefaultStorePath, "", config.DefaultLease},
		{"URLFromEnv", "store: {url: '${PG_URL}'}", env["PG_URL"], "", "", config.DefaultLease},
		{"Lease", "store: {url: 'postgres://db/f', lease: 3s}", "postgres://db/f", "", "", 3 * time.Second},
		{"Both", "store: {url: 'postgres://db/f', path: x.db}", "", "", "store: both path and url are set", 0},
		{"NotPostgres", "store: {url: 'mysql://bot:pw@db/f'}", "", "", "store.url: not a PostgreSQL URL", 0},
		{"LeaseWithoutURL", "store: {lease: 3s}", "", "", "store.lease: set without store.url", 0},
		{"LeaseTooShort", "store: {url: 'postgres://db/f', lease: 100ms}", "", "", `store.lease: "100ms" is out of range`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Parse([]byte(tt.store+forum), "store.yaml", config.Options{Getenv: getenv, RequireEnv: true})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %v, want an error containing %q", err, tt.err)
				}
				if strings.Contains(err.Error(), "pw@") {
					t.Errorf("the message shows the URL's password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.File.Store.URL != tt.url || cfg.File.Store.Path != tt.path || cfg.Lease != tt.lease {
				t.Errorf("url %q path %q lease %s, want %q %q %s", cfg.File.Store.URL, cfg.File.Store.Path, cfg.Lease, tt.url, tt.path, tt.lease)
			}
		})
	}
}
