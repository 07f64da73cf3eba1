package discord_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/gorilla/websocket"
)

// gateway is the fake's gateway: op 10 hello, identify (op 2) answered by
// READY, resume (op 6) answered by the missed events and RESUMED, heartbeat
// acks (op 11), and dispatches with increasing sequence numbers. Events
// dispatched while no client is connected wait for the next one.
type gateway struct {
	f        *fakeDiscord
	upgrader websocket.Upgrader

	mu         sync.Mutex
	conn       *conn // the live connection, after READY or RESUMED
	all        []*conn
	session    string
	sessions   int
	seq        int64
	backlog    []frame // dispatched in this session, for resumes
	queue      []frame // waiting for a live connection (no seq yet)
	identifies int
	resumes    []resume
	intents    []int
	// problems are protocol violations; the gateway never takes f.mu (the
	// fake locks f.mu, then g.mu).
	problems []string
	// live is closed and replaced each time a connection becomes live.
	live chan struct{}
	// heartbeat is the interval HELLO asks for, in milliseconds;
	// Discord's 41,250 unless a test sets another.
	heartbeat int
}

type conn struct {
	ws *websocket.Conn
	mu sync.Mutex // serialises writes
}

func (c *conn) write(v any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ws.WriteJSON(v)
}

// frame is a gateway payload.
type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  int64           `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

// resume records a client's op 6.
type resume struct {
	Session string `json:"session_id"`
	Seq     int64  `json:"seq"`
	Token   string `json:"token"`
}

func newGateway(f *fakeDiscord) *gateway {
	return &gateway{f: f, live: make(chan struct{}), heartbeat: 41250}
}

func raw(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// serve speaks the gateway protocol on one websocket.
func (g *gateway) serve(w http.ResponseWriter, r *http.Request) {
	ws, err := g.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &conn{ws: ws}
	g.mu.Lock()
	g.all = append(g.all, c)
	heartbeat := g.heartbeat
	g.mu.Unlock()
	defer ws.Close()
	if c.write(frame{Op: 10, D: raw(map[string]any{"heartbeat_interval": heartbeat})}) != nil {
		return
	}
	for {
		var in frame
		if err := ws.ReadJSON(&in); err != nil {
			g.mu.Lock()
			if g.conn == c {
				g.conn = nil
			}
			g.mu.Unlock()
			return
		}
		switch in.Op {
		case 1:
			_ = c.write(frame{Op: 11})
		case 2:
			g.identify(c, in.D)
		case 6:
			g.resume(c, in.D)
		}
	}
}

// identify starts a new session: READY, then whatever waited.
func (g *gateway) identify(c *conn, d json.RawMessage) {
	var id struct {
		Token   string `json:"token"`
		Intents int    `json:"intents"`
	}
	_ = json.Unmarshal(d, &id)
	g.mu.Lock()
	defer g.mu.Unlock()
	if id.Token != "Bot "+g.f.token {
		g.problems = append(g.problems, fmt.Sprintf("identify with token %q", id.Token))
	}
	g.identifies++
	g.sessions++
	g.intents = append(g.intents, id.Intents)
	g.session, g.seq, g.backlog = fmt.Sprintf("session-%d", g.sessions), 0, nil
	url := "ws" + g.f.srv.URL[len("http"):] + "/gateway"
	g.sendLocked(c, "READY", map[string]any{
		"v": 10, "session_id": g.session, "resume_gateway_url": url,
		"user": g.f.bot, "application": map[string]any{"id": g.f.appID},
		"guilds": []any{}, "private_channels": []any{},
	})
	g.goLive(c)
}

// resume replays what the client missed, then RESUMED; an unknown session
// is told to identify again (op 9).
func (g *gateway) resume(c *conn, d json.RawMessage) {
	var rs resume
	_ = json.Unmarshal(d, &rs)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.resumes = append(g.resumes, rs)
	if rs.Session != g.session {
		_ = c.write(frame{Op: 9, D: raw(false)})
		return
	}
	for _, fr := range g.backlog {
		if fr.S > rs.Seq {
			_ = c.write(fr)
		}
	}
	g.sendLocked(c, "RESUMED", map[string]any{})
	g.goLive(c)
}

// goLive makes c the live connection and sends what waited; g.mu held.
func (g *gateway) goLive(c *conn) {
	g.conn = c
	queued := g.queue
	g.queue = nil
	for _, fr := range queued {
		g.sendLocked(c, fr.T, fr.D)
	}
	close(g.live)
	g.live = make(chan struct{})
}

// sendLocked numbers and sends a dispatch on c; g.mu held.
func (g *gateway) sendLocked(c *conn, t string, d any) {
	g.seq++
	fr := frame{Op: 0, T: t, S: g.seq, D: raw(d)}
	g.backlog = append(g.backlog, fr)
	if err := c.write(fr); err != nil && g.conn == c {
		g.conn = nil
	}
}

// dispatch sends an event to the client, or queues it until one is live.
func (g *gateway) dispatch(t string, d any) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.conn == nil {
		g.queue = append(g.queue, frame{T: t, D: raw(d)})
		return
	}
	g.sendLocked(g.conn, t, d)
}

// drop breaks the live connection without a close frame, as a network
// failure would.
func (g *gateway) drop() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.conn != nil {
		_ = g.conn.ws.UnderlyingConn().Close()
		g.conn = nil
	}
}

// liveSignal returns a channel closed when a connection next goes live.
func (g *gateway) liveSignal() <-chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.live
}

// stats returns the identifies and the resumes so far.
func (g *gateway) stats() (int, []resume) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.identifies, append([]resume(nil), g.resumes...)
}

func (g *gateway) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, c := range g.all {
		_ = c.ws.Close()
	}
	g.conn = nil
}
