package sqlite

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"

	"forumbot/bot"
	"forumbot/store"
)

// TestStringListDecodesAsJSON checks the digest's shortcut for lists of
// strings against encoding/json: the same list, or an error from both,
// for lists as the store writes them and for edited, broken and spaced
// variants of them.
func TestStringListDecodesAsJSON(t *testing.T) {
	pieces := []string{"a", "https://example.org/actas?id=1&x=2", "ñandú", "\"", "\\", "<b>", "\n", "\x01", "\xff", " ", ",", "]", "[", "😀", "\u2028"}
	rng := rand.New(rand.NewPCG(9, 9))
	var inputs []string
	for range 3000 {
		list := make([]string, rng.IntN(4))
		for i := range list {
			for range rng.IntN(4) {
				list[i] += pieces[rng.IntN(len(pieces))]
			}
		}
		enc := store.JSONList(list)
		inputs = append(inputs, enc)
		// An edit: a byte dropped, a byte put in, white space around.
		i := rng.IntN(len(enc))
		inputs = append(inputs, enc[:i]+enc[i+1:], enc[:i]+pieces[rng.IntN(len(pieces))]+enc[i:], " "+enc+"\n", enc[:i])
	}
	inputs = append(inputs, `[ "a" , "b" ]`, `["a",]`, `[,"a"]`, `["a" "b"]`, `["a"]]`, `null`, `[1]`, `{}`, `[ ]`, `["é"]`, "[\"a\x7f\"]")
	plain := 0
	for _, in := range inputs {
		var got, want []string
		gotErr := stringList(in, &got)
		wantErr := json.Unmarshal([]byte(in), &want)
		if in == "[]" {
			want = nil // stored empty lists read as none, as store.JSONField does
		}
		if (gotErr != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) {
			t.Fatalf("stringList(%q) = %q, %v; encoding/json gives %q, %v", in, got, gotErr, want, wantErr)
		}
		if _, ok := plainStrings[string](in); ok {
			plain++
		}
	}
	if plain < len(inputs)/10 {
		t.Fatalf("only %d of %d inputs took the shortcut", plain, len(inputs))
	}
	var needs []bot.Need
	if err := stringList(`["funding","technical"]`, &needs); err != nil || !reflect.DeepEqual(needs, []bot.Need{"funding", "technical"}) {
		t.Fatalf("needs: %q, %v", needs, err)
	}
}
