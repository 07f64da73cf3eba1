package slack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// pingEvery is how often the fake pings the client, as Slack does; a
// client that hears no ping for 30 s reconnects.
const pingEvery = 200 * time.Millisecond

// ackWithin is how long Slack waits for an acknowledgement.
const ackWithin = 3 * time.Second

// fakeSocket is the Socket Mode side of the fake: it hands out websocket
// connections, sends hello and envelopes, pings, and takes
// acknowledgements by envelope_id. An envelope not acknowledged when its
// connection drops is delivered again on the next connection, as Slack
// does. With several connections open at once (an instance's several, or
// several instances' of the app), envelopes are spread over them in turn,
// as Slack spreads them, each to one connection.
type fakeSocket struct {
	f        *fakeSlack
	upgrader websocket.Upgrader
	stop     chan struct{}

	mu sync.Mutex
	// conn is the newest connection, which a disconnect request goes to.
	conn      *websocket.Conn
	connected chan struct{} // closed while a connection is up
	connects  int
	all       []*websocket.Conn
	// live are the connections open now, rr the turn of the next
	// envelope among them.
	live    []*websocket.Conn
	rr      int
	pending []*envelope
	byID    map[string]*envelope
	// dropAfterNext closes the connection the next envelope is written
	// on, right after it is written, before it can be acknowledged.
	dropAfterNext bool
	// redelivered counts the envelopes written again on a later
	// connection.
	redelivered int
	wmu         sync.Mutex // one writer at a time on a connection
}

// envelope is one Socket Mode request.
type envelope struct {
	ID                     string `json:"envelope_id"`
	Type                   string `json:"type"`
	Payload                any    `json:"payload"`
	AcceptsResponsePayload bool   `json:"accepts_response_payload"`
	RetryAttempt           int    `json:"retry_attempt"`
	RetryReason            string `json:"retry_reason,omitempty"`

	sent    time.Time
	took    time.Duration // from sent to the acknowledgement read
	written bool
	data    []byte // the envelope as first written, when prepared
	acked   chan json.RawMessage
	done    bool
}

func newFakeSocket(f *fakeSlack) *fakeSocket {
	return &fakeSocket{
		f: f, stop: make(chan struct{}), connected: make(chan struct{}), byID: map[string]*envelope{},
		upgrader: websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }},
	}
}

// serve accepts a websocket connection from apps.connections.open's URL.
func (s *fakeSocket) serve(w http.ResponseWriter, r *http.Request) {
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	s.mu.Lock()
	s.connects++
	s.live = append(s.live, conn)
	hello := map[string]any{"type": "hello", "num_connections": len(s.live),
		"debug_info": map[string]any{"host": "fake-applink", "approximate_connection_time": 18060}, "connection_info": map[string]any{"app_id": fakeApp}}
	s.write(conn, hello)
	s.conn = conn
	s.all = append(s.all, conn)
	select {
	case <-s.connected: // another connection is up already
	default:
		close(s.connected)
	}
	for _, env := range s.pending {
		s.send(conn, env)
	}
	s.mu.Unlock()
	stopPing := make(chan struct{})
	s.f.bg.Go(func() { s.ping(conn, stopPing) })
	defer close(stopPing)
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			s.lost(conn)
			return
		}
		var ack struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if err := json.Unmarshal(data, &ack); err != nil || ack.EnvelopeID == "" {
			s.f.violate("socket mode: the client sent %q, not an acknowledgement", data)
			continue
		}
		s.acked(ack.EnvelopeID, ack.Payload)
	}
}

// ping sends websocket pings until the connection ends.
func (s *fakeSocket) ping(conn *websocket.Conn, stop chan struct{}) {
	t := time.NewTicker(pingEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-s.stop:
			return
		case <-t.C:
			if conn.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(time.Second)) != nil {
				return
			}
		}
	}
}

// write sends v on conn.
func (s *fakeSocket) write(conn *websocket.Conn, v any) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	conn.SetWriteDeadline(time.Now().Add(2 * time.Second))
	conn.WriteJSON(v)
}

// send writes env on conn; must be called with s.mu held.
func (s *fakeSocket) send(conn *websocket.Conn, env *envelope) {
	if env.written {
		env.RetryAttempt++
		env.RetryReason = "timeout"
		s.redelivered++
	}
	env.written, env.sent = true, time.Now()
	s.write(conn, env)
	if s.dropAfterNext {
		s.dropAfterNext = false
		s.closeLocked(conn)
	}
}

// lost forgets a connection whose reads failed.
func (s *fakeSocket) lost(conn *websocket.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closeLocked(conn)
}

// forget removes conn from the live connections; must be called with
// s.mu held.
func (s *fakeSocket) forget(conn *websocket.Conn) {
	for i, c := range s.live {
		if c == conn {
			s.live = append(s.live[:i:i], s.live[i+1:]...)
			return
		}
	}
}

// drop closes every connection, as when the network breaks.
func (s *fakeSocket) drop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.live) > 0 {
		s.closeLocked(s.live[0])
	}
}

// closeLocked closes conn and forgets it; must be called with s.mu held.
func (s *fakeSocket) closeLocked(conn *websocket.Conn) {
	conn.Close()
	s.forget(conn)
	if s.conn != conn {
		return
	}
	s.conn = nil
	if len(s.live) > 0 {
		s.conn = s.live[len(s.live)-1] // another, still up
		return
	}
	s.connected = make(chan struct{})
}

// acked takes an acknowledgement.
func (s *fakeSocket) acked(id string, payload json.RawMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	env, ok := s.byID[id]
	if !ok {
		s.f.violate("socket mode: acknowledgement for unknown envelope %s", id)
		return
	}
	if env.done {
		return // the acknowledgement of a redelivery; Slack ignores it
	}
	env.done = true
	took := time.Since(env.sent)
	if took > ackWithin {
		s.f.violate("socket mode: envelope %s (%s) acknowledged after %s", id, env.Type, took.Round(time.Millisecond))
	}
	env.took = took
	for i, p := range s.pending {
		if p == env {
			s.pending = append(s.pending[:i:i], s.pending[i+1:]...)
			break
		}
	}
	env.acked <- payload
}

// deliver sends an envelope and returns its acknowledgement's payload.
func (s *fakeSocket) deliver(ctx context.Context, typ string, payload any) (json.RawMessage, error) {
	env, err := s.prepare(typ, payload)
	if err != nil {
		return nil, err
	}
	return s.deliverEnvelope(ctx, env)
}

// prepare makes an envelope ready to deliver, written as JSON already:
// Slack encodes an envelope on its own machines, so a benchmark prepares
// its envelopes before it starts the clock, and the bot's cores do not
// spend time on the fake's encoding.
func (s *fakeSocket) prepare(typ string, payload any) (*envelope, error) {
	env := &envelope{ID: s.f.nextID("env-"), Type: typ, Payload: payload, AcceptsResponsePayload: typ != "events_api", acked: make(chan json.RawMessage, 1)}
	data, err := json.Marshal(env)
	if err != nil {
		return nil, err
	}
	env.data = data
	return env, nil
}

// deliverEnvelope sends env and returns its acknowledgement's payload.
func (s *fakeSocket) deliverEnvelope(ctx context.Context, env *envelope) (json.RawMessage, error) {
	if env.acked == nil {
		env.acked = make(chan json.RawMessage, 1)
	}
	data := env.data
	if data == nil {
		var err error
		if data, err = json.Marshal(env); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	s.pending = append(s.pending, env)
	s.byID[env.ID] = env
	var conn *websocket.Conn
	if len(s.live) > 0 {
		conn = s.live[s.rr%len(s.live)]
		s.rr++
	}
	drop := conn != nil && s.dropAfterNext
	if conn != nil {
		env.written, env.sent = true, time.Now()
		s.dropAfterNext = false
	}
	s.mu.Unlock()
	if conn != nil {
		// Written outside s.mu, so acknowledgements are taken meanwhile.
		s.wmu.Lock()
		conn.SetWriteDeadline(time.Now().Add(2 * time.Second))
		conn.WriteMessage(websocket.TextMessage, data)
		s.wmu.Unlock()
		if drop {
			s.mu.Lock()
			s.closeLocked(conn)
			s.mu.Unlock()
		}
	}
	select {
	case payload := <-env.acked:
		return payload, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("envelope %s (%s) never acknowledged: %w", env.ID, env.Type, ctx.Err())
	}
}

// awaitConnected waits for a live connection.
func (s *fakeSocket) awaitConnected(ctx context.Context) error {
	s.mu.Lock()
	ch := s.connected
	s.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("the adapter never connected through Socket Mode: %w", ctx.Err())
	}
}

// redeliveries returns how many envelopes were written again on a later
// connection.
func (s *fakeSocket) redeliveries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.redelivered
}

// liveConnections returns how many connections are open now.
func (s *fakeSocket) liveConnections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.live)
}

// connections returns how many websocket connections the client opened.
func (s *fakeSocket) connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connects
}

func (s *fakeSocket) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	for _, c := range s.all {
		c.Close()
	}
}

// requestDisconnect asks the client to reconnect, as Slack does before it
// refreshes a connection.
func (s *fakeSocket) requestDisconnect() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		s.write(s.conn, map[string]any{"type": "disconnect", "reason": "refresh_requested", "debug_info": map[string]any{"host": "fake-applink"}})
	}
}
