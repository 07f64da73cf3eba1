package discord

import (
	"sync"
	"time"
)

// Drafts keep what a person typed in a modal the bot rejected, so that
// "Try again" reopens the modal with it. They live as long as Discord's
// interaction tokens (15 minutes) and are bounded in number; after a
// restart the text is still shown in the panel for copying.
const (
	draftTTL  = 15 * time.Minute
	maxDrafts = 1000
)

type draft struct {
	values map[string][]string
	at     time.Time
}

// drafts holds rejected modal input by person and form.
type drafts struct {
	now func() time.Time
	mu  sync.Mutex
	m   map[string]draft
}

func newDrafts(now func() time.Time) *drafts {
	return &drafts{now: now, m: map[string]draft{}}
}

func draftKey(user, formRef string) string { return user + "|" + formRef }

// put keeps values for user's form, dropping expired drafts, and the oldest
// one when full.
func (d *drafts) put(user, formRef string, values map[string][]string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	oldest, oldestAt := "", now
	for k, v := range d.m {
		if now.Sub(v.at) > draftTTL {
			delete(d.m, k)
		} else if v.at.Before(oldestAt) || oldest == "" {
			oldest, oldestAt = k, v.at
		}
	}
	if len(d.m) >= maxDrafts {
		delete(d.m, oldest)
	}
	d.m[draftKey(user, formRef)] = draft{values: values, at: now}
}

// get returns the draft of user's form, if a fresh one is kept.
func (d *drafts) get(user, formRef string) map[string][]string {
	d.mu.Lock()
	defer d.mu.Unlock()
	v, ok := d.m[draftKey(user, formRef)]
	if !ok || d.now().Sub(v.at) > draftTTL {
		return nil
	}
	return v.values
}

// drop forgets the draft once the form is stored.
func (d *drafts) drop(user, formRef string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.m, draftKey(user, formRef))
}
