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
		return p.text.Parse(src, left, right)
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

// Execute implements template.ParsedTemplate, printing values as
// text/template does, "<no value>" for a missing one included.
func (t *fieldTemplate) Execute(data any) (string, error) {
	m, _ := data.(map[string]any)
	var b strings.Builder
	for i, lit := range t.literals {
		b.WriteString(lit)
		if i == len(t.names) {
			break
		}
		switch v, ok := m[t.names[i]]; x := v.(type) {
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
	return b.String(), nil
}
