package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A Question is what a member of the public asked about a commitment on
// the public site. It is stored before anything else happens to it, and
// never changed: what happens to it afterwards (moderation, answers, a move
// to another commitment) is a list of QuestionEvents, appended in order.
type Question struct {
	ID      int64
	ForumID string
	// AskedOn is the commitment the question was asked on; Commitment
	// says where it stands now.
	AskedOn string
	Text    string
	// Name and Organisation are the asker's, both optional; they are
	// published only when PublishName is set.
	Name         string
	Organisation string
	PublishName  bool
	// Locale is the language the asker used.
	Locale  string
	AskedAt time.Time
	// DueAt is when an answer is due: the forum's deadline after AskedAt,
	// fixed when the question is stored.
	DueAt time.Time
	// Events are what happened to the question since, oldest first.
	Events []QuestionEvent
	// HasContact says the asker left an e-mail address for a notice; the
	// address is stored apart and never in a Question.
	HasContact bool
}

// QuestionEventKind says what happened to a question.
type QuestionEventKind string

// Question event kinds.
const (
	QuestionApproved   QuestionEventKind = "approved"
	QuestionRejected   QuestionEventKind = "rejected"
	QuestionAnswered   QuestionEventKind = "answered"
	QuestionReassigned QuestionEventKind = "reassigned"
)

// RejectReason is why a coordinator rejected a question.
type RejectReason string

// Reasons for rejecting a question; RejectReasons lists them in order.
const (
	RejectOffTopic     RejectReason = "off_topic"
	RejectAbusive      RejectReason = "abusive"
	RejectPersonalData RejectReason = "personal_data"
	RejectDuplicate    RejectReason = "duplicate"
)

// RejectReasons are the reasons a rejection may give.
var RejectReasons = []RejectReason{RejectOffTopic, RejectAbusive, RejectPersonalData, RejectDuplicate}

// ParseRejectReason returns the reason named s.
func ParseRejectReason(s string) (RejectReason, error) {
	for _, r := range RejectReasons {
		if string(r) == s {
			return r, nil
		}
	}
	return "", Errorf(EINVALID, "unknown reason %q (allowed: off_topic, abusive, personal_data, duplicate)", s)
}

// QuestionEvent is one thing that happened to a question.
type QuestionEvent struct {
	ID         int64
	QuestionID int64
	Kind       QuestionEventKind
	At         time.Time
	// By is who did it: a coordinator (moderation, a move) or a committee
	// member (an answer).
	By Address
	// Group and Organisation are the answering member's at the time.
	Group        Group
	Organisation string
	// Reason is a rejection's.
	Reason RejectReason
	// Text is an answer, or the note of a rejection.
	Text string
	// Evidence are an answer's links.
	Evidence []string
	// Commitment is where a move put the question.
	Commitment string
	// EventID is the platform event that carried it, so that a redelivered
	// event is stored once.
	EventID string
}

// QuestionState is where a question stands.
type QuestionState string

// Question states.
const (
	// QuestionPending: waiting for a coordinator's decision.
	QuestionPending QuestionState = "pending"
	// QuestionOpen: approved, waiting for an answer.
	QuestionOpen QuestionState = "open"
	// QuestionAnsweredState: answered at least once.
	QuestionAnsweredState QuestionState = "answered"
	// QuestionRejectedState: rejected by a coordinator.
	QuestionRejectedState QuestionState = "rejected"
)

// Ref is the question's reference, shown to the asker and in chat: Q-42.
func (q Question) Ref() string { return "Q-" + strconv.FormatInt(q.ID, 10) }

// ParseQuestionRef reads a reference as Ref writes it ("Q-42"; "q42" and
// "42" are accepted too).
func ParseQuestionRef(s string) (int64, error) {
	t := strings.TrimPrefix(strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "Q"), "-")
	id, err := strconv.ParseInt(t, 10, 64)
	if err != nil || id <= 0 {
		return 0, Errorf(EINVALID, "%q is not a question reference (like Q-12)", s)
	}
	return id, nil
}

// Commitment is the commitment the question stands on now: the last move's,
// else the one it was asked on.
func (q Question) Commitment() string {
	c := q.AskedOn
	for _, ev := range q.Events {
		if ev.Kind == QuestionReassigned {
			c = ev.Commitment
		}
	}
	return c
}

// State says where the question stands.
func (q Question) State() QuestionState {
	state := QuestionPending
	for _, ev := range q.Events {
		switch ev.Kind {
		case QuestionApproved:
			if state == QuestionPending {
				state = QuestionOpen
			}
		case QuestionRejected:
			return QuestionRejectedState
		case QuestionAnswered:
			state = QuestionAnsweredState
		}
	}
	return state
}

// Decision returns the approval or rejection, if any.
func (q Question) Decision() (QuestionEvent, bool) {
	for _, ev := range q.Events {
		if ev.Kind == QuestionApproved || ev.Kind == QuestionRejected {
			return ev, true
		}
	}
	return QuestionEvent{}, false
}

// Answers returns the answers, oldest first.
func (q Question) Answers() []QuestionEvent {
	var out []QuestionEvent
	for _, ev := range q.Events {
		if ev.Kind == QuestionAnswered {
			out = append(out, ev)
		}
	}
	return out
}

// ClosedAt is when the question stopped waiting for anyone: its first
// answer or its rejection; zero while it waits.
func (q Question) ClosedAt() time.Time {
	for _, ev := range q.Events {
		if ev.Kind == QuestionAnswered || ev.Kind == QuestionRejected {
			return ev.At
		}
	}
	return time.Time{}
}

// Overdue says an approved question is still unanswered at now, past its
// due time.
func (q Question) Overdue(now time.Time) bool {
	return q.State() == QuestionOpen && now.After(q.DueAt)
}

// check validates a new event against the question as it stands: the
// store calls it inside the transaction that appends ev, so that two
// coordinators deciding at once cannot both be recorded. It returns an
// *Error with ECONFLICT naming what stands in the way.
func (q Question) check(ev QuestionEvent) error {
	state := q.State()
	switch ev.Kind {
	case QuestionApproved, QuestionRejected:
		if d, ok := q.Decision(); ok {
			return Errorf(ECONFLICT, "%s was already %s by %s", q.Ref(), d.Kind, d.By)
		}
	case QuestionAnswered:
		if state != QuestionOpen && state != QuestionAnsweredState {
			return Errorf(ECONFLICT, "%s is %s: only an approved question can be answered", q.Ref(), state)
		}
	case QuestionReassigned:
		if state == QuestionRejectedState {
			return Errorf(ECONFLICT, "%s was rejected: it cannot move", q.Ref())
		}
		if ev.Commitment == "" || ev.Commitment == q.Commitment() {
			return Errorf(ECONFLICT, "%s is already on %s", q.Ref(), q.Commitment())
		}
	default:
		return Errorf(EINVALID, "unknown question event %q", ev.Kind)
	}
	return nil
}

// CheckQuestionEvent is check for stores: nil when ev may be appended to q.
func CheckQuestionEvent(q *Question, ev QuestionEvent) error { return q.check(ev) }

// QuestionFilter narrows a read of questions; ForumID is required.
type QuestionFilter struct {
	ForumID string
	// Commitment matches the commitment a question stands on now.
	Commitment string
	// Waiting keeps the questions still waiting: pending or approved and
	// unanswered.
	Waiting bool
}

// QuestionTally counts a commitment's questions: the figures the digest,
// the report and the site show, computed by TallyQuestions alone.
type QuestionTally struct {
	// Received counts every question asked, rejected ones included.
	Received int
	// Pending are waiting for moderation.
	Pending int
	// Rejected counts rejections, by reason in Reasons.
	Rejected int
	Reasons  map[RejectReason]int
	// OnTime and Late count answered questions by their first answer.
	OnTime, Late int
	// Unanswered are approved and not answered; Overdue of them are past
	// their due time.
	Unanswered, Overdue int
}

// TallyQuestions counts questions by the commitment they stand on, as of
// now.
func TallyQuestions(qs []Question, now time.Time) map[string]QuestionTally {
	out := map[string]QuestionTally{}
	for i := range qs {
		q := &qs[i]
		c := q.Commitment()
		t := out[c]
		t.Received++
		switch q.State() {
		case QuestionPending:
			t.Pending++
		case QuestionRejectedState:
			t.Rejected++
			if t.Reasons == nil {
				t.Reasons = map[RejectReason]int{}
			}
			d, _ := q.Decision()
			t.Reasons[d.Reason]++
		case QuestionOpen:
			t.Unanswered++
			if q.Overdue(now) {
				t.Overdue++
			}
		case QuestionAnsweredState:
			if first := q.Answers()[0]; first.At.After(q.DueAt) {
				t.Late++
			} else {
				t.OnTime++
			}
		}
		out[c] = t
	}
	return out
}

// Add returns the sum of two tallies.
func (t QuestionTally) Add(u QuestionTally) QuestionTally {
	s := QuestionTally{
		Received: t.Received + u.Received, Pending: t.Pending + u.Pending, Rejected: t.Rejected + u.Rejected,
		OnTime: t.OnTime + u.OnTime, Late: t.Late + u.Late, Unanswered: t.Unanswered + u.Unanswered, Overdue: t.Overdue + u.Overdue,
	}
	for _, m := range []map[RejectReason]int{t.Reasons, u.Reasons} {
		for r, n := range m {
			if s.Reasons == nil {
				s.Reasons = map[RejectReason]int{}
			}
			s.Reasons[r] += n
		}
	}
	return s
}

// Defang writes the links in text so that no platform makes them
// clickable: a question not yet approved may carry anything.
func Defang(text string) string {
	r := strings.NewReplacer("://", "[:]//", "www.", "www[.]", "@", "[at]")
	return r.Replace(text)
}

// QuestionKey is the key of the notices about question id: its moderation,
// the request to the committee, reminders and the asker's notices.
func QuestionKey(id int64, what string) string {
	return fmt.Sprintf("question/%d/%s", id, what)
}
