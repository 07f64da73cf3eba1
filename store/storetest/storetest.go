// Package storetest is the conformance suite every bot.Store passes: each
// method's contract, the record's append-only guards, version numbering,
// event-id deduplication, the outbox's states, one round per forum and
// period, questions from the public (one decision each, the askers'
// addresses forgotten), the derived tables against the record, the record
// chain and its verification, and writers at once, from one handle and
// from two (two processes). store/sqlite and store/postgres run it with their own
// Harness:
//
//	func TestStore(t *testing.T) { storetest.Run(t, harness) }
package storetest

import (
	"context"
	"testing"
	"time"

	"forumbot/bot"
	"forumbot/store"
)

// Harness opens the store under test.
type Harness struct {
	// Open opens a store on a new, empty database, closed at the test's
	// cleanup.
	Open func(tb testing.TB) store.DB
	// Reopen opens a second store on db's database, as another process
	// would, closed at the test's cleanup.
	Reopen func(tb testing.TB, db store.DB) store.DB
	// Exec runs SQL on db's database outside the store, as someone holding
	// the database would.
	Exec func(tb testing.TB, db store.DB, query string) error
	// DropTrigger returns the SQL that drops trigger name of table.
	DropTrigger func(name, table string) string
	// SetNow sets the store's bookkeeping clock (the time SetAway records).
	SetNow func(db store.DB, now func() time.Time)
}

// test is one conformance test.
type test struct {
	name string
	run  func(t *testing.T, h Harness)
}

var tests = []test{
	{"OpenRound", testOpenRound},
	{"OpenRoundOncePerPeriodAtOnce", testOpenRoundAtOnce},
	{"Outbox", testOutbox},
	{"MarkSendingBatchMarksOnlyEntriesInFlight", testMarkSendingBatch},
	{"MarkSentBatchMarksOnlyEntriesInFlight", testMarkSentBatch},
	{"DeliveryOutcomesCountFailedAndFallback", testDeliveryOutcomes},
	{"LastRefs", testLastRefs},
	{"OutboxBacklog", testOutboxBacklog},
	{"WaitsAreNotAttemptsAndFailedCanBeRetried", testWaits},
	{"SameEventIDFromTwoMembers", testSameEventIDFromTwoMembers},
	{"EventIDIsTheRounds", testEventIDIsTheRounds},
	{"RecentUpdatesAcrossPeriods", testRecentUpdatesAcrossPeriods},
	{"UpdatesAreVersionedAndAppendOnly", testUpdatesAreVersionedAndAppendOnly},
	{"CloseRoundStoresAndQueuesTheDigest", testCloseRound},
	{"ReminderRecordedOnce", testReminderRecordedOnce},
	{"AbsencesAreALog", testAbsencesAreALog},
	{"VoidRound", testVoidRound},
	{"CommandClaims", testCommandClaims},
	{"NoticesAreSentOnce", testNoticesAreSentOnce},
	{"MilestonesDoneFollowLatestVersions", testMilestonesDone},
	{"MilestoneReportsRebuildFromTheRecord", testMilestoneReportsRebuild},
	{"DerivedTablesRebuildFromTheRecord", testDerivedTablesRebuild},
	{"FlagsFollowEveryUpdate", testFlagsFollowEveryUpdate},
	{"ChainHeadCountsEveryVersionAndDigest", testChainHead},
	{"VerifyNamesTheFirstBrokenLink", testVerifyNamesTheFirstBrokenLink},
	{"ConcurrentAnswersAreStoredEachOnce", testConcurrentAnswers},
	{"ConcurrentWritersFromTwoHandles", testTwoHandles},
	{"RefusedAnswersLeaveTheChainWhole", testRefusedAnswersLeaveTheChainWhole},
	{"QuestionsKeepTheContactApart", testQuestionsKeepTheContactApart},
	{"QuestionEventsInOrder", testQuestionEventsInOrder},
	{"QuestionDecidedOnce", testQuestionDecidedOnce},
	{"ConcurrentDecisionsStoreOne", testConcurrentDecisions},
	{"AnswerNeedsApproval", testAnswerNeedsApproval},
	{"QuestionReassigned", testQuestionReassigned},
	{"WaitingQuestions", testWaitingQuestions},
	{"QuestionEventIDOnce", testQuestionEventIDOnce},
	{"QuestionsAreAppendOnly", testQuestionsAreAppendOnly},
	{"ForgetContacts", testForgetContacts},
}

// Run runs the suite, each test as a subtest on its own database.
func Run(t *testing.T, h Harness) {
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, h) })
	}
}

var (
	ctx = context.Background()
	t0  = time.Date(2026, time.November, 1, 1, 0, 0, 0, time.UTC)
	nov = bot.Period{Year: 2026, Month: time.November}
)

// open opens a fresh store whose clock is t0.
func (h Harness) open(tb testing.TB) store.DB {
	tb.Helper()
	db := h.Open(tb)
	h.SetNow(db, func() time.Time { return t0 })
	return db
}

// mustRound opens forum f's November round with a prompt to each member.
func mustRound(tb testing.TB, db bot.Store, members ...bot.Address) bot.Round {
	tb.Helper()
	var ps []bot.Delivery
	for _, m := range members {
		ps = append(ps, bot.Delivery{Key: "prompt/f/" + string(m), Kind: bot.KindPrompt, ForumID: "f", To: m, State: bot.Pending, NextAttemptAt: t0, CreatedAt: t0})
	}
	r, created, err := db.OpenRound(ctx, bot.Round{ForumID: "f", Period: nov, ScheduledAt: t0, OpenedAt: t0, ClosesAt: t0.Add(7 * 24 * time.Hour)}, ps)
	if err != nil || !created {
		tb.Fatalf("OpenRound: %v created=%v", err, created)
	}
	return r
}

// update is a member's answer in round r.
func update(r bot.Round, who bot.Address) bot.Update {
	return bot.Update{ForumID: r.ForumID, Period: r.Period, RoundID: r.ID, CommitmentID: "C1", Member: who, Group: bot.Government,
		Organisation: "O", Completion: bot.Limited, Source: bot.SourceForm, SubmittedAt: t0}
}

// refused checks that each statement, run outside the store, is refused.
func (h Harness) refused(t *testing.T, db store.DB, why string, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if err := h.Exec(t, db, q); err == nil {
			t.Errorf("%s: succeeded, want it refused: %s", q, why)
		}
	}
}
