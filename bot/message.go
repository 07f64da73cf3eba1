package bot

// Message is a platform-neutral message. Every string in it is plain text:
// adapters escape it for their platform and add their own formatting, so
// text a person typed can never turn into markup, links or mentions.
type Message struct {
	// Header is the message's title line.
	Header string `json:"header,omitempty"`
	// Text is the paragraph under the header.
	Text string `json:"text,omitempty"`
	// Sections follow in order; a long message may be split between
	// sections, never inside one.
	Sections []Section `json:"sections,omitempty"`
	// Buttons are actions offered under the whole message.
	Buttons []Button `json:"buttons,omitempty"`
	// Footer is a line of small print at the end.
	Footer string `json:"footer,omitempty"`
}

// Section is one block of a message, e.g. one commitment in a digest.
type Section struct {
	Title   string   `json:"title,omitempty"`
	Text    string   `json:"text,omitempty"`
	Fields  []Field  `json:"fields,omitempty"`
	Buttons []Button `json:"buttons,omitempty"`
}

// Field is a label and its value, shown side by side where the platform can.
type Field struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Button is an action a person can take on a message. Action and Value come
// back unchanged in the EventButton event.
type Button struct {
	Label  string      `json:"label"`
	Action string      `json:"action"`
	Value  string      `json:"value,omitempty"`
	Style  ButtonStyle `json:"style,omitempty"`
}

// ButtonStyle hints at a button's weight.
type ButtonStyle string

// Button styles.
const (
	StyleDefault ButtonStyle = ""
	StylePrimary ButtonStyle = "primary"
)

// Actions carried by buttons the bot builds.
const (
	// ActionOpenForm opens the update form; Value is a FormRef.
	ActionOpenForm = "open_form"
)

// Form is a short platform-neutral form: a Slack modal, a Discord modal.
type Form struct {
	// Ref comes back unchanged in the EventForm event.
	Ref    string      `json:"ref"`
	Title  string      `json:"title"`
	Submit string      `json:"submit"`
	Fields []FormField `json:"fields"`
	// Texts are the words a platform shows around the form, in the
	// person's language.
	Texts FormTexts `json:"texts"`
}

// FormTexts are the words an adapter needs around a form that its fields
// do not carry: a platform that shows a form in steps, or keeps it open
// while the bot is slow. "{field}" and "{values}" are filled in by the
// adapter.
type FormTexts struct {
	// Continue goes on to the text fields.
	Continue string `json:"continue"`
	// TryAgain reopens a rejected form with what was typed.
	TryAgain string `json:"try_again"`
	// ChooseLevel invites choosing the completion level, which opens the
	// text fields.
	ChooseLevel string `json:"choose_level"`
	// MenusFirst asks to set the menus before going on.
	MenusFirst string `json:"menus_first"`
	// NotSaved says a rejected form stored nothing.
	NotSaved string `json:"not_saved"`
	// YouWrote labels what the person typed in {field}.
	YouWrote string `json:"you_wrote"`
	// TooSlow says a step took too long and must be repeated.
	TooSlow string `json:"too_slow"`
	// StillSaving is shown while an answer takes long to store.
	StillSaving string `json:"still_saving"`
	// OnePerLine hints that a choice field takes one of {values} per line.
	OnePerLine string `json:"one_per_line"`
}

// FormField is one input of a form.
type FormField struct {
	Name     string    `json:"name"`
	Label    string    `json:"label"`
	Kind     FieldKind `json:"kind"`
	Hint     string    `json:"hint,omitempty"`
	Required bool      `json:"required,omitempty"`
	MaxLen   int       `json:"max_len,omitempty"`
	Options  []Option  `json:"options,omitempty"`
	Initial  []string  `json:"initial,omitempty"`
}

// FieldKind is the kind of input a form field takes.
type FieldKind string

// Form field kinds.
const (
	FieldSelect   FieldKind = "select"     // one of Options
	FieldChecks   FieldKind = "checkboxes" // any of Options
	FieldText     FieldKind = "text"       // one line
	FieldLongText FieldKind = "long_text"  // a paragraph
)

// Option is a choice in a select or a set of checkboxes.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Field returns the form field named name.
func (f *Form) Field(name string) (FormField, bool) {
	for _, ff := range f.Fields {
		if ff.Name == name {
			return ff, true
		}
	}
	return FormField{}, false
}
