package discord_test

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// routes serves the REST endpoints the adapter uses.
func (f *fakeDiscord) routes() http.Handler {
	mux := http.NewServeMux()
	api := func(pattern string, h http.HandlerFunc) {
		method, path, _ := strings.Cut(pattern, " ")
		route := method + " " + path
		mux.HandleFunc(method+" /api/v9"+path, func(w http.ResponseWriter, r *http.Request) {
			f.mu.Lock()
			f.calls[route]++
			if !strings.HasPrefix(path, "/interactions/") && !strings.HasPrefix(path, "/webhooks/") && r.Header.Get("Authorization") != "Bot "+f.token {
				f.violate("%s: Authorization %q, want the bot token", route, r.Header.Get("Authorization"))
				f.mu.Unlock()
				apiError(w, http.StatusUnauthorized, 0, "401: Unauthorized")
				return
			}
			pace := f.pace
			f.mu.Unlock()
			if pace != nil && !pace.admit(w, route, r) {
				return
			}
			h(w, r)
		})
	}
	gatewayURL := func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gateway", "shards": 1})
	}
	mux.HandleFunc("GET /api/v9/gateway", gatewayURL)
	api("GET /gateway/bot", gatewayURL)
	mux.HandleFunc("GET /gateway", f.gw.serve)
	mux.HandleFunc("GET /gateway/", f.gw.serve)
	api("GET /users/@me", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, f.bot) })
	api("POST /users/@me/channels", f.openDM)
	api("POST /channels/{channel}/messages", f.createMessage)
	api("GET /channels/{channel}/messages", f.listMessages)
	api("GET /channels/{channel}/messages/{message}", f.getMessage)
	api("PATCH /channels/{channel}/messages/{message}", f.editMessage)
	api("DELETE /channels/{channel}/messages/{message}", f.deleteMessage)
	api("PUT /channels/{channel}/messages/{message}/reactions/{emoji}/@me", f.react)
	api("PUT /applications/{app}/commands", f.overwriteCommands)
	api("PUT /applications/{app}/guilds/{guild}/commands", f.overwriteCommands)
	api("POST /interactions/{id}/{token}/callback", f.interactionCallback)
	api("PATCH /webhooks/{app}/{token}/messages/@original", f.editOriginal)
	api("POST /webhooks/{app}/{token}", f.followup)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.violate("unexpected request %s %s", r.Method, r.URL.Path)
		f.mu.Unlock()
		apiError(w, http.StatusNotFound, 0, "404: Not Found")
	})
	return mux
}

func (f *fakeDiscord) openDM(w http.ResponseWriter, r *http.Request) {
	var body struct {
		RecipientID string `json:"recipient_id"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	u, ok := f.users[body.RecipientID]
	if !ok {
		apiError(w, http.StatusNotFound, 10013, "Unknown User")
		return
	}
	c := f.dm(u.ID)
	writeJSON(w, http.StatusOK, map[string]any{"id": c.id, "type": 1, "recipients": []*discordgo.User{u}})
}

// channel returns the channel of a request; f.mu held.
func (f *fakeDiscord) channel(w http.ResponseWriter, r *http.Request) *fakeChannel {
	c, ok := f.channels[r.PathValue("channel")]
	if !ok {
		apiError(w, http.StatusNotFound, 10003, "Unknown Channel")
		return nil
	}
	return c
}

// message returns the message of a request; f.mu held.
func (f *fakeDiscord) message(w http.ResponseWriter, r *http.Request) *fakeMessage {
	m, ok := f.messages[r.PathValue("message")]
	if !ok || m.deleted || m.wire.ChannelID != r.PathValue("channel") {
		apiError(w, http.StatusNotFound, 10008, "Unknown Message")
		return nil
	}
	return m
}

// signal wakes a person waiting for the bot to answer message id; f.mu
// held.
func (f *fakeDiscord) signal(id string) {
	if ch, ok := f.answered[id]; ok {
		close(ch)
		delete(f.answered, id)
	}
}

func (f *fakeDiscord) overwriteCommands(w http.ResponseWriter, r *http.Request) {
	var cmds []command
	if err := json.NewDecoder(r.Body).Decode(&cmds); err != nil {
		apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.PathValue("app") != f.appID {
		apiError(w, http.StatusForbidden, 50001, "Missing Access")
		return
	}
	if !f.checkCommands(cmds) {
		apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body")
		return
	}
	scope := "global"
	if g := r.PathValue("guild"); g != "" {
		scope = g
	}
	f.commands[scope] = cmds
	if len(f.overwrites) == 0 {
		close(f.registeredCh)
	}
	f.overwrites = append(f.overwrites, scope)
	writeJSON(w, http.StatusOK, cmds)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
