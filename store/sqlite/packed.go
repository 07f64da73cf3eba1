package sqlite

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The digest's reads return tens of thousands of rows on a big forum, and
// the driver makes each value of a row into its own Go value (a string or
// a boxed integer, each an allocation). Those reads therefore ask SQLite to
// pack each row into one text value (packed builds the expression) and
// take the fields as slices of it (unpack): one allocation a row. concat,
// unlike ||, allocates the packed value once.

// packed is the SQL expression that packs a row: the integer columns
// nums, each followed by a space; the byte lengths of all texts but the
// last, each followed by a space; then the texts end to end.
func packed(nums, texts []string) string {
	var b strings.Builder
	b.WriteString("concat(")
	for _, n := range nums {
		b.WriteString(n + ", ' ', ")
	}
	for _, t := range texts[:len(texts)-1] {
		b.WriteString("octet_length(" + t + "), ' ', ")
	}
	b.WriteString(strings.Join(texts, ", ") + ")")
	return b.String()
}

// unpack reads a row packed as packed says into nums and texts, which
// have as many elements as the columns packed.
func unpack(row string, nums []int64, texts []string) error {
	var lengths [16]int64
	if len(texts)-1 > len(lengths) {
		return fmt.Errorf("sqlite: cannot unpack %d texts", len(texts))
	}
	head := len(nums) + len(texts) - 1
	for i := range head {
		field, rest, ok := strings.Cut(row, " ")
		n, err := strconv.ParseInt(field, 10, 64)
		if !ok || err != nil {
			return fmt.Errorf("sqlite: a packed row is malformed at field %d", i)
		}
		if i < len(nums) {
			nums[i] = n
		} else {
			lengths[i-len(nums)] = n
		}
		row = rest
	}
	for i := range texts[:len(texts)-1] {
		n := lengths[i]
		if n < 0 || int(n) > len(row) {
			return fmt.Errorf("sqlite: a packed row is shorter than its lengths say")
		}
		texts[i], row = row[:n], row[n:]
	}
	texts[len(texts)-1] = row
	return nil
}

// stringList decodes a JSON array of strings into into, as json.Unmarshal
// does, without its reflection when no string has an escape: such lists
// (evidence links, needs) are most of what the digest's reads decode. The
// strings are slices of s. Anything else goes to json.Unmarshal.
func stringList[T ~string](s string, into *[]T) error {
	if s == "[]" {
		*into = nil
		return nil
	}
	if out, ok := plainStrings[T](s); ok {
		*into = out
		return nil
	}
	return json.Unmarshal([]byte(s), into)
}

// plainStrings reads s as a JSON array of strings with no escapes, in
// valid UTF-8 with no control characters; ok is false for anything else.
func plainStrings[T ~string](s string) (out []T, ok bool) {
	if !utf8.ValidString(s) || strings.IndexByte(s, '\\') >= 0 {
		return nil, false
	}
	rest := strings.TrimLeft(s, jsonSpace)
	if rest == "" || rest[0] != '[' {
		return nil, false
	}
	rest = strings.TrimLeft(rest[1:], jsonSpace)
	if strings.HasPrefix(rest, "]") {
		return []T{}, strings.TrimLeft(rest[1:], jsonSpace) == ""
	}
	out = make([]T, 0, strings.Count(rest, ",")+1)
	for {
		if rest == "" || rest[0] != '"' {
			return nil, false
		}
		end := strings.IndexByte(rest[1:], '"')
		if end < 0 {
			return nil, false
		}
		str := rest[1 : 1+end]
		for i := 0; i < len(str); i++ {
			if str[i] < 0x20 {
				return nil, false
			}
		}
		out = append(out, T(str))
		rest = strings.TrimLeft(rest[2+end:], jsonSpace)
		if rest == "" {
			return nil, false
		}
		if rest[0] == ']' {
			return out, strings.TrimLeft(rest[1:], jsonSpace) == ""
		}
		if rest[0] != ',' {
			return nil, false
		}
		rest = strings.TrimLeft(rest[1:], jsonSpace)
	}
}

// jsonSpace is the white space JSON allows between tokens.
const jsonSpace = " \t\n\r"
