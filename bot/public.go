package bot

// The wording of figures that the public site shares with the digest and
// the report, so that a view reads the same everywhere it is published.

// ViewChangeText words a group's view as the digest does (its level and
// how many answers it rests on, "last reported September 2026" when
// stale, or "not reported yet"), followed by the change since the group's
// own view of the period before p, when there is one.
func ViewChangeText(t Texts, v GroupView, p Period) string { return viewWithChange(t, v, p) }

// MomentHeaders names the report's progress-report and end-of-term
// columns as the report does, each marked "so far" with the month the
// views are as of while that moment has not passed.
func MomentHeaders(t Texts, r Report) (progress, end string) { return momentHeaders(t, r) }

// CSVSafe makes text safe in a CSV cell opened in a spreadsheet, as the
// report's CSV does: no formula, no control or bidirectional character.
func CSVSafe(s string) string { return csvSafe(s) }

// NextRoundText says, as the digest's footer does, when the next round
// opens or, once the plan is over, when the last one was; empty when
// neither is known.
func NextRoundText(t Texts, d *DigestData) string { return nextRoundText(t, d) }
