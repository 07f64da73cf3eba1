package discord

import (
	"strings"
	"testing"
)

// TestCustomIDs: each kind of id is told apart by its prefix, and a form's
// id gives back what it carries, or its form alone when the prompt id
// would make it too long.
func TestCustomIDs(t *testing.T) {
	long := strings.Repeat("9", 95)
	for _, tc := range []struct {
		name, prefix, promptID, formRef string
		wantKind, wantArg, wantPrompt   string
	}{
		{"Level", idLevel + "completion:", "130", "u:7:C1", idLevel, "completion", "130"},
		{"Retry", idRetry + "2:", "130", "u:7:C1", idRetry, "2", "130"},
		{"Modal", idModal + noLevel + ":", "130", "u:7:C1", idModal, noLevel, "130"},
		{"PromptLeftOut", idModal + "1:", long, "u:7:C1", idModal, "1", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, err := formID(tc.prefix, tc.promptID, tc.formRef)
			if err != nil || len(id) > maxCustomID {
				t.Fatalf("formID: %q %v", id, err)
			}
			arg, promptID, formRef, ok := parseFormID(id)
			if kind := kindOf(id); kind != tc.wantKind || !ok || arg != tc.wantArg || promptID != tc.wantPrompt || formRef != tc.formRef {
				t.Errorf("%q reads as %q %q %q %q %v", id, kind, arg, promptID, formRef, ok)
			}
		})
	}
	if id, err := formID(idContinue, "130", "u:7:C1"); err != nil || kindOf(id) != idContinue || id != "fc:130:u:7:C1" {
		t.Errorf("Continue's id: %q %v", id, err)
	}
	if _, err := formID(idModal+"1:", "", strings.Repeat("r", maxCustomID)); err == nil {
		t.Errorf("a form reference too long for any id was accepted")
	}
	if kind := kindOf("someone else's"); kind != "" {
		t.Errorf("an id the adapter did not make reads as %q", kind)
	}
}
