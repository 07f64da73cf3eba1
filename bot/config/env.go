package config

import (
	"fmt"
	"reflect"
	"regexp"
)

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expandEnv replaces ${NAME} in every string of the configuration with the
// environment variable's value. Values are never echoed in messages.
func (v *validator) expandEnv(rv reflect.Value, path string, opts Options) {
	switch rv.Kind() {
	case reflect.Pointer:
		if !rv.IsNil() {
			v.expandEnv(rv.Elem(), path, opts)
		}
	case reflect.Struct:
		for i := 0; i < rv.NumField(); i++ {
			sub := yamlKey(rv.Type().Field(i))
			if path != "" {
				sub = path + "." + sub
			}
			v.expandEnv(rv.Field(i), sub, opts)
		}
	case reflect.Slice:
		for i := 0; i < rv.Len(); i++ {
			v.expandEnv(rv.Index(i), fmt.Sprintf("%s[%d]", path, i), opts)
		}
	case reflect.String:
		s := rv.String()
		if !envRef.MatchString(s) {
			return
		}
		rv.SetString(envRef.ReplaceAllStringFunc(s, func(ref string) string {
			name := envRef.FindStringSubmatch(ref)[1]
			val, ok := opts.Getenv(name)
			switch {
			case ok:
				return val
			case opts.RequireEnv:
				v.errorf(path, "environment variable %s is not set", name)
				return ref
			case !opts.IgnoreUnsetEnv:
				v.warnf(path, "environment variable %s is not set here; serve will refuse to start without it", name)
			}
			if len(v.unset) == 0 || v.unset[len(v.unset)-1] != path {
				v.unset = append(v.unset, path)
			}
			// Keep the reference, so that the key is not reported missing too.
			return ref
		}))
	}
}
