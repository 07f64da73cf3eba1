package bot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n/template"
)

// fields parses the catalogs' messages. Nearly all use only {{.Name}}
// placeholders; those are cut into literal text and names once, and filled
// without text/template's reflection, which was a large part of rendering
// a big digest. A message with any other action goes to text/template.
var fields = &fieldParser{}

// fieldParser is a go-i18n template.Parser for {{.Name}} placeholders.
type fieldParser struct{ text template.TextParser }

var placeholderRE = regexp.MustCompile(`\{\{\s*\.([A-Za-z][A-Za-z0-9_]*)\s*\}\}`)

// Cacheable implements template.Parser: parsed messages never change.
func (p *fieldParser) Cacheable() bool { return true }

// Parse implements template.Parser.
func (p *fieldParser) Parse(src, left, right string) (template.ParsedTemplate, error) {
	if (left != "" && left != "{{") || (right != "" && right != "}}") ||
		strings.Contains(placeholderRE.ReplaceAllString(src, ""), "{{") {
		pt, err := p.text.Parse(src, left, right)
		if err != nil {
			return nil, err
		}
		return textTemplate{pt}, nil
	}
	t := &fieldTemplate{}
	last := 0
	for _, m := range placeholderRE.FindAllStringSubmatchIndex(src, -1) {
		t.literals = append(t.literals, src[last:m[0]])
		t.names = append(t.names, src[m[2]:m[3]])
		last = m[1]
	}
	t.literals = append(t.literals, src[last:])
	return t, nil
}

// fieldTemplate is a message cut at its placeholders: literals[i] comes
// before names[i].
type fieldTemplate struct {
	literals, names []string
}

// runner is a parsed message, run with its values as name, value pairs.
type runner interface{ run(pairs []any) string }

// templateProbe is template data that a parsed message recognises: instead
// of running, it hands itself over, to be cached and run directly.
type templateProbe struct{ found runner }

// Execute implements template.ParsedTemplate, printing values as
// text/template does, "<no value>" for a missing one included.
func (t *fieldTemplate) Execute(data any) (string, error) {
	if p, ok := data.(*templateProbe); ok {
		p.found = t
		return "", nil
	}
	m, _ := data.(map[string]any)
	return t.fill(func(name string) (any, bool) { v, ok := m[name]; return v, ok }), nil
}

// run implements runner.
func (t *fieldTemplate) run(pairs []any) string {
	return t.fill(func(name string) (any, bool) {
		for i := 0; i+1 < len(pairs); i += 2 {
			if s, _ := pairs[i].(string); s == name {
				return pairs[i+1], true
			}
		}
		return nil, false
	})
}

// fill writes the message with the value value gives for each name.
func (t *fieldTemplate) fill(value func(string) (any, bool)) string {
	var b strings.Builder
	for i, lit := range t.literals {
		b.WriteString(lit)
		if i == len(t.names) {
			break
		}
		switch v, ok := value(t.names[i]); x := v.(type) {
		case nil:
			if !ok {
				b.WriteString("<no value>")
			} else {
				b.WriteString("<nil>")
			}
		case string:
			b.WriteString(x)
		case int:
			b.WriteString(strconv.Itoa(x))
		default:
			fmt.Fprint(&b, x)
		}
	}
	return b.String()
}

// textTemplate is a message text/template runs, for the few whose actions
// go beyond {{.Name}}.
type textTemplate struct{ template.ParsedTemplate }

// Execute implements template.ParsedTemplate.
func (t textTemplate) Execute(data any) (string, error) {
	if p, ok := data.(*templateProbe); ok {
		p.found = t
		return "", nil
	}
	return t.ParsedTemplate.Execute(data)
}

// run implements runner.
func (t textTemplate) run(pairs []any) string {
	data := make(map[string]any, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		data[fmt.Sprint(pairs[i])] = pairs[i+1]
	}
	s, err := t.ParsedTemplate.Execute(data)
	if err != nil {
		return ""
	}
	return s
}
