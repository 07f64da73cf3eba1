package bot

import (
	"context"
	"time"
)

// Round is one reporting period of one forum.
type Round struct {
	ID      int64
	ForumID string
	Period  Period
	// Revision counts the voided rounds of the same period before this
	// one: 0 for the first round of a period.
	Revision    int
	ScheduledAt time.Time
	OpenedAt    time.Time
	ClosesAt    time.Time
	// ClosedAt is zero while the round is open.
	ClosedAt time.Time
	State    RoundState
	// RemindersSent counts the scheduled reminders already enqueued.
	RemindersSent int
	// ManualReminders counts reminders a coordinator asked for.
	ManualReminders int
	// VoidedAt and VoidedBy say when and by whom a voided round was voided.
	VoidedAt time.Time
	VoidedBy Address
}

// RoundState is open, closed or voided.
type RoundState string

// Round states.
const (
	RoundOpen   RoundState = "open"
	RoundClosed RoundState = "closed"
	// RoundVoided: opened by mistake and voided by a coordinator. The round
	// stays in the record but holds no answer and counts in no figure.
	RoundVoided RoundState = "voided"
)

// DeliveryKind says what an outbox entry delivers.
type DeliveryKind string

// Delivery kinds.
const (
	KindPrompt   DeliveryKind = "prompt"
	KindReminder DeliveryKind = "reminder"
	KindDigest   DeliveryKind = "digest"
	// KindNotice tells a coordinator what the bot did on its own, e.g. a
	// round it opened late after downtime.
	KindNotice DeliveryKind = "notice"
)

// DeliveryState is where an outbox entry stands.
type DeliveryState string

// Delivery states. An entry found "sending" after a restart may or may not
// have reached the platform; the sender asks the Chat before resending.
const (
	Pending DeliveryState = "pending"
	Sending DeliveryState = "sending"
	Sent    DeliveryState = "sent"
	Failed  DeliveryState = "failed"
	// Skipped: no longer worth sending, e.g. a reminder to someone who has
	// answered since it was queued.
	Skipped DeliveryState = "skipped"
)

// Delivery is one entry of the outbox: a prompt to a member, a reminder, a
// digest to a channel. A prompt is the delivery of kind KindPrompt.
type Delivery struct {
	ID       int64
	Key      string
	Kind     DeliveryKind
	ForumID  string
	RoundID  int64
	To       Address
	Channel  bool
	DigestID int64
	NoticeID int64
	State    DeliveryState
	// Attempts counts the sends that failed; a wait the platform asked
	// for is not one.
	Attempts int
	// NextAttemptAt is when a pending entry may be tried (again).
	NextAttemptAt time.Time
	// FailingSince is when the entry's sends began to fail, zero while
	// none has: the sender gives up after a long time of failures.
	FailingSince time.Time
	Ref          MessageRef
	LastError    string
	CreatedAt    time.Time
	SentAt       time.Time
}

// SentMark is a delivered outbox entry to be marked sent: its id, the
// platform's reference for the message, and when it was sent.
type SentMark struct {
	ID  int64
	Ref MessageRef
	At  time.Time
}

// Update is one member's assessment of one commitment for one round. Updates
// are never changed: an edit is a new Version.
type Update struct {
	ID           int64
	ForumID      string
	Period       Period
	RoundID      int64
	CommitmentID string
	Member       Address
	// Group and Organisation are the member's at the time of the update,
	// kept so the record does not change when the config does.
	Group          Group
	Organisation   string
	Version        int
	Completion     Completion
	Progress       string
	Blockers       string
	NextSteps      string
	Note           string
	Evidence       []string
	Needs          []Need
	MilestonesDone []string
	Source         Source
	SubmittedAt    time.Time
	// Correction marks an update submitted after its round closed.
	Correction bool
	// EventID is the platform event that carried the update, if any.
	EventID string
}

// Digest is a digest as it was built and posted: the public record.
type Digest struct {
	ID      int64
	ForumID string
	// CommitmentID is empty for a digest of the whole plan.
	CommitmentID string
	Period       Period
	RoundID      int64
	CreatedAt    time.Time
	Channel      Address
	Message      Message
}

// Absence is what a member said about being away: away until Until,
// inclusive, or back when Until is zero; said at SetAt.
type Absence struct {
	Member Address
	Until  Date
	SetAt  time.Time
}

// AnswerFilter narrows the reads of latest versions; zero fields match
// everything but the forum, which is required.
type AnswerFilter struct {
	ForumID     string
	Commitments []string
	Member      Address
}

// MilestoneKey names one milestone of one commitment.
type MilestoneKey struct {
	CommitmentID, MilestoneID string
}

// UpdateFilter narrows an update query; zero fields match everything.
type UpdateFilter struct {
	ForumID      string
	CommitmentID string
	Member       Address
	RoundID      int64
	From, To     Period
}

// Store is the port to durable storage. Methods return *Error with ENOTFOUND
// when a single thing asked for does not exist and ECONFLICT when a write
// clashes with stored state; other errors are internal.
type Store interface {
	// OpenRound inserts r and its prompts in one transaction. If the forum
	// already has a round for r.Period it changes nothing and returns that
	// round with created false.
	OpenRound(ctx context.Context, r Round, prompts []Delivery) (round Round, created bool, err error)
	// Round returns a forum's round for a period.
	Round(ctx context.Context, forumID string, p Period) (Round, error)
	// RoundByID returns a round by id.
	RoundByID(ctx context.Context, id int64) (Round, error)
	// Rounds returns a forum's rounds, oldest first.
	Rounds(ctx context.Context, forumID string) ([]Round, error)
	// OpenRounds returns every open round of every forum.
	OpenRounds(ctx context.Context) ([]Round, error)
	// CloseRound closes an open round, stores its digest and enqueues it in
	// one transaction; it returns ECONFLICT if the round is already closed.
	CloseRound(ctx context.Context, roundID int64, at time.Time, d Digest) (Digest, error)
	// ReopenRound opens a closed round again until closesAt.
	ReopenRound(ctx context.Context, roundID int64, closesAt time.Time) error
	// VoidRound voids a round opened by mistake, as by who at at, and
	// skips its entries still to send, in one transaction. It returns
	// ECONFLICT if the round holds any update (an answer or a note) or is
	// already voided. Round, Rounds and OpenRounds leave voided rounds
	// out; RoundByID returns them, in state RoundVoided.
	VoidRound(ctx context.Context, roundID int64, at time.Time, who Address) error
	// VoidedRounds returns a forum's voided rounds, oldest first.
	VoidedRounds(ctx context.Context, forumID string) ([]Round, error)
	// RecordReminders marks reminder n of a round as decided and enqueues its
	// deliveries in one transaction. manual says which counter n belongs to.
	// It returns ECONFLICT if that reminder was already recorded.
	RecordReminders(ctx context.Context, roundID int64, n int, manual bool, ds []Delivery) error
	// AddDigest stores a digest asked for by command and enqueues it.
	AddDigest(ctx context.Context, d Digest, key string) (Digest, error)
	// Digest returns a stored digest by id.
	Digest(ctx context.Context, id int64) (Digest, error)
	// AddNotice stores n and enqueues it to each recipient, unless a
	// notice with n.Key is stored already: then it changes nothing and
	// returns added false.
	AddNotice(ctx context.Context, n Notice, to []Address) (added bool, err error)
	// Notice returns a stored notice by id.
	Notice(ctx context.Context, id int64) (Notice, error)

	// Enqueue adds outbox entries, skipping any whose key is already
	// stored, and returns how many it added.
	Enqueue(ctx context.Context, ds []Delivery) (int, error)
	// DueDeliveries returns up to limit pending or sending entries whose
	// next attempt is due at now and whose id is above after, by id: a
	// caller pages through the outbox with the last id it saw.
	DueDeliveries(ctx context.Context, now time.Time, after int64, limit int) ([]Delivery, error)
	// MarkSending records that a send of the entry is about to start.
	MarkSending(ctx context.Context, id int64) error
	// MarkSendingBatch is MarkSending for several entries in one write,
	// for the sender to mark the entries it is about to send at once. It
	// returns the ids it marked, in the order given: those still pending
	// or sending. An entry no longer in flight is left as it is.
	MarkSendingBatch(ctx context.Context, ids []int64) ([]int64, error)
	// MarkSent records the platform's reference for a delivered entry.
	MarkSent(ctx context.Context, id int64, ref MessageRef, at time.Time) error
	// MarkSentBatch is MarkSent for several entries in one write. It
	// returns the ids it marked, in the order given: those still pending
	// or sending. An entry no longer in flight is left as it is.
	MarkSentBatch(ctx context.Context, marks []SentMark) ([]int64, error)
	// MarkRetry counts a failed attempt made at failedAt and returns the
	// entry to pending, to be tried at next. The first one sets the
	// entry's FailingSince.
	MarkRetry(ctx context.Context, id int64, failedAt, next time.Time, reason string) error
	// MarkWaiting reschedules an entry to next without counting an
	// attempt: the platform asked to wait. unsent says the send itself was
	// refused, so nothing reached the platform and a "sending" entry is
	// pending again; otherwise the state is left as it is.
	MarkWaiting(ctx context.Context, id int64, next time.Time, reason string, unsent bool) error
	// MarkFailed gives up on an entry.
	MarkFailed(ctx context.Context, id int64, reason string) error
	// MarkSkipped drops an entry that is no longer worth sending.
	MarkSkipped(ctx context.Context, id int64, reason string) error
	// FailedDeliveries returns a forum's entries given up on, oldest first.
	FailedDeliveries(ctx context.Context, forumID string) ([]Delivery, error)
	// RetryFailed returns every entry of a forum given up on to pending,
	// due at now, as if never tried, and returns how many it returned.
	RetryFailed(ctx context.Context, forumID string, now time.Time) (int, error)
	// Deliveries returns a round's outbox entries of one kind.
	Deliveries(ctx context.Context, roundID int64, kind DeliveryKind) ([]Delivery, error)
	// CountDeliveries counts a round's outbox entries of one kind in one
	// state.
	CountDeliveries(ctx context.Context, roundID int64, kind DeliveryKind, state DeliveryState) (int, error)
	// DeliveryOutcomes counts a round's outbox entries of one kind that
	// were given up on (failed), and those sent to another platform than
	// their recipient's (byFallback: the member's fallback address).
	DeliveryOutcomes(ctx context.Context, roundID int64, kind DeliveryKind) (failed, byFallback int, err error)
	// Prompted returns the members a prompt was queued for in a round (and
	// not skipped); with among, only those of among (a committee: a
	// status reply reads its commitment's, not the whole forum's).
	Prompted(ctx context.Context, roundID int64, among []Address) ([]Address, error)
	// DeliveryByKey returns the entry with the given idempotency key.
	DeliveryByKey(ctx context.Context, key string) (Delivery, error)
	// DeliveryByRef returns the entry whose sent message is ref.
	DeliveryByRef(ctx context.Context, ref MessageRef) (Delivery, error)
	// LastRefs returns the newest message sent to each of the recipients
	// to whom anything was sent.
	LastRefs(ctx context.Context, to []Address) (map[Address]MessageRef, error)

	// AddUpdate stores u as the next version of its member's update for its
	// round and commitment. An update whose EventID is already stored is not
	// stored again: the stored one is returned with added false.
	AddUpdate(ctx context.Context, u Update) (stored Update, added bool, err error)
	// Updates returns every version of the updates matching f, in the order
	// they were stored.
	Updates(ctx context.Context, f UpdateFilter) ([]Update, error)
	// RecentUpdates returns the n versions of a commitment's updates stored
	// last, newest first.
	RecentUpdates(ctx context.Context, forumID, commitmentID string, n int) ([]Update, error)
	// LatestUpdates returns, for each period up to and including through,
	// the latest version of each member's update of each commitment.
	LatestUpdates(ctx context.Context, forumID string, through Period) ([]Update, error)
	// PeriodAnswers returns the latest version of each member's update of
	// each commitment in period p, answers and notes alike, in the order
	// stored. Each carries what the figures and the digest's highlights
	// read: ID, ForumID, Period, RoundID, CommitmentID, Member, Group,
	// Organisation, Version, Completion, Progress, Note and Evidence; the
	// other fields are left empty. f.ForumID is required. It reads in proportion to the
	// committees, not to the history.
	PeriodAnswers(ctx context.Context, f AnswerFilter, p Period) ([]Update, error)
	// Standing returns each member's latest answer with a level for each
	// commitment, from a period up to and including through. It reads in
	// proportion to the members and commitments asked for.
	Standing(ctx context.Context, f AnswerFilter, through Period) ([]Update, error)
	// LastLevels is Standing for what a prompt shows of the last answers:
	// each carries ForumID, CommitmentID, Member, Period and Completion
	// only.
	LastLevels(ctx context.Context, f AnswerFilter, through Period) ([]Update, error)
	// LevelCounts returns the level counts of the commitments given, for
	// each stakeholder group: in period through, in the period before, and
	// in the group's latest period up to through with answers.
	LevelCounts(ctx context.Context, forumID string, commitments []string, through Period) ([]LevelCount, error)
	// OpenFlags returns what each member's latest answer on each commitment
	// flags, as the record stands now, for those that flag anything.
	OpenFlags(ctx context.Context, f AnswerFilter) ([]OpenFlag, error)
	// MilestonesDone returns, by commitment, those of the milestones given
	// that the latest version of some member's update marks done, in a
	// period up to and including through, with the first such period. It
	// reads in proportion to the milestones asked for.
	MilestonesDone(ctx context.Context, forumID string, milestones []MilestoneKey, through Period) (map[string]map[string]Period, error)

	// SetAway records that who is away until the given date; a zero date
	// means back. Earlier entries are kept: the absences are a log.
	SetAway(ctx context.Context, who Address, until Date) error
	// Absences returns every recorded absence, oldest first, so that a
	// round's excusals can be read as they stood when it closed.
	Absences(ctx context.Context) ([]Absence, error)

	// ClaimCommand records that c's request is being handled. If the same
	// member's request with the same event id was claimed before, it
	// changes nothing and returns that record with claimed false.
	ClaimCommand(ctx context.Context, c CommandRecord) (prior CommandRecord, claimed bool, err error)
	// FinishCommand records what a claimed request answered.
	FinishCommand(ctx context.Context, who Address, eventID string, outcome CommandOutcome, text string) error

	// AddQuestion stores q, with the asker's e-mail address apart when
	// contact is not empty, and returns it with its ID. Questions are never
	// changed or deleted; the address is, by ForgetContacts.
	AddQuestion(ctx context.Context, q Question, contact string) (Question, error)
	// AddQuestionEvent appends ev to its question and returns the question
	// as it stands after. The check that ev may follow the question's
	// events (CheckQuestionEvent) runs in the same transaction: a refused
	// event returns its *Error (ECONFLICT) and stores nothing. An event
	// whose EventID is already stored for the question is not stored
	// again: the question is returned with added false.
	AddQuestionEvent(ctx context.Context, ev QuestionEvent) (q Question, added bool, err error)
	// Question returns a question by id, with its events.
	Question(ctx context.Context, id int64) (Question, error)
	// Questions returns the questions matching f with their events, oldest
	// first.
	Questions(ctx context.Context, f QuestionFilter) ([]Question, error)
	// QuestionContact returns the e-mail address the asker left; empty when
	// none was left or it was forgotten.
	QuestionContact(ctx context.Context, id int64) (string, error)
	// ForgetContacts deletes the addresses of a forum's questions closed
	// (first answered or rejected) before closedBefore, and replaces them
	// in the outbox entries of the notices about those questions. It
	// returns how many addresses it deleted.
	ForgetContacts(ctx context.Context, forumID string, closedBefore time.Time) (int, error)

	// ChainHead returns the newest entry of a forum's record chain: every
	// stored update version and digest is chained to the one before by
	// hash, so that publishing the head (in a digest) makes later edits
	// of the record outside the bot evident. A forum with no record has
	// the zero ChainHead.
	ChainHead(ctx context.Context, forumID string) (ChainHead, error)
}

// ChainHead is the newest entry of a forum's record chain.
type ChainHead struct {
	// Entries counts the updates and digests chained so far.
	Entries int64
	// Hash is the SHA-256 of the last entry, in hex; empty when Entries
	// is 0.
	Hash string
}

// Short is Hash as a digest can show it: its first eight and last four
// hex digits, e.g. 4f3a9b1c…e2c2; empty for an empty chain.
func (h ChainHead) Short() string {
	if len(h.Hash) < 12 {
		return h.Hash
	}
	return h.Hash[:8] + "…" + h.Hash[len(h.Hash)-4:]
}
