package discord

import (
	"strings"

	"forumbot/bot"
)

// Custom ids (at most 100 characters) say what each component the adapter
// makes is, and carry what answering it needs; each kind starts with its
// prefix:
//
//	b:<action>:<value>                  a bot.Button
//	ft:<field>:<prompt id>:<form ref>   the level menu; a choice opens the modal
//	fs:<field>:<chunk>                  another menu of the panel
//	fc:<prompt id>:<form ref>           "Continue": opens the modal (no level menu)
//	fr:<level>:<prompt id>:<form ref>   "Try again" after errors: reopens the modal
//	fm:<level>:<prompt id>:<form ref>   the modal; <level> indexes the level menu, "-" for none
//	list:<field>                        a modal's text input for a choice that did not fit in
//	                                    menus, one value per line (other inputs: the field's name)
//
// The prompt id names the message the form was opened from, so the answer
// edits that message; it is left out when the id would be too long.
const (
	idButton   = "b:"
	idLevel    = "ft:"
	idMenu     = "fs:"
	idContinue = "fc:"
	idRetry    = "fr:"
	idModal    = "fm:"
	idList     = "list:"
)

// kindOf returns the kind (the prefix) of the custom id of a component or
// a modal the adapter made, or "".
func kindOf(customID string) string {
	for _, prefix := range []string{idButton, idLevel, idMenu, idContinue, idRetry, idModal} {
		if strings.HasPrefix(customID, prefix) {
			return prefix
		}
	}
	return ""
}

// formID builds a custom id: prefix (a kind and, for some, an argument
// and a colon), then a prompt id and the form's reference, leaving the
// prompt id out if the whole would be too long.
func formID(prefix, promptID, formRef string) (string, error) {
	id := prefix + promptID + ":" + formRef
	if len(id) > maxCustomID {
		id = prefix + ":" + formRef
	}
	if len(id) > maxCustomID {
		return "", bot.Errorf(bot.EINVALID, "form reference %q is too long for Discord", formRef)
	}
	return id, nil
}

// parseFormID reads "<kind>:<arg>:<prompt id>:<form ref>".
func parseFormID(id string) (arg, promptID, formRef string, ok bool) {
	parts := strings.SplitN(id, ":", 4)
	if len(parts) != 4 || parts[3] == "" {
		return "", "", "", false
	}
	return parts[1], parts[2], parts[3], true
}
