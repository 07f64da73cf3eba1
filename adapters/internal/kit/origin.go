package kit

import (
	"net/http"
	"net/url"
	"strings"
)

// SameOrigin reports whether a form's post comes from the site that
// served the form, as far as the browser says: not when Sec-Fetch-Site
// says cross-site, nor when Origin names another origin than origin
// ("https://host:port"), or, with origin "", another host than the one
// the request was sent to. An opaque Origin ("null") passes only when
// Sec-Fetch-Site says same-origin. A post without Origin (an old browser,
// a script) passes: the form's own token is the defence then.
func SameOrigin(r *http.Request, origin string) bool {
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return false
	}
	got := r.Header.Get("Origin")
	switch {
	case got == "":
		return true
	case got == "null":
		return r.Header.Get("Sec-Fetch-Site") == "same-origin"
	}
	u, err := url.Parse(got)
	if err != nil {
		return false
	}
	if origin == "" {
		return strings.EqualFold(u.Host, r.Host)
	}
	return strings.EqualFold(u.Scheme+"://"+u.Host, origin)
}
