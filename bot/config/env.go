package config

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// envRef is a reference to an environment variable, ${NAME}, or the escape
// $${ that writes a literal ${.
var envRef = regexp.MustCompile(`\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// literalDollar is what the escape $${ stands for.
const literalDollar = "${"

// dollarBrace escapes every ${ as $${.
var dollarBrace = strings.NewReplacer("${", "$${")

// expandedKeys names, for messages, the keys whose ${NAME} references are
// expanded: those tagged env:"expand" in File.
const expandedKeys = "tokens, secrets, API URLs, store.path, store.url, http.listen, forum_files, discord ids"

// expandEnv replaces ${NAME} with the environment variable's value in the
// strings tagged env:"expand" (secrets and deployment settings), and
// nowhere else: text shown to people is never expanded, so no variable can
// reach a chat. In every string $${ stands for a literal ${. A reference
// left as written in a text gets a warning. Expanded values are never
// echoed in messages: v.shown names the variable instead.
func (v *validator) expandEnv(rv reflect.Value, path string, expand bool, opts Options) {
	switch rv.Kind() {
	case reflect.Pointer:
		if !rv.IsNil() {
			v.expandEnv(rv.Elem(), path, expand, opts)
		}
	case reflect.Struct:
		for i := 0; i < rv.NumField(); i++ {
			field := rv.Type().Field(i)
			sub := yamlKey(field)
			if path != "" {
				sub = path + "." + sub
			}
			v.expandEnv(rv.Field(i), sub, field.Tag.Get("env") == "expand", opts)
		}
	case reflect.Slice:
		for i := 0; i < rv.Len(); i++ {
			v.expandEnv(rv.Index(i), fmt.Sprintf("%s[%d]", path, i), expand, opts)
		}
	case reflect.String:
		s := rv.String()
		if !envRef.MatchString(s) {
			return
		}
		if expand {
			rv.SetString(v.expandString(s, path, opts))
		} else {
			rv.SetString(v.literalString(s, path))
		}
	}
}

// expandString expands the references in s, the value of path.
func (v *validator) expandString(s, path string, opts Options) string {
	expanded := false
	out := envRef.ReplaceAllStringFunc(s, func(ref string) string {
		m := envRef.FindStringSubmatch(ref)
		if m[1] == "" {
			return literalDollar
		}
		val, ok := opts.Getenv(m[1])
		switch {
		case ok:
			expanded = true
			return val
		case opts.RequireEnv:
			v.errorf(path, "environment variable %s is not set", m[1])
			return ref
		case !opts.IgnoreUnsetEnv:
			v.warnf(path, "environment variable %s is not set here; serve will refuse to start without it", m[1])
		}
		if len(v.unset) == 0 || v.unset[len(v.unset)-1] != path {
			v.unset = append(v.unset, path)
		}
		// Keep the reference, so that the key is not reported missing too.
		return ref
	})
	if expanded {
		v.written[path] = s
	}
	return out
}

// literalString reads a string that is never expanded: $${ becomes ${, and
// a ${NAME} stays as written, with a warning, as its author may have meant
// it to be expanded.
func (v *validator) literalString(s, path string) string {
	warned := false
	return envRef.ReplaceAllStringFunc(s, func(ref string) string {
		if ref == "$${" {
			return literalDollar
		}
		if !warned {
			warned = true
			v.warnf(path, "%s is shown as written: ${NAME} is expanded only in %s (write $${ for a literal ${)", ref, expandedKeys)
		}
		return ref
	})
}

// shown is how a message names the value of path: quoted as written, or,
// when it came from the environment, by the reference it was written as,
// so that no secret is ever echoed.
func (v *validator) shown(path, value string) string {
	return shownValue(v.written, path, value)
}

func shownValue(written map[string]string, path, value string) string {
	if w, ok := written[path]; ok {
		if envRef.FindString(w) == w {
			return "the value of " + w
		}
		return "the value of " + strconv.Quote(w)
	}
	return strconv.Quote(value)
}

// Shown is how a message names the value of the key path (e.g.
// "http.listen"): quoted, or, when it came from the environment, by the
// ${NAME} reference it was written as; never the secret itself.
func (c *Config) Shown(path, value string) string { return shownValue(c.written, path, value) }

// FromEnv reports whether the value of the key path came from the
// environment, so that a message must name it with Shown, not echo it.
func (c *Config) FromEnv(path string) bool {
	_, ok := c.written[path]
	return ok
}

// LiteralFile returns a copy of f written so that Parse reads every string
// back as it is in f and expands none: each ${ becomes $${. import-ogp
// writes the text it copies from outside data this way, so that a title
// holding ${SLACK_BOT_TOKEN} stays that text.
func LiteralFile(f File) File {
	escapeStrings(reflect.ValueOf(&f).Elem())
	return f
}

// escapeStrings escapes every string under v in place, copying slices and
// pointers first so that nothing v shares with its original changes.
func escapeStrings(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(dollarBrace.Replace(v.String()))
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			escapeStrings(v.Field(i))
		}
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		v.Set(c)
		for i := 0; i < c.Len(); i++ {
			escapeStrings(c.Index(i))
		}
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(v.Elem())
		v.Set(p)
		escapeStrings(p.Elem())
	}
}
