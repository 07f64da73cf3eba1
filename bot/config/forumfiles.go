package config

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// origin is where a forum read from one of the forum_files was written:
// messages about it name that file, its line and the forum's place in the
// file's own forums: list.
type origin struct {
	file  string
	index int
	lines map[string]int
}

// forumFiles appends to f.Forums the forums of the files that
// f.ForumFiles names, relative to dir; self is the configuration's own
// file, which no pattern may name.
func (v *validator) forumFiles(f *File, dir, self string, opts Options) {
	if len(f.ForumFiles) == 0 {
		return
	}
	seen := map[string]string{}
	if abs, err := filepath.Abs(self); err == nil {
		seen[abs] = "the configuration itself"
	}
	var names []string
	for i, pattern := range f.ForumFiles {
		path := fmt.Sprintf("forum_files[%d]", i)
		if pattern == "" {
			v.errorf(path, "empty (want a path or a pattern such as forums/*.yaml)")
			continue
		}
		full := pattern
		if !filepath.IsAbs(full) {
			full = filepath.Join(dir, pattern)
		}
		matches, err := filepath.Glob(full)
		switch {
		case err != nil:
			v.errorf(path, "%s is not a valid pattern (want a path or a pattern such as forums/*.yaml): %v", v.shown(path, pattern), err)
			continue
		case len(matches) == 0:
			v.errorf(path, "%s names no file (paths are relative to %s)", v.shown(path, pattern), dir)
			continue
		}
		for _, name := range matches {
			abs, err := filepath.Abs(name)
			if err != nil {
				abs = name
			}
			if by, dup := seen[abs]; dup {
				v.errorf(path, "%s is %s, named already (want each file of forums once)", name, by)
				continue
			}
			seen[abs] = "a forum file of " + path
			names = append(names, name)
		}
	}
	// Each file is read and parsed on its own, several at once (the YAML
	// parser is most of the time a large instance takes to load), and
	// merged in the order named.
	read := make([]parsedForumFile, len(names))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			read[i] = readForumFile(name)
		})
	}
	wg.Wait()
	for _, r := range read {
		v.addForums(f, r, opts)
	}
}

// parsedForumFile is a forum file as read: its forums and the line of
// each key path, or what is wrong with it.
type parsedForumFile struct {
	name   string
	forums []ForumConfig
	lines  map[string]int
	errs   Errors
}

// readForumFile reads one forum file within the same limits as the
// configuration, every key checked.
func readForumFile(name string) parsedForumFile {
	out := parsedForumFile{name: name}
	data, err := readLimited(name)
	if err != nil {
		out.errs = Errors{fmt.Sprintf("%s: %v", name, err)}
		return out
	}
	sub := &validator{name: name, lines: map[string]int{}, written: map[string]string{}}
	var ff forumFile
	errs := sub.decode(data, &ff)
	out.lines = sub.lines
	if errs != nil {
		out.errs = errs
		return out
	}
	if len(ff.Forums) == 0 {
		sub.errorf("forums", "no forums (want at least one, or leave the file out of forum_files)")
		out.errs = sub.errs
		return out
	}
	out.forums = ff.Forums
	return out
}

// addForums appends the forums of a forum file to f.Forums, with the
// configuration's treatment of ${NAME} in their texts, or its errors.
func (v *validator) addForums(f *File, r parsedForumFile, opts Options) {
	v.errs = append(v.errs, r.errs...)
	if v.origins == nil {
		v.origins = map[int]origin{}
	}
	for i := range r.forums {
		g := len(f.Forums)
		f.Forums = append(f.Forums, r.forums[i])
		v.origins[g] = origin{file: r.name, index: i, lines: r.lines}
		v.expandEnv(reflect.ValueOf(&f.Forums[g]).Elem(), fmt.Sprintf("forums[%d]", g), false, opts)
	}
}

// readLimited reads a file, no more than MaxFileSize and one byte.
func readLimited(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxFileSize+1))
}

// originOf returns, for a key path under forums[g] of a forum read from a
// forum file, where it was written and its path within that file.
func (v *validator) originOf(path string) (origin, string, bool) {
	rest, ok := strings.CutPrefix(path, "forums[")
	if !ok || len(v.origins) == 0 {
		return origin{}, "", false
	}
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return origin{}, "", false
	}
	g, err := strconv.Atoi(rest[:end])
	o, found := v.origins[g]
	if err != nil || !found {
		return origin{}, "", false
	}
	return o, fmt.Sprintf("forums[%d]%s", o.index, rest[end+1:]), true
}

// place names forum g for messages: forums[g], or its place in the forum
// file it was read from.
func (v *validator) place(g int) string {
	if o, local, ok := v.originOf(fmt.Sprintf("forums[%d]", g)); ok {
		return local + " of " + o.file
	}
	return fmt.Sprintf("forums[%d]", g)
}
