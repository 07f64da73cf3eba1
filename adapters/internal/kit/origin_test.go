package kit

import (
	"net/http/httptest"
	"testing"
)

func TestSameOrigin(t *testing.T) {
	for _, c := range []struct {
		name           string
		origin, site   string
		fetch, against string
		want           bool
	}{
		{"no Origin", "", "", "", "https://forum.example.org", true},
		{"the site", "https://forum.example.org", "", "same-origin", "https://forum.example.org", true},
		{"the site, in other case", "https://Forum.Example.org", "", "", "https://forum.example.org", true},
		{"another site", "https://evil.example", "", "", "https://forum.example.org", false},
		{"another scheme", "http://forum.example.org", "", "", "https://forum.example.org", false},
		{"another port", "https://forum.example.org:8443", "", "", "https://forum.example.org", false},
		{"cross-site fetch without Origin", "", "", "cross-site", "https://forum.example.org", false},
		{"opaque, same-origin fetch", "null", "", "same-origin", "https://forum.example.org", true},
		{"opaque, no fetch header", "null", "", "", "https://forum.example.org", false},
		{"the request's host", "http://127.0.0.1:8080", "127.0.0.1:8080", "", "", true},
		{"not the request's host", "http://127.0.0.1:9", "127.0.0.1:8080", "", "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "http://127.0.0.1:8080/form", nil)
			if c.site != "" {
				r.Host = c.site
			}
			if c.origin != "" {
				r.Header.Set("Origin", c.origin)
			}
			if c.fetch != "" {
				r.Header.Set("Sec-Fetch-Site", c.fetch)
			}
			if got := SameOrigin(r, c.against); got != c.want {
				t.Errorf("SameOrigin = %v, want %v", got, c.want)
			}
		})
	}
}
