package bot

import (
	"slices"
	"testing"
)

// TestFirstRecipients: an approved question goes first to the committee's
// chairs and the members of its lead agency (send_to: leads, the default),
// to the whole committee when it has neither, and always to the whole
// committee with send_to: committee.
func TestFirstRecipients(t *testing.T) {
	committee := []Member{
		{Who: "slack:U1", Organisation: "Finance Office", Group: Government},
		{Who: "slack:U2", Organisation: "Procurement Agency", Group: Government},
		{Who: "discord:3", Organisation: "Open Data Club", Group: CivilSociety, Role: Chair},
		{Who: "email:d@example.org", Organisation: "procurement agency", Group: Government},
	}
	for _, tc := range []struct {
		name   string
		sendTo QuestionRecipients
		lead   string
		roles  bool
		want   []Address
	}{
		{"leads: chair and lead agency, the agency's name in any case", SendToLeads, "Procurement Agency", true,
			[]Address{"slack:U2", "discord:3", "email:d@example.org"}},
		{"leads: the chair alone when there is no lead agency", SendToLeads, "", true, []Address{"discord:3"}},
		{"leads: the lead agency alone when there is no chair", SendToLeads, "Finance Office", false, []Address{"slack:U1"}},
		{"leads: the whole committee when it has neither", SendToLeads, "", false,
			[]Address{"slack:U1", "slack:U2", "discord:3", "email:d@example.org"}},
		{"committee: everyone, chair and lead agency or not", SendToCommittee, "Procurement Agency", true,
			[]Address{"slack:U1", "slack:U2", "discord:3", "email:d@example.org"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			members := slices.Clone(committee)
			if !tc.roles {
				for i := range members {
					members[i].Role = ""
				}
			}
			f := &Forum{Questions: QuestionPolicy{SendTo: tc.sendTo}}
			c := &Commitment{ID: "C1", LeadAgency: tc.lead, Committee: members}
			if got := firstRecipients(f, c); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
