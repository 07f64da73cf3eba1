package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"forumbot/bot"
)

// Config is a loaded, validated configuration.
type Config struct {
	// Path is where the configuration was read from.
	Path string
	// File is the configuration as written, with ${ENV} references expanded.
	File File
	// Forums are the validated forums, ready for the engine.
	Forums []*bot.Forum
	// Sender holds the validated sender settings, ready for the engine.
	Sender bot.SenderOptions
	// Lease is store.lease read, or DefaultLease.
	Lease time.Duration
	// Site is the validated public site: where it is served and what
	// each public forum publishes.
	Site Site
	// Warnings are problems that do not stop the bot, e.g. a committee
	// without members.
	Warnings []string
	// Unset lists the keys ("slack.bot_token") whose ${NAME} references were
	// kept as written because the variable is not set here; checks of those
	// values cannot be made. Always empty with RequireEnv.
	Unset []string
	// written holds, by key path, the values as written of the keys whose
	// ${NAME} references were expanded, for Shown.
	written map[string]string
}

// Options changes how strictly a configuration is read.
type Options struct {
	// Getenv looks up ${NAME} references; os.LookupEnv by default.
	Getenv func(string) (string, bool)
	// RequireEnv makes an unset ${NAME} an error (serve); otherwise it is a
	// warning (validate on a machine without the secrets).
	RequireEnv bool
	// IgnoreUnsetEnv drops those warnings, for commands that never use the
	// secrets (digest, export, report, backup, the demo).
	IgnoreUnsetEnv bool
	// SkipSecrets leaves the platforms' tokens and secrets unchecked
	// (missing, placeholder or malformed), for the same commands: they must
	// not refuse a config over values they never use.
	SkipSecrets bool
}

// Errors lists every problem found in a configuration, one per line, each
// naming where it is ("forums[0].schedule.prompt") and what is allowed.
type Errors []string

func (e Errors) Error() string { return strings.Join(e, "\n") }

// Load reads and validates the configuration file at path. It reads no
// more than MaxFileSize and one byte.
func Load(path string, opts Options) (*Config, error) {
	data, err := readLimited(path)
	if err != nil {
		return nil, err
	}
	return Parse(data, path, opts)
}

// Parse validates a configuration held in memory; name labels errors. A
// file larger than MaxFileSize or nested deeper than MaxDepth is refused
// before it is parsed.
func Parse(data []byte, name string, opts Options) (*Config, error) {
	if opts.Getenv == nil {
		opts.Getenv = os.LookupEnv
	}
	v := &validator{name: name, lines: map[string]int{}, written: map[string]string{}, skipSecrets: opts.SkipSecrets}
	var f File
	if errs := v.decode(data, &f); errs != nil {
		return nil, errs
	}
	v.expandEnv(reflect.ValueOf(&f).Elem(), "", false, opts)
	v.forumFiles(&f, filepath.Dir(name), name, opts)
	cfg := &Config{Path: name, File: f, written: v.written}
	cfg.Lease = v.store(&cfg.File.Store)
	cfg.Forums = v.forums(&cfg.File)
	cfg.Sender = v.sender(cfg.File.Sender)
	cfg.Site = v.site(&cfg.File)
	cfg.Warnings = v.warnings
	cfg.Unset = v.unset
	if len(v.errs) > 0 {
		return cfg, v.errs
	}
	return cfg, nil
}

// decode checks data's size and depth, parses its one YAML document,
// checks every key against out's type (recording each key's line), and
// decodes the document into out: the configuration's and each forum
// file's reading.
func (v *validator) decode(data []byte, out any) Errors {
	if errs := checkShape(data, v.name); errs != nil {
		return errs
	}
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return Errors{fmt.Sprintf("%s: %s", v.name, yamlMessage(err))}
	}
	if len(file.Docs) != 1 || file.Docs[0].Body == nil {
		return Errors{fmt.Sprintf("%s: want one YAML document with a forums: list", v.name)}
	}
	v.walk(file.Docs[0].Body, reflect.TypeOf(out).Elem(), "")
	if len(v.errs) > 0 {
		return v.errs
	}
	if err := yaml.NodeToValue(file.Docs[0].Body, out); err != nil {
		return Errors{fmt.Sprintf("%s: %s", v.name, yamlMessage(err))}
	}
	return nil
}

// yamlMessage turns a goccy error into one line with its position.
func yamlMessage(err error) string {
	var se yaml.Error
	if errors.As(err, &se) {
		if tk := se.GetToken(); tk != nil && tk.Position != nil {
			return fmt.Sprintf("line %d: %s", tk.Position.Line, se.GetMessage())
		}
		return se.GetMessage()
	}
	return strings.SplitN(err.Error(), "\n", 2)[0]
}

// validator collects errors and warnings with their key paths.
type validator struct {
	name        string
	lines       map[string]int
	errs        Errors
	warnings    []string
	unset       []string
	written     map[string]string
	skipSecrets bool
	// origins says which forums, by index, came from forum files.
	origins map[int]origin
}

func (v *validator) where(path string) string {
	if o, local, ok := v.originOf(path); ok {
		if line, ok := o.lines[local]; ok {
			return fmt.Sprintf("%s:%d: %s", o.file, line, local)
		}
		return fmt.Sprintf("%s: %s", o.file, local)
	}
	if line, ok := v.lines[path]; ok {
		return fmt.Sprintf("%s:%d: %s", v.name, line, path)
	}
	return fmt.Sprintf("%s: %s", v.name, path)
}

func (v *validator) errorf(path, format string, args ...any) {
	v.errs = append(v.errs, v.where(path)+": "+fmt.Sprintf(format, args...))
}

func (v *validator) warnf(path, format string, args ...any) {
	v.warnings = append(v.warnings, v.where(path)+": "+fmt.Sprintf(format, args...))
}

// walk checks the YAML tree against the Go type it will decode into: every
// key must be a field (typos must not pass silently), and it records the
// line of every key path for later messages.
func (v *validator) walk(n ast.Node, t reflect.Type, path string) {
	for {
		switch x := n.(type) {
		case *ast.TagNode:
			n = x.Value
			continue
		case *ast.AnchorNode:
			n = x.Value
			continue
		}
		break
	}
	if n == nil {
		return
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		if _, seen := v.lines[path]; !seen {
			v.lines[path] = tk.Position.Line
		}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		v.walkStruct(n, t, path)
	case reflect.Slice:
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			if _, null := n.(*ast.NullNode); !null {
				v.errorf(path, "want a list")
			}
			return
		}
		for i, item := range seq.Values {
			v.walk(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
	}
}

func (v *validator) walkStruct(n ast.Node, t reflect.Type, path string) {
	var pairs []*ast.MappingValueNode
	switch x := n.(type) {
	case *ast.MappingNode:
		pairs = x.Values
	case *ast.MappingValueNode:
		pairs = []*ast.MappingValueNode{x}
	case *ast.NullNode:
		return
	default:
		v.errorf(path, "want a mapping of keys (%s)", strings.Join(yamlKeys(t), ", "))
		return
	}
	fields := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		fields[yamlKey(t.Field(i))] = t.Field(i).Type
	}
	seen := map[string]bool{}
	for _, kv := range pairs {
		key := kv.Key.GetToken().Value
		sub := key
		if path != "" {
			sub = path + "." + key
		}
		if tk := kv.Key.GetToken(); tk.Position != nil {
			v.lines[sub] = tk.Position.Line
		}
		ft, ok := fields[key]
		switch {
		case !ok:
			hint := ""
			if near := bot.Closest(key, yamlKeys(t), 1); len(near) == 1 {
				hint = fmt.Sprintf("did you mean %s? ", near[0])
			}
			v.errorf(sub, "unknown key (%swant one of: %s)", hint, strings.Join(yamlKeys(t), ", "))
			continue
		case seen[key]:
			v.errorf(sub, "key given twice")
			continue
		}
		seen[key] = true
		v.walk(kv.Value, ft, sub)
	}
}

func yamlKey(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "" {
		return strings.ToLower(f.Name)
	}
	return name
}

func yamlKeys(t reflect.Type) []string {
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i] = yamlKey(t.Field(i))
	}
	sort.Strings(keys)
	return keys
}
