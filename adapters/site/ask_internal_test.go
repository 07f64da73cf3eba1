package site

import (
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// TestClientAddresses: the rate limit counts an IPv4 address alone and
// an IPv6 address by its /64, an IPv4-mapped one as IPv4.
func TestClientAddresses(t *testing.T) {
	key := func(remote string) string {
		r := httptest.NewRequest("POST", "/", nil)
		r.RemoteAddr = remote
		return clientAddr(r)
	}
	if a, b := key("[2001:db8:1:2::1]:1234"), key("[2001:db8:1:2:ffff::9]:99"); a != b || a != "2001:db8:1:2::/64" {
		t.Errorf("one /64 counts as %q and %q", a, b)
	}
	if a, b := key("[2001:db8:1:2::1]:1"), key("[2001:db8:1:3::1]:1"); a == b {
		t.Errorf("two /64s count as one: %q", a)
	}
	if a, b := key("192.0.2.1:5"), key("192.0.2.2:5"); a == b || a != "192.0.2.1" {
		t.Errorf("two IPv4 addresses count as %q and %q", a, b)
	}
	if a := key("[::ffff:192.0.2.1]:5"); a != "192.0.2.1" {
		t.Errorf("an IPv4-mapped address counts as %q", a)
	}
}

// TestRateLimitKeepsFewAddresses: past maxAddrs addresses within an hour
// a new address waits; an hour later the idle ones are forgotten.
func TestRateLimitKeepsFewAddresses(t *testing.T) {
	a := newAsking("secret", 5, 1<<30)
	now := time.Date(2026, time.November, 30, 12, 0, 0, 0, time.UTC)
	for i := range maxAddrs {
		if _, ok := a.allow("addr-"+strconv.Itoa(i), now); !ok {
			t.Fatalf("address %d refused", i)
		}
	}
	if wait, ok := a.allow("one-more", now); ok || wait <= 0 {
		t.Errorf("address %d: allowed %v, wait %v; want a wait", maxAddrs+1, ok, wait)
	}
	if _, ok := a.allow("addr-1", now); !ok {
		t.Errorf("a known address is refused while others wait")
	}
	if _, ok := a.allow("one-more", now.Add(time.Hour+time.Second)); !ok || len(a.byAddr) > 2 {
		t.Errorf("an hour later: allowed %v with %d addresses kept", ok, len(a.byAddr))
	}
}
