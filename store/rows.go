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
