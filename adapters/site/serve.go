package site

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets/*
var assetFS embed.FS

// assets are the files the pages use: a stylesheet and an icon, served
// by the binary so that no page asks another host for anything.
var assets = func() map[string][]byte {
	out := map[string][]byte{}
	entries, err := fs.ReadDir(assetFS, "assets")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		b, err := assetFS.ReadFile("assets/" + e.Name())
		if err != nil {
			panic(err)
		}
		out[e.Name()] = b
	}
	return out
}()

// pages are the HTML templates, one per kind of page, each with the
// shared layout.
var pages = func() map[pageKind]*template.Template {
	base := template.Must(template.New("").ParseFS(templateFS, "templates/layout.html", "templates/parts.html"))
	out := map[pageKind]*template.Template{}
	for kind, file := range map[pageKind]string{pageIndex: "index.html", pageThemes: "themes.html", pageForum: "forum.html",
		pageDigests: "digests.html", pageDigest: "digest.html", pageCommitment: "commitment.html",
		pageAsk: "ask.html", pageNotice: "notice.html", pageQuestion: "question.html"} {
		out[kind] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/"+file))
	}
	return out
}()

// pageEntry is one rendered file of the site with what its responses
// carry.
type pageEntry struct {
	body, gz []byte
	ctype    string
	etag     string
	modified time.Time
}

// contentTypes by file extension.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".json": "application/json; charset=utf-8",
	".csv":  "text/csv; charset=utf-8; header=present",
	".xml":  "application/atom+xml; charset=utf-8",
}

// file returns the rendered file at path, relative to the site's root,
// rendering it once per state. ok is false when the site has no such file.
func (s *Site) file(ctx context.Context, st *state, path string) (*pageEntry, bool, error) {
	st.mu.Lock()
	e := st.pages[path]
	st.mu.Unlock()
	if e != nil {
		return e, true, nil
	}
	r, ok := s.parse(st, path)
	if !ok {
		return nil, false, nil
	}
	body, err := s.render(ctx, st, path, r)
	if err != nil {
		return nil, true, err
	}
	e = &pageEntry{body: body, ctype: contentTypes[filepath.Ext(path)]}
	sum := sha256.Sum256(body)
	e.etag = `"` + hex.EncodeToString(sum[:12]) + `"`
	if r.kind != pageAsset && r.kind != pageSchema {
		if e.modified, err = s.modified(ctx, st, r.forum); err != nil {
			return nil, true, err
		}
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(body)
	zw.Close()
	if gz.Len() < len(body) {
		e.gz = gz.Bytes()
	}
	st.mu.Lock()
	st.pages[path] = e
	st.mu.Unlock()
	return e, true, nil
}

// render writes the file r names.
func (s *Site) render(ctx context.Context, st *state, path string, r route) ([]byte, error) {
	switch {
	case r.kind == pageAsset:
		return assets[strings.TrimPrefix(path, "assets/")], nil
	case r.kind == pageSchema:
		return schemaJSON, nil
	case r.ext != "":
		return s.data(ctx, st, r)
	case r.kind == pageFeed:
		return s.feed(ctx, r.lang, r.forum)
	}
	var v any
	var err error
	switch r.kind {
	case pageIndex:
		v, err = s.indexPage(ctx, st, path, r.lang)
	case pageThemes:
		v, err = s.themesPage(ctx, st, path, r.lang)
	case pageForum:
		v, err = s.forumPage(ctx, path, r.lang, r.forum)
	case pageDigests:
		v, err = s.digestsPage(ctx, path, r.lang, r.forum)
	case pageDigest:
		v, err = s.digestPage(ctx, path, r.lang, r.forum, r.period)
	case pageCommitment:
		v, err = s.commitmentPage(ctx, path, r.lang, r.forum, r.commit)
	default:
		return nil, fmt.Errorf("site: no page for %s", path)
	}
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := pages[r.kind].ExecuteTemplate(&b, "layout", v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// securityHeaders go on every response: no script runs, nothing is
// fetched from another host, nothing is framed, nothing is sniffed.
var securityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
	"X-Content-Type-Options":  "nosniff",
	"Referrer-Policy":         "no-referrer",
	"X-Frame-Options":         "DENY",
}

// ServeHTTP answers GET and HEAD requests for the site's files under the
// site's path, and the pages of the questions from the public (see
// ask.go): only a question form reads a body. It echoes nothing of the
// request in its errors and is bounded by the request timeout.
func (s *Site) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	h := w.Header()
	for k, v := range securityHeaders {
		h.Set(k, v)
	}
	if rest, ok := strings.CutPrefix(req.URL.Path, s.cfg.Path); ok {
		if d, ok := s.parseDynamic(rest); ok {
			s.serveDynamic(w, req, d)
			return
		}
	}
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if req.ContentLength > 0 {
		http.Error(w, "a request to the site has no body", http.StatusRequestEntityTooLarge)
		return
	}
	path, ok := s.filePath(req.URL.Path)
	if !ok {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	ctx, cancel := context.WithTimeout(req.Context(), s.cfg.RequestTimeout)
	defer cancel()
	st, err := s.current(ctx, false)
	if err != nil {
		s.fail(w, err)
		return
	}
	e, found, err := s.file(ctx, st, path)
	switch {
	case err != nil:
		s.fail(w, err)
		return
	case !found:
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	h.Set("Content-Type", e.ctype)
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cache-Control", "public, max-age=60")
	h.Set("Vary", "Accept-Encoding")
	body, etag := e.body, e.etag
	if e.gz != nil && acceptsGzip(req) {
		body, etag = e.gz, strings.TrimSuffix(e.etag, `"`)+`-gz"`
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	if !e.modified.IsZero() {
		h.Set("Last-Modified", e.modified.UTC().Format(http.TimeFormat))
	}
	if notModified(req, etag, e.modified) {
		h.Del("Content-Type")
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	if req.Method == http.MethodGet {
		w.Write(body)
	}
}

func (s *Site) fail(w http.ResponseWriter, err error) {
	if errors.Is(err, context.DeadlineExceeded) {
		http.Error(w, "the page took too long; try again", http.StatusServiceUnavailable)
		return
	}
	s.cfg.Log.Error("site: page failed", "err", err)
	http.Error(w, "the page could not be made; try again later", http.StatusInternalServerError)
}

// filePath maps a URL path under the site's path to a file of the site:
// a directory to its index.html. ok is false for anything else, including
// paths with empty, dot or dot-dot segments.
func (s *Site) filePath(p string) (string, bool) {
	rest, ok := strings.CutPrefix(p, s.cfg.Path)
	if !ok {
		if p+"/" == s.cfg.Path {
			return "index.html", true
		}
		return "", false
	}
	if rest == "" || strings.HasSuffix(rest, "/") {
		rest += "index.html"
	}
	for _, seg := range strings.Split(rest, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", false
		}
	}
	return rest, true
}

func acceptsGzip(req *http.Request) bool {
	for _, part := range strings.Split(req.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == "gzip" && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// notModified applies If-None-Match, or else If-Modified-Since.
func notModified(req *http.Request, etag string, modified time.Time) bool {
	if inm := req.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			if t = strings.TrimPrefix(strings.TrimSpace(t), "W/"); t == etag || t == "*" {
				return true
			}
		}
		return false
	}
	if ims := req.Header.Get("If-Modified-Since"); ims != "" && !modified.IsZero() {
		if at, err := http.ParseTime(ims); err == nil && !modified.Truncate(time.Second).After(at) {
			return true
		}
	}
	return false
}

// Export writes every file of the site under dir, as serve answers them,
// and returns how many it wrote.
func (s *Site) Export(ctx context.Context, dir string) (int, error) {
	st, err := s.current(ctx, true)
	if err != nil {
		return 0, err
	}
	paths := s.paths(ctx, st)
	sort.Strings(paths)
	for _, p := range paths {
		e, ok, err := s.file(ctx, st, p)
		if err != nil {
			return 0, fmt.Errorf("site: %s: %w", p, err)
		}
		if !ok {
			return 0, fmt.Errorf("site: %s is listed but not found", p)
		}
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return 0, err
		}
		if err := os.WriteFile(full, e.body, 0o644); err != nil {
			return 0, err
		}
	}
	return len(paths), nil
}
