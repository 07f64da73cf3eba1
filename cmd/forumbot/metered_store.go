package main

import (
	"context"
	"sync"
	"time"

	"forumbot/bot"
)

// meteredStore is the store the engine is given: it passes every call to
// Store and counts, for Metrics, the store's failures, the outcomes of the
// outbox's entries and the answers stored. Each method is the store's,
// with its error counted.
type meteredStore struct {
	bot.Store
	m *Metrics
	// kinds remembers the kind of each due entry by id, until its outcome
	// is final, so that the outcome can be counted by kind.
	kinds sync.Map
}

var _ bot.Store = (*meteredStore)(nil)

// count counts err as a failure of method, if it is one, and returns it.
func (s *meteredStore) count(method string, err error) error {
	s.m.storeError(method, err)
	return err
}

// outcome counts an entry's outcome once the store recorded it; a final
// one forgets the entry's kind.
func (s *meteredStore) outcome(id int64, outcome string, final bool, err error) {
	if err != nil {
		return
	}
	kind := bot.DeliveryKind("unknown")
	if k, ok := s.kinds.Load(id); ok {
		kind = k.(bot.DeliveryKind)
	}
	if final {
		s.kinds.Delete(id)
	}
	s.m.deliveries.WithLabelValues(string(kind), outcome).Inc()
}

func (s *meteredStore) DueDeliveries(ctx context.Context, now time.Time, after int64, limit int) ([]bot.Delivery, error) {
	ds, err := s.Store.DueDeliveries(ctx, now, after, limit)
	for _, d := range ds {
		s.kinds.Store(d.ID, d.Kind)
	}
	return ds, s.count("DueDeliveries", err)
}

func (s *meteredStore) MarkSent(ctx context.Context, id int64, ref bot.MessageRef, at time.Time) error {
	err := s.Store.MarkSent(ctx, id, ref, at)
	s.outcome(id, "sent", true, err)
	return s.count("MarkSent", err)
}

func (s *meteredStore) MarkRetry(ctx context.Context, id int64, failedAt, next time.Time, reason string) error {
	err := s.Store.MarkRetry(ctx, id, failedAt, next, reason)
	s.outcome(id, "retried", false, err)
	return s.count("MarkRetry", err)
}

func (s *meteredStore) MarkWaiting(ctx context.Context, id int64, next time.Time, reason string, unsent bool) error {
	err := s.Store.MarkWaiting(ctx, id, next, reason, unsent)
	s.outcome(id, "waiting", false, err)
	return s.count("MarkWaiting", err)
}

func (s *meteredStore) MarkFailed(ctx context.Context, id int64, reason string) error {
	err := s.Store.MarkFailed(ctx, id, reason)
	s.outcome(id, "failed", true, err)
	return s.count("MarkFailed", err)
}

func (s *meteredStore) MarkSkipped(ctx context.Context, id int64, reason string) error {
	err := s.Store.MarkSkipped(ctx, id, reason)
	s.outcome(id, "skipped", true, err)
	return s.count("MarkSkipped", err)
}

func (s *meteredStore) AddUpdate(ctx context.Context, u bot.Update) (bot.Update, bool, error) {
	stored, added, err := s.Store.AddUpdate(ctx, u)
	if err == nil && added {
		s.m.answers.WithLabelValues(string(stored.Source)).Inc()
	}
	return stored, added, s.count("AddUpdate", err)
}

func (s *meteredStore) OpenRound(ctx context.Context, r bot.Round, prompts []bot.Delivery) (bot.Round, bool, error) {
	v, ok, err := s.Store.OpenRound(ctx, r, prompts)
	return v, ok, s.count("OpenRound", err)
}

func (s *meteredStore) Round(ctx context.Context, forumID string, p bot.Period) (bot.Round, error) {
	v, err := s.Store.Round(ctx, forumID, p)
	return v, s.count("Round", err)
}

func (s *meteredStore) RoundByID(ctx context.Context, id int64) (bot.Round, error) {
	v, err := s.Store.RoundByID(ctx, id)
	return v, s.count("RoundByID", err)
}

func (s *meteredStore) Rounds(ctx context.Context, forumID string) ([]bot.Round, error) {
	v, err := s.Store.Rounds(ctx, forumID)
	return v, s.count("Rounds", err)
}

func (s *meteredStore) OpenRounds(ctx context.Context) ([]bot.Round, error) {
	v, err := s.Store.OpenRounds(ctx)
	return v, s.count("OpenRounds", err)
}

func (s *meteredStore) CloseRound(ctx context.Context, roundID int64, at time.Time, d bot.Digest) (bot.Digest, error) {
	v, err := s.Store.CloseRound(ctx, roundID, at, d)
	return v, s.count("CloseRound", err)
}

func (s *meteredStore) ReopenRound(ctx context.Context, roundID int64, closesAt time.Time) error {
	return s.count("ReopenRound", s.Store.ReopenRound(ctx, roundID, closesAt))
}

func (s *meteredStore) RecordReminders(ctx context.Context, roundID int64, n int, manual bool, ds []bot.Delivery) error {
	return s.count("RecordReminders", s.Store.RecordReminders(ctx, roundID, n, manual, ds))
}

func (s *meteredStore) AddDigest(ctx context.Context, d bot.Digest, key string) (bot.Digest, error) {
	v, err := s.Store.AddDigest(ctx, d, key)
	return v, s.count("AddDigest", err)
}

func (s *meteredStore) Digest(ctx context.Context, id int64) (bot.Digest, error) {
	v, err := s.Store.Digest(ctx, id)
	return v, s.count("Digest", err)
}

func (s *meteredStore) Enqueue(ctx context.Context, ds []bot.Delivery) (int, error) {
	v, err := s.Store.Enqueue(ctx, ds)
	return v, s.count("Enqueue", err)
}

func (s *meteredStore) MarkSending(ctx context.Context, id int64) error {
	return s.count("MarkSending", s.Store.MarkSending(ctx, id))
}

func (s *meteredStore) MarkSendingBatch(ctx context.Context, ids []int64) ([]int64, error) {
	v, err := s.Store.MarkSendingBatch(ctx, ids)
	return v, s.count("MarkSendingBatch", err)
}

func (s *meteredStore) MarkSentBatch(ctx context.Context, marks []bot.SentMark) ([]int64, error) {
	v, err := s.Store.MarkSentBatch(ctx, marks)
	return v, s.count("MarkSentBatch", err)
}

func (s *meteredStore) Deliveries(ctx context.Context, roundID int64, kind bot.DeliveryKind) ([]bot.Delivery, error) {
	v, err := s.Store.Deliveries(ctx, roundID, kind)
	return v, s.count("Deliveries", err)
}

func (s *meteredStore) Prompted(ctx context.Context, roundID int64, among []bot.Address) ([]bot.Address, error) {
	v, err := s.Store.Prompted(ctx, roundID, among)
	return v, s.count("Prompted", err)
}

func (s *meteredStore) DeliveryByKey(ctx context.Context, key string) (bot.Delivery, error) {
	v, err := s.Store.DeliveryByKey(ctx, key)
	return v, s.count("DeliveryByKey", err)
}

func (s *meteredStore) DeliveryByRef(ctx context.Context, ref bot.MessageRef) (bot.Delivery, error) {
	v, err := s.Store.DeliveryByRef(ctx, ref)
	return v, s.count("DeliveryByRef", err)
}

func (s *meteredStore) LastRefs(ctx context.Context, to []bot.Address) (map[bot.Address]bot.MessageRef, error) {
	v, err := s.Store.LastRefs(ctx, to)
	return v, s.count("LastRefs", err)
}

func (s *meteredStore) Updates(ctx context.Context, f bot.UpdateFilter) ([]bot.Update, error) {
	v, err := s.Store.Updates(ctx, f)
	return v, s.count("Updates", err)
}

func (s *meteredStore) RecentUpdates(ctx context.Context, forumID, commitmentID string, n int) ([]bot.Update, error) {
	v, err := s.Store.RecentUpdates(ctx, forumID, commitmentID, n)
	return v, s.count("RecentUpdates", err)
}

func (s *meteredStore) LatestUpdates(ctx context.Context, forumID string, through bot.Period) ([]bot.Update, error) {
	v, err := s.Store.LatestUpdates(ctx, forumID, through)
	return v, s.count("LatestUpdates", err)
}

func (s *meteredStore) PeriodAnswers(ctx context.Context, f bot.AnswerFilter, p bot.Period) ([]bot.Update, error) {
	v, err := s.Store.PeriodAnswers(ctx, f, p)
	return v, s.count("PeriodAnswers", err)
}

func (s *meteredStore) Standing(ctx context.Context, f bot.AnswerFilter, through bot.Period) ([]bot.Update, error) {
	v, err := s.Store.Standing(ctx, f, through)
	return v, s.count("Standing", err)
}

func (s *meteredStore) LevelCounts(ctx context.Context, forumID string, commitments []string, through bot.Period) ([]bot.LevelCount, error) {
	v, err := s.Store.LevelCounts(ctx, forumID, commitments, through)
	return v, s.count("LevelCounts", err)
}

func (s *meteredStore) OpenFlags(ctx context.Context, f bot.AnswerFilter) ([]bot.OpenFlag, error) {
	v, err := s.Store.OpenFlags(ctx, f)
	return v, s.count("OpenFlags", err)
}

func (s *meteredStore) MilestonesDone(ctx context.Context, forumID string, milestones []bot.MilestoneKey, through bot.Period) (map[string]map[string]bot.Period, error) {
	v, err := s.Store.MilestonesDone(ctx, forumID, milestones, through)
	return v, s.count("MilestonesDone", err)
}

func (s *meteredStore) SetAway(ctx context.Context, who bot.Address, until bot.Date) error {
	return s.count("SetAway", s.Store.SetAway(ctx, who, until))
}

func (s *meteredStore) Absences(ctx context.Context) ([]bot.Absence, error) {
	v, err := s.Store.Absences(ctx)
	return v, s.count("Absences", err)
}

func (s *meteredStore) ChainHead(ctx context.Context, forumID string) (bot.ChainHead, error) {
	v, err := s.Store.ChainHead(ctx, forumID)
	return v, s.count("ChainHead", err)
}

func (s *meteredStore) VoidRound(ctx context.Context, roundID int64, at time.Time, who bot.Address) error {
	return s.count("VoidRound", s.Store.VoidRound(ctx, roundID, at, who))
}

func (s *meteredStore) VoidedRounds(ctx context.Context, forumID string) ([]bot.Round, error) {
	rs, err := s.Store.VoidedRounds(ctx, forumID)
	return rs, s.count("VoidedRounds", err)
}

func (s *meteredStore) AddNotice(ctx context.Context, n bot.Notice, to []bot.Address) (bool, error) {
	added, err := s.Store.AddNotice(ctx, n, to)
	return added, s.count("AddNotice", err)
}

func (s *meteredStore) Notice(ctx context.Context, id int64) (bot.Notice, error) {
	n, err := s.Store.Notice(ctx, id)
	return n, s.count("Notice", err)
}

func (s *meteredStore) FailedDeliveries(ctx context.Context, forumID string) ([]bot.Delivery, error) {
	ds, err := s.Store.FailedDeliveries(ctx, forumID)
	return ds, s.count("FailedDeliveries", err)
}

func (s *meteredStore) RetryFailed(ctx context.Context, forumID string, now time.Time) (int, error) {
	n, err := s.Store.RetryFailed(ctx, forumID, now)
	return n, s.count("RetryFailed", err)
}

func (s *meteredStore) ClaimCommand(ctx context.Context, c bot.CommandRecord) (bot.CommandRecord, bool, error) {
	prior, claimed, err := s.Store.ClaimCommand(ctx, c)
	return prior, claimed, s.count("ClaimCommand", err)
}

func (s *meteredStore) FinishCommand(ctx context.Context, who bot.Address, eventID string, outcome bot.CommandOutcome, text string) error {
	return s.count("FinishCommand", s.Store.FinishCommand(ctx, who, eventID, outcome, text))
}

func (s *meteredStore) LastLevels(ctx context.Context, f bot.AnswerFilter, through bot.Period) ([]bot.Update, error) {
	us, err := s.Store.LastLevels(ctx, f, through)
	return us, s.count("LastLevels", err)
}

func (s *meteredStore) DeliveryOutcomes(ctx context.Context, roundID int64, kind bot.DeliveryKind) (int, int, error) {
	failed, byFallback, err := s.Store.DeliveryOutcomes(ctx, roundID, kind)
	return failed, byFallback, s.count("DeliveryOutcomes", err)
}

func (s *meteredStore) CountDeliveries(ctx context.Context, roundID int64, kind bot.DeliveryKind, state bot.DeliveryState) (int, error) {
	n, err := s.Store.CountDeliveries(ctx, roundID, kind, state)
	return n, s.count("CountDeliveries", err)
}

func (s *meteredStore) AddQuestion(ctx context.Context, q bot.Question, contact string) (bot.Question, error) {
	q, err := s.Store.AddQuestion(ctx, q, contact)
	return q, s.count("AddQuestion", err)
}

func (s *meteredStore) AddQuestionEvent(ctx context.Context, ev bot.QuestionEvent) (bot.Question, bool, error) {
	q, added, err := s.Store.AddQuestionEvent(ctx, ev)
	if bot.ErrorCode(err) == bot.ECONFLICT {
		return q, added, err
	}
	return q, added, s.count("AddQuestionEvent", err)
}

func (s *meteredStore) Question(ctx context.Context, id int64) (bot.Question, error) {
	q, err := s.Store.Question(ctx, id)
	return q, s.count("Question", err)
}

func (s *meteredStore) Questions(ctx context.Context, f bot.QuestionFilter) ([]bot.Question, error) {
	qs, err := s.Store.Questions(ctx, f)
	return qs, s.count("Questions", err)
}

func (s *meteredStore) QuestionContact(ctx context.Context, id int64) (string, error) {
	c, err := s.Store.QuestionContact(ctx, id)
	return c, s.count("QuestionContact", err)
}

func (s *meteredStore) ForgetContacts(ctx context.Context, forumID string, closedBefore time.Time) (int, error) {
	n, err := s.Store.ForgetContacts(ctx, forumID, closedBefore)
	return n, s.count("ForgetContacts", err)
}
