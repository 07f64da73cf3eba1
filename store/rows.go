package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"io/fs"
	"sort"
	"time"

	"forumbot/bot"
)

// What the stores read and write alike: the columns of the rows both keep
// in the same text form, and how a row becomes a bot value. A Row is a
// result row as database/sql and pgx both give it.

// Row is one result row.
type Row interface{ Scan(dest ...any) error }

// TimeLayout is how times are stored: fixed width, so text comparison is
// time comparison, and the record chain hashes the same text on both
// stores.
const TimeLayout = "2006-01-02T15:04:05.000000000Z"

// FormatTime writes t as stored.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

// ParseTime reads a stored time.
func ParseTime(s string) (time.Time, error) { return time.Parse(TimeLayout, s) }

// ParseNullTime reads a stored time that may be NULL or empty.
func ParseNullTime(s *string) (time.Time, error) {
	if s == nil || *s == "" {
		return time.Time{}, nil
	}
	return ParseTime(*s)
}

// JSONField decodes a JSON list column; most are empty, and decoding "[]"
// would be most of a row's cost.
func JSONField[T any](s string, into *[]T) error {
	if s == "[]" {
		*into = nil
		return nil
	}
	return json.Unmarshal([]byte(s), into)
}

// JSONList encodes a list column: "[]" when empty.
func JSONList[T any](xs []T) string {
	if len(xs) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(xs)
	return string(b)
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// RoundColumns are the columns ScanRound reads, in its order.
const RoundColumns = `id, forum_id, period, revision, scheduled_at, opened_at, closes_at, closed_at, state, reminders_sent, manual_reminders, voided_at, voided_by`

// ScanRound reads a row of RoundColumns.
func ScanRound(s Row) (bot.Round, error) {
	var (
		r                                    bot.Round
		period, sched, opened, closes, state string
		closed, voided                       *string
		voidedBy                             string
	)
	if err := s.Scan(&r.ID, &r.ForumID, &period, &r.Revision, &sched, &opened, &closes, &closed, &state,
		&r.RemindersSent, &r.ManualReminders, &voided, &voidedBy); err != nil {
		return r, err
	}
	var errs [6]error
	r.Period, errs[0] = bot.ParsePeriod(period)
	r.ScheduledAt, errs[1] = ParseTime(sched)
	r.OpenedAt, errs[2] = ParseTime(opened)
	r.ClosesAt, errs[3] = ParseTime(closes)
	r.ClosedAt, errs[4] = ParseNullTime(closed)
	r.VoidedAt, errs[5] = ParseNullTime(voided)
	r.State, r.VoidedBy = bot.RoundState(state), bot.Address(voidedBy)
	return r, errors.Join(errs[:]...)
}

// UpdateColumns are the columns ScanUpdate reads, in its order.
const UpdateColumns = `id, forum_id, period, round_id, commitment_id, member, grp, organisation, version, completion, progress, blockers, next_steps, note, evidence, needs, milestones_done, source, submitted_at, correction, event_id`

// ScanUpdate reads a row of UpdateColumns.
func ScanUpdate(s Row) (bot.Update, error) {
	var (
		u                                      bot.Update
		period, member, grp, completion, src   string
		evidence, needs, milestones, submitted string
		correction                             int64
		event                                  sql.NullString // a *string would allocate per row
	)
	if err := s.Scan(&u.ID, &u.ForumID, &period, &u.RoundID, &u.CommitmentID, &member, &grp, &u.Organisation, &u.Version,
		&completion, &u.Progress, &u.Blockers, &u.NextSteps, &u.Note, &evidence, &needs, &milestones, &src, &submitted, &correction, &event); err != nil {
		return u, err
	}
	u.Member, u.Group, u.Completion, u.Source = bot.Address(member), bot.Group(grp), bot.Completion(completion), bot.Source(src)
	u.Correction, u.EventID = correction != 0, event.String
	var errs [5]error
	u.Period, errs[0] = bot.ParsePeriod(period)
	u.SubmittedAt, errs[1] = ParseTime(submitted)
	errs[2] = JSONField(evidence, &u.Evidence)
	errs[3] = JSONField(needs, &u.Needs)
	errs[4] = JSONField(milestones, &u.MilestonesDone)
	return u, errors.Join(errs[:]...)
}

// DeliveryColumns are the columns ScanDelivery reads, in its order.
const DeliveryColumns = `id, key, kind, forum_id, round_id, recipient, channel, digest_id, notice_id, state, attempts, next_attempt_at, ref, last_error, created_at, sent_at, failing_since`

// ScanDelivery reads a row of DeliveryColumns.
func ScanDelivery(s Row) (bot.Delivery, error) {
	var (
		d                     bot.Delivery
		kind, to, state, ref  string
		next, created         string
		round, digest, notice *int64
		sent, failing         *string
	)
	if err := s.Scan(&d.ID, &d.Key, &kind, &d.ForumID, &round, &to, &d.Channel, &digest, &notice, &state, &d.Attempts,
		&next, &ref, &d.LastError, &created, &sent, &failing); err != nil {
		return d, err
	}
	d.Kind, d.To, d.State = bot.DeliveryKind(kind), bot.Address(to), bot.DeliveryState(state)
	d.RoundID, d.DigestID, d.NoticeID = deref(round), deref(digest), deref(notice)
	var errs [5]error
	d.NextAttemptAt, errs[0] = ParseTime(next)
	d.CreatedAt, errs[1] = ParseTime(created)
	d.SentAt, errs[2] = ParseNullTime(sent)
	d.Ref, errs[3] = bot.ParseMessageRef(ref)
	d.FailingSince, errs[4] = ParseNullTime(failing)
	return d, errors.Join(errs[:]...)
}

// OpenFlagColumns are the standing columns ScanOpenFlag reads, in its
// order, for a standing table aliased s.
const OpenFlagColumns = `s.commitment_id, s.member, s.grp, s.organisation, s.blockers, s.blockers_since, s.needs, s.needs_since`

// ScanOpenFlag reads a row of OpenFlagColumns.
func ScanOpenFlag(s Row) (bot.OpenFlag, error) {
	var fl bot.OpenFlag
	var who, grp, since, needs, needsSince string
	if err := s.Scan(&fl.CommitmentID, &who, &grp, &fl.Organisation, &fl.Blockers, &since, &needs, &needsSince); err != nil {
		return fl, err
	}
	fl.Member, fl.Group = bot.Address(who), bot.Group(grp)
	var err error
	if since != "" {
		if fl.BlockersSince, err = bot.ParsePeriod(since); err != nil {
			return fl, err
		}
	}
	if err := JSONField(needs, &fl.Needs); err != nil {
		return fl, err
	}
	if len(fl.Needs) > 0 {
		if err := json.Unmarshal([]byte(needsSince), &fl.NeedsSince); err != nil {
			return fl, err
		}
	}
	return fl, nil
}

// MigrationNames returns a store's embedded migrations
// (migrations/*.sql of fsys) in order: the schema version is how many of
// them a database has applied.
func MigrationNames(fsys fs.FS) ([]string, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	sort.Strings(names)
	return names, err
}

// NewerSchema is the error for a database migrated by a newer forumbot.
func NewerSchema(version, latest int) error {
	return bot.Errorf(bot.EINVALID, "database schema v%d is newer than this forumbot (v%d): upgrade forumbot", version, latest)
}

// QuestionColumns are the columns ScanQuestion reads, in order.
// The last says whether an e-mail address is stored for it.
const QuestionColumns = `id, forum_id, commitment_id, text, name, organisation, publish_name, locale, asked_at, due_at,
	(SELECT count(*) FROM question_contacts c WHERE c.question_id = questions.id)`

// ScanQuestion reads a question row of QuestionColumns.
func ScanQuestion(r Row) (bot.Question, error) {
	var (
		q            bot.Question
		publish      int
		asked, dueAt string
		contacts     int64
	)
	if err := r.Scan(&q.ID, &q.ForumID, &q.AskedOn, &q.Text, &q.Name, &q.Organisation, &publish, &q.Locale, &asked, &dueAt, &contacts); err != nil {
		return q, err
	}
	q.PublishName, q.HasContact = publish != 0, contacts > 0
	var errs [2]error
	q.AskedAt, errs[0] = ParseTime(asked)
	q.DueAt, errs[1] = ParseTime(dueAt)
	return q, errors.Join(errs[:]...)
}

// QuestionEventColumns are the columns ScanQuestionEvent reads, in order.
const QuestionEventColumns = `id, question_id, kind, at, by_member, grp, organisation, reason, text, evidence, commitment_id, event_id`

// ScanQuestionEvent reads a question event row of QuestionEventColumns.
func ScanQuestionEvent(r Row) (bot.QuestionEvent, error) {
	var (
		ev           bot.QuestionEvent
		at, evidence string
	)
	if err := r.Scan(&ev.ID, &ev.QuestionID, &ev.Kind, &at, &ev.By, &ev.Group, &ev.Organisation, &ev.Reason, &ev.Text, &evidence, &ev.Commitment, &ev.EventID); err != nil {
		return ev, err
	}
	var errs [2]error
	ev.At, errs[0] = ParseTime(at)
	errs[1] = JSONField(evidence, &ev.Evidence)
	return ev, errors.Join(errs[:]...)
}

// AttachEvents gives each question its events, which come ordered by id.
func AttachEvents(qs []bot.Question, evs []bot.QuestionEvent) {
	at := make(map[int64]int, len(qs))
	for i := range qs {
		at[qs[i].ID] = i
	}
	for _, ev := range evs {
		if i, ok := at[ev.QuestionID]; ok {
			qs[i].Events = append(qs[i].Events, ev)
		}
	}
}

// FilterQuestions keeps the questions f matches but for the forum, which
// the query matched: the commitment a question stands on now and whether
// it waits follow from its events.
func FilterQuestions(qs []bot.Question, f bot.QuestionFilter) []bot.Question {
	out := qs[:0]
	for _, q := range qs {
		if f.Commitment != "" && q.Commitment() != f.Commitment {
			continue
		}
		if f.Waiting {
			if s := q.State(); s != bot.QuestionPending && s != bot.QuestionOpen {
				continue
			}
		}
		out = append(out, q)
	}
	return out
}

// ForgottenAddress replaces a forgotten asker's address in the outbox.
const ForgottenAddress = "email:forgotten.invalid"

// Contact is an asker's stored e-mail address.
type Contact struct {
	QuestionID int64
	Email      string
}

// ScanContacts reads rows of question id and address; the caller closes
// them.
func ScanContacts(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
}) ([]Contact, error) {
	var out []Contact
	for rows.Next() {
		var c Contact
		if err := rows.Scan(&c.QuestionID, &c.Email); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
