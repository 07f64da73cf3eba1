package discord

import (
	"context"
	"net"
	"time"
)

// Update replaces a message as the edit of a response does, for tests of
// split messages.
var Update = (*Chat).update

// SetLull sets, before Listen, how long the edits wait for the events to
// pause, for how long at most, and the clock they wait by.
func SetLull(c *Chat, quiet, maxHold time.Duration, now func() time.Time, sleep func(context.Context, time.Duration) error) {
	c.lull.Quiet, c.lull.MaxHold, c.lull.Now, c.lull.Sleep = quiet, maxHold, now, sleep
}

// SetGatewayReadBuffer gives the gateway connections Listen opens a
// receive buffer of n bytes. On loopback, whose segments are 64 KB, the
// fake's burst of 200 dispatches fills the default buffer (128 KB) and
// closes the TCP window (the kernel's TCPToZeroWindowAdv counts it); in
// about one burst in ten the dispatches behind it then waited 150 to
// 250 ms, a stall of the test's loopback, not of the adapter, which a
// connection to Discord, with its 1.4 KB segments and a buffer the
// kernel grows, does not meet. A test that sends such bursts sets it.
func SetGatewayReadBuffer(c *Chat, n int) {
	d := *c.session.Dialer
	d.NetDialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if tcp, ok := conn.(*net.TCPConn); ok {
			if err := tcp.SetReadBuffer(n); err != nil {
				conn.Close()
				return nil, err
			}
		}
		return conn, nil
	}
	c.session.Dialer = &d
}
