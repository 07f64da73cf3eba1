package email

import (
	"bytes"
	"html/template"
	"net/url"
	"strings"
	texttemplate "text/template"

	gomail "github.com/wneessen/go-mail"

	"forumbot/bot"
)

// FormPath is where serve's listener serves the form; a link is
// BaseURL + FormPath + "?t=" + token.
const FormPath = "/email/form"

// link is one commitment's link to its form.
type link struct {
	Label string
	URL   string
}

// section is a bot.Section as an e-mail shows it.
type section struct {
	bot.Section
	Links []link
}

// mailView is what the templates of an e-mail read.
type mailView struct {
	Lang     string
	Header   string
	Text     string
	Sections []section
	Footer   string
	Hint     string
}

// compose builds the e-mail of out and returns it with its Message-ID.
func (c *Chat) compose(out bot.Outgoing) (*gomail.Msg, string, error) {
	_, rcpt, _ := strings.Cut(string(out.To), ":")
	t := c.cfg.Catalog.Texts(out.Locale)
	id := c.messageID(out.Key, out.To)
	v := mailView{Lang: t.Locale(), Header: out.Message.Header, Text: out.Message.Text, Footer: out.Message.Footer, Hint: t.T("email.link.hint")}
	for _, s := range out.Message.Sections {
		v.Sections = append(v.Sections, section{Section: s, Links: c.links(out, id, s.Buttons)})
	}
	if len(out.Message.Buttons) > 0 {
		v.Sections = append(v.Sections, section{Links: c.links(out, id, out.Message.Buttons)})
	}
	var plain, html bytes.Buffer
	if err := plainTemplate.Execute(&plain, v); err != nil {
		return nil, "", err
	}
	if err := htmlTemplate.Execute(&html, v); err != nil {
		return nil, "", err
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(c.from)
	if err := msg.To(rcpt); err != nil {
		return nil, "", bot.Errorf(bot.EINVALID, "email: %q is not an e-mail address", rcpt)
	}
	if j := c.cfg.Journal; j != nil && j.Bcc != "" {
		// go-mail writes no Bcc header: the journal is a recipient of
		// the envelope only.
		if err := msg.Bcc(j.Bcc); err != nil {
			return nil, "", err
		}
	}
	if c.cfg.ReplyTo != "" {
		if err := msg.ReplyTo(c.cfg.ReplyTo); err != nil {
			return nil, "", err
		}
	}
	subject := out.Message.Header
	if subject == "" {
		subject = bot.OneLine(out.Message.Text, 120, "…")
	}
	msg.Subject(subject)
	msg.SetMessageIDWithValue(id)
	msg.SetDateWithValue(c.cfg.Now())
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(gomail.HeaderContentLang, v.Lang)
	msg.SetBodyString(gomail.TypeTextPlain, plain.String())
	msg.AddAlternativeString(gomail.TypeTextHTML, html.String())
	return msg, id, nil
}

// links turns the buttons that open a form into links carrying a token
// for the member out is for; other buttons have no meaning by e-mail.
func (c *Chat) links(out bot.Outgoing, id string, buttons []bot.Button) []link {
	var ls []link
	for _, b := range buttons {
		if b.Action != bot.ActionOpenForm {
			continue
		}
		ls = append(ls, link{Label: b.Label, URL: c.formURL(c.token(out, id, b.Value))})
	}
	return ls
}

// token returns the signed token of out's link to the form formRef, in
// the message whose Message-ID is id.
func (c *Chat) token(out bot.Outgoing, id, formRef string) string {
	closes := out.ClosesAt
	if closes.IsZero() {
		closes = c.cfg.Now()
	}
	tok := Token{Member: out.Member(), Form: formRef, Expires: closes.Add(c.cfg.LinkGrace).Unix(), Locale: out.Locale, Message: id}
	if !out.ClosesAt.IsZero() {
		tok.Closes = out.ClosesAt.Unix()
	}
	return c.sign.sign(tok)
}

// formURL is the address of the form opened with token.
func (c *Chat) formURL(token string) string {
	u := *c.base
	u.Path = strings.TrimSuffix(u.Path, "/") + FormPath
	u.RawQuery = url.Values{"t": {token}}.Encode()
	return u.String()
}

var plainTemplate = texttemplate.Must(texttemplate.New("plain").Parse(`{{if .Header}}{{.Header}}

{{end}}{{if .Text}}{{.Text}}

{{end}}{{range .Sections}}{{if .Title}}== {{.Title}} ==
{{end}}{{if .Text}}{{.Text}}
{{end}}{{range .Fields}}{{.Label}}:
{{.Value}}
{{end}}{{range .Links}}{{.Label}}: {{.URL}}
{{end}}
{{end}}{{if .Footer}}--
{{.Footer}}
{{end}}`))

var htmlTemplate = template.Must(template.New("html").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.Header}}</title></head>
<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;background:#ffffff">
<main style="display:block;max-width:600px;margin:0 auto">
{{if .Header}}<h1 style="font-size:22px;margin:0 0 12px">{{.Header}}</h1>{{end}}
{{if .Text}}<p style="white-space:pre-line">{{.Text}}</p>{{end}}
{{range .Sections}}<div style="border-top:1px solid #cccccc;padding:12px 0">
{{if .Title}}<h2 style="font-size:18px;margin:0 0 8px">{{.Title}}</h2>{{end}}
{{if .Text}}<p style="white-space:pre-line;margin:0 0 8px">{{.Text}}</p>{{end}}
{{range .Fields}}<p style="margin:0 0 8px"><strong>{{.Label}}</strong><br><span style="white-space:pre-line">{{.Value}}</span></p>{{end}}
{{range .Links}}<p style="margin:12px 0 4px"><a href="{{.URL}}" style="display:inline-block;padding:10px 16px;background:#0b5cad;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:bold">{{.Label}}</a></p>
<p style="margin:0;font-size:13px;color:#444444">{{$.Hint}}<br><span style="word-break:break-all">{{.URL}}</span></p>{{end}}
</div>{{end}}
{{if .Footer}}<p style="border-top:1px solid #cccccc;padding-top:12px;font-size:14px;color:#444444">{{.Footer}}</p>{{end}}
</main></body></html>
`))
