package email_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"forumbot/adapters/email"
	"forumbot/bot"
)

// tokenOf returns the token of a link and its decoded payload.
func tokenOf(t *testing.T, link string) (string, email.Token) {
	t.Helper()
	u, _ := url.Parse(link)
	text := u.Query().Get("t")
	payload, _, _ := strings.Cut(text, ".")
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		t.Fatal(err)
	}
	var tok email.Token
	if err := json.Unmarshal(b, &tok); err != nil {
		t.Fatal(err)
	}
	return text, tok
}

// forge re-encodes tok with the signature of another token.
func forge(t *testing.T, tok email.Token, sigOf string) string {
	t.Helper()
	b, _ := json.Marshal(tok)
	_, sig, _ := strings.Cut(sigOf, ".")
	return base64.RawURLEncoding.EncodeToString(b) + "." + sig
}

var validAnswer = map[string][]string{bot.FieldCompletion: {"Substantial"}, bot.FieldProgress: {"Budget tabled"}}

// TestFormSecurity tries what an attacker can: forged and altered tokens,
// tokens of another member or round, posts without the form's nonce or
// from another site, replayed posts, oversized posts, floods. Each is
// refused with a clear page, and nothing is stored but the one genuine
// answer.
func TestFormSecurity(t *testing.T) {
	w := newEngineWorld(t, forumYAML, nil)
	w.run()
	anaLink := w.prompt("ana@example.org").Links[0]
	beaLink := w.prompt("bea@example.org").Links[0]
	anaText, anaTok := tokenOf(t, anaLink)
	beaText, _ := tokenOf(t, beaLink)
	form := seen(w.get(anaLink)).Form
	if form == nil {
		t.Fatal("Ana's form did not open")
	}
	anaNonce := form.Platform.(url.Values).Get("nonce")
	origin := http.Header{"Origin": {w.web.URL}}

	refused := func(name string, p page, status int, words string) {
		t.Helper()
		if p.Status != status || !strings.Contains(p.Body, words) || strings.Contains(p.Body, `name="nonce"`) {
			t.Errorf("%s: %d, want %d with %q:\n%s", name, p.Status, status, words, p.Body)
		}
	}
	const invalid, notFromForm = "This link is not valid", "This request did not come from your form"

	// Forged and altered tokens: refused on opening and on posting.
	asBea := anaTok
	asBea.Member = "email:bea@example.org"
	otherRound := anaTok
	otherRound.Form = "u:999:C1"
	longer := anaTok
	longer.Expires += 365 * 24 * 3600
	for name, text := range map[string]string{
		"no token": "", "garbage": "abc.def", "unsigned": strings.SplitN(anaText, ".", 2)[0],
		"member changed": forge(t, asBea, anaText), "round changed": forge(t, otherRound, anaText), "expiry extended": forge(t, longer, anaText),
		"signed with another secret": "eyJtIjoiZW1haWw6YW5hQGV4YW1wbGUub3JnIiwiZiI6InU6MTpDMSIsImUiOjQxMDI0NDQ4MDB9.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	} {
		refused(name+" (GET)", w.get(w.chat.FormURL(text)), http.StatusForbidden, invalid)
		v := url.Values{"t": {text}, "nonce": {anaNonce}}
		for k, x := range validAnswer {
			v[k] = x
		}
		refused(name+" (POST)", w.post(v, origin), http.StatusForbidden, invalid)
	}

	// A genuine token of another round, or of a commitment the member is
	// not on: the engine refuses it, nothing is stored.
	signed := anaTok
	signed.Form = "u:999:C1"
	p := w.get(w.chat.FormURL(w.chat.SignToken(signed)))
	if p.Status != http.StatusConflict || seen(p).Form != nil {
		t.Errorf("a signed token of an unknown round: %d\n%s", p.Status, p.Body)
	}

	// Bea's token with Ana's nonce: the nonce belongs to Ana's link.
	v := url.Values{"t": {beaText}, "nonce": {anaNonce}}
	for k, x := range validAnswer {
		v[k] = x
	}
	refused("another link's nonce", w.post(v, origin), http.StatusForbidden, "Esta solicitud no vino de su formulario")

	// Cross-site posts: no nonce, a forged nonce, another Origin.
	post := func(nonce string, header http.Header) page {
		v := url.Values{"t": {anaText}}
		if nonce != "" {
			v.Set("nonce", nonce)
		}
		for k, x := range validAnswer {
			v[k] = x
		}
		return w.post(v, header)
	}
	refused("no nonce", post("", origin), http.StatusForbidden, notFromForm)
	refused("forged nonce", post("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA", origin), http.StatusForbidden, notFromForm)
	refused("other origin", post(anaNonce, http.Header{"Origin": {"https://evil.example"}}), http.StatusForbidden, notFromForm)
	refused("cross-site fetch", post(anaNonce, http.Header{"Sec-Fetch-Site": {"cross-site"}}), http.StatusForbidden, notFromForm)

	// Oversized post.
	big := url.Values{"t": {anaText}, "nonce": {anaNonce}, bot.FieldCompletion: {"Substantial"}, bot.FieldProgress: {strings.Repeat("x", 300<<10)}}
	refused("oversized", w.post(big, origin), http.StatusRequestEntityTooLarge, "too long to be read")

	if n := len(w.updates("email:ana@example.org")) + len(w.updates("email:bea@example.org")); n != 0 {
		t.Fatalf("%d updates stored by refused requests", n)
	}

	// The genuine post is stored once; replaying it stores nothing more.
	ok := post(anaNonce, origin)
	if ok.Status != http.StatusOK || !strings.Contains(ok.Body, "Answer saved") {
		t.Fatalf("the genuine post: %d\n%s", ok.Status, ok.Body)
	}
	refused("replay", post(anaNonce, origin), http.StatusConflict, "This form was already sent")
	if us := w.updates("email:ana@example.org"); len(us) != 1 || us[0].Completion != bot.Substantial || us[0].Source != bot.SourceForm {
		t.Fatalf("Ana's updates: %+v", us)
	}
	if n := len(w.updates("email:bea@example.org")); n != 0 {
		t.Errorf("Bea has %d updates from Ana's link", n)
	}

	// A change made later, then the first post replayed: the change stays.
	again := seen(w.get(anaLink)).Form
	if again == nil {
		t.Fatal("the form did not open again")
	}
	if p := w.submit(*again, map[string][]string{bot.FieldCompletion: {"Complete"}, bot.FieldProgress: {"Budget passed"}}); p.Status != http.StatusOK {
		t.Fatalf("the change: %d\n%s", p.Status, p.Body)
	}
	refused("replay after a change", post(anaNonce, origin), http.StatusConflict, "This form was already sent")
	if us := w.updates("email:ana@example.org"); len(us) != 2 || us[len(us)-1].Completion != bot.Complete {
		t.Fatalf("after the replay Ana's updates are %+v, want the change last", us)
	}

	// Expired: after the round's close plus the grace.
	w.clock.advance(7*24*time.Hour + 31*24*time.Hour)
	refused("expired", w.get(anaLink), http.StatusGone, "This link has expired")

	// Flood: a link is paced.
	w2 := newEngineWorld(t, forumYAML, nil)
	w2.run()
	link := w2.prompt("ana@example.org").Links[0]
	last := 0
	for range 15 {
		last = w2.get(link).Status
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("the 15th request in a burst: %d, want 429", last)
	}
}
