package sqlite

import "sync"

// groups commits requests in groups (answers in adds.go, outbox marks in
// marks.go): the first caller to find no group being written becomes its
// writer, writes every request queued by then with one call of write (one
// transaction), and hands the writing of what queued meanwhile to a new
// writer, so that its own caller returns. A transaction's fixed cost is
// paid once per group instead of once per request.
type groups[R any] struct {
	mu      sync.Mutex
	queue   []R
	writing bool
	// running counts the writers, for Close.
	running sync.WaitGroup
}

// submit queues reqs and, when no group is being written, writes the
// queue a group of at most max at a time; write must tell each request its
// outcome.
func (g *groups[R]) submit(reqs []R, max int, write func([]R)) {
	g.mu.Lock()
	g.queue = append(g.queue, reqs...)
	lead := !g.writing
	if lead {
		g.writing = true
		g.running.Add(1)
	}
	g.mu.Unlock()
	if lead {
		g.writeGroups(max, write)
	}
}

// writeGroups writes the queued requests as one group, then leaves what
// queued meanwhile to a new writer.
func (g *groups[R]) writeGroups(max int, write func([]R)) {
	defer g.running.Done()
	g.mu.Lock()
	n := min(len(g.queue), max)
	group := g.queue[:n:n]
	g.queue = g.queue[n:]
	g.mu.Unlock()

	write(group)

	g.mu.Lock()
	more := len(g.queue) > 0
	if more {
		g.running.Add(1)
	} else {
		g.writing = false
	}
	g.mu.Unlock()
	if more {
		go g.writeGroups(max, write)
	}
}
