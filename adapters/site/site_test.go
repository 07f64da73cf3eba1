package site_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestSmoke(t *testing.T) {
	w := newWorld(t, 4)
	s := w.newSite(t, false)
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, p := range []string{"/site/", "/site/en/forums/cotabato/", "/site/es/forums/imported/"} {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		t.Log(p, resp.StatusCode)
	}
	n, err := s.Export(context.Background(), "/tmp/site-out")
	t.Log(n, err)
}
