package main

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"forumbot/bot"
	"forumbot/store"
)

// Metrics are the bot's Prometheus metrics, on a registry of their own,
// served at /metrics. The engine knows nothing of them: they count what
// passes through the store and the chats it is given (meteredStore,
// meteredChat), and read the outbox and the rounds from the store when
// scraped.
type Metrics struct {
	reg *prometheus.Registry
	// deliveries counts outbox outcomes by kind (prompt, reminder,
	// digest) and outcome (sent, retried, failed, skipped).
	deliveries *prometheus.CounterVec
	// answers counts update versions stored, by source.
	answers *prometheus.CounterVec
	// ack times the engine's handling of inbound events, which the
	// platform's acknowledgement waits for, by platform.
	ack *prometheus.HistogramVec
	// storeErrors counts failed store calls by method, not counting
	// "not found" and "conflict", which are answers.
	storeErrors *prometheus.CounterVec
	// leaderChanges counts this instance's changes of leadership.
	leaderChanges prometheus.Counter
}

// newMetrics registers the metrics, the Go runtime's and the process's.
func newMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "forumbot_deliveries_total",
			Help: "Outbox entries by kind (prompt, reminder, digest) and outcome: sent, retried (rescheduled after a failed attempt), waiting (rescheduled because the platform asked to wait: not an attempt), failed (given up), skipped.",
		}, []string{"kind", "outcome"}),
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "forumbot_answers_stored_total",
			Help: "Update versions stored, by source (form, thread, command); a redelivered event is not counted again.",
		}, []string{"source"}),
		ack: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "forumbot_ack_latency_seconds",
			Help:    "Time the engine takes to decide the answer to an inbound event, which the platform's acknowledgement waits for (Slack allows 3 s), by platform.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 3, 5, 10},
		}, []string{"platform"}),
		storeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "forumbot_store_errors_total",
			Help: "Store calls that failed, by method (not found and conflict are answers, not errors).",
		}, []string{"method"}),
		leaderChanges: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "forumbot_leader_changes_total",
			Help: "Times this instance started or stopped leading (running the tick and the sender) among the instances sharing a PostgreSQL store.",
		}),
	}
	m.reg.MustRegister(m.deliveries, m.answers, m.ack, m.storeErrors, m.leaderChanges,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// storeError counts err if it is a failure of the store.
func (m *Metrics) storeError(method string, err error) {
	switch {
	case err == nil, errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
	case bot.ErrorCode(err) == bot.ENOTFOUND, bot.ErrorCode(err) == bot.ECONFLICT:
	default:
		m.storeErrors.WithLabelValues(method).Inc()
	}
}

// scrapeTimeout bounds the store reads of one scrape.
const scrapeTimeout = 2 * time.Second

// stateCollector reads, at each scrape, what the store and the platforms
// say now: the outbox's backlog, the open rounds, whether the store can be
// written and whether each platform is connected.
type stateCollector struct {
	db                                                 store.DB
	ready                                              *readiness
	depth, oldest, failed, rounds, writable, connected *prometheus.Desc
	leader                                             *prometheus.Desc
}

func newStateCollector(db store.DB, ready *readiness) *stateCollector {
	return &stateCollector{
		db: db, ready: ready,
		depth:     prometheus.NewDesc("forumbot_outbox_depth", "Outbox entries still to send (pending or sending).", nil, nil),
		oldest:    prometheus.NewDesc("forumbot_outbox_oldest_pending_age_seconds", "Age of the oldest outbox entry still to send; 0 when none is.", nil, nil),
		failed:    prometheus.NewDesc("forumbot_outbox_failed", "Outbox entries given up on.", nil, nil),
		rounds:    prometheus.NewDesc("forumbot_rounds_open", "Rounds open now, across forums.", nil, nil),
		writable:  prometheus.NewDesc("forumbot_store_writable", "1 when the database accepts writes, 0 when it refuses them.", nil, nil),
		connected: prometheus.NewDesc("forumbot_platform_connected", "1 when the platform is connected and its events reach the engine.", []string{"platform"}, nil),
		leader:    prometheus.NewDesc("forumbot_leader", "1 when this instance leads (runs the tick and the sender; always on SQLite), 0 when another instance does.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.depth, c.oldest, c.failed, c.rounds, c.writable, c.connected, c.leader} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	if b, err := c.db.OutboxBacklog(ctx); err != nil {
		ch <- prometheus.NewInvalidMetric(c.depth, err)
	} else {
		age := 0.0
		if !b.OldestPending.IsZero() {
			age = max(time.Since(b.OldestPending).Seconds(), 0)
		}
		ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(b.Pending))
		ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, age)
		ch <- prometheus.MustNewConstMetric(c.failed, prometheus.GaugeValue, float64(b.Failed))
	}
	if rs, err := c.db.OpenRounds(ctx); err != nil {
		ch <- prometheus.NewInvalidMetric(c.rounds, err)
	} else {
		ch <- prometheus.MustNewConstMetric(c.rounds, prometheus.GaugeValue, float64(len(rs)))
	}
	ch <- prometheus.MustNewConstMetric(c.writable, prometheus.GaugeValue, one(c.db.Writable(ctx) == nil))
	ch <- prometheus.MustNewConstMetric(c.leader, prometheus.GaugeValue, one(c.ready.leads()))
	for _, p := range c.ready.platforms() {
		ch <- prometheus.MustNewConstMetric(c.connected, prometheus.GaugeValue, one(c.ready.connected(p) == nil), p)
	}
}

func one(ok bool) float64 {
	if ok {
		return 1
	}
	return 0
}
