package models

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// jsonTexts are valid and invalid JSON texts for the scanner's tests and the
// seed corpus of its fuzz target.
var jsonTexts = []string{
	`0`, `-0`, `-0.5e+10`, `1E-2`, `123456789012345678901234567890`, `1e400`,
	`""`, `"a\"b\\c\/d\b\f\n\r\t\u00e9\uD834\uDD1E"`, `"\ud800"`, "\"\xff\xfe\"", `"é漢"`,
	`true`, `false`, `null`, `[]`, `{}`, ` [ 1 , [ ] , { } , "x" ] `,
	`{"a":{"b":[1,{"c":null}]},"d":"e"}`, `{"":1}`,
	// Invalid.
	``, ` `, `-`, `01`, `1.`, `.5`, `1e`, `1e+`, `+1`, `0x10`, `NaN`, `Infinity`, `tru`, `nul`, `True`,
	`"abc`, `"\x"`, `"\u12"`, `"\u12g4"`, "\"a\tb\"", "\"a\x00b\"",
	`[`, `]`, `[1,]`, `[,1]`, `[1 2]`, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{,}`, `{1:2}`, `{"a" 1}`,
	`[1]]`, `{"a":1}}`, `1 2`, `"a" "b"`, "0\x00", "[1]\x00",
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
}

// checkSkipValue checks that the scanner accepts exactly what encoding/json
// accepts, and returns the value's text.
func checkSkipValue(t *testing.T, text []byte) {
	t.Helper()
	s := &jsonScanner{data: text}
	raw, err := s.skipValue()
	if err == nil {
		err = s.end()
	}
	if valid := json.Valid(text); valid != (err == nil) {
		t.Fatalf("%.80q: json.Valid = %v, scanner error = %v", text, valid, err)
	}
	if err == nil && !bytes.Equal(raw, bytes.TrimSpace(text)) {
		t.Fatalf("%.80q: scanned %.80q", text, raw)
	}
}

func TestJSONScannerSkipValue(t *testing.T) {
	for _, text := range jsonTexts {
		checkSkipValue(t, []byte(text))
	}
}

func FuzzJSONScannerSkipValue(f *testing.F) {
	for _, text := range jsonTexts {
		if len(text) < 1000 {
			f.Add([]byte(text))
		}
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		checkSkipValue(t, text)
		// Strings decode as encoding/json decodes them.
		if trimmed := bytes.TrimSpace(text); len(trimmed) == 0 || trimmed[0] != '"' {
			return
		}
		s := &jsonScanner{data: text}
		got, err := s.readString()
		if err == nil {
			err = s.end()
		}
		var want string
		wantErr := json.Unmarshal(text, &want)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%.80q: readString error %v, encoding/json error %v", text, err, wantErr)
		}
		if err == nil && got != want {
			t.Fatalf("%.80q: readString = %q, encoding/json %q", text, got, want)
		}
	})
}

// Object keys select fields as encoding/json selects them: exactly, or equal
// under Unicode case folding (K is the Kelvin sign, ſ the long s).
func TestKeyIs(t *testing.T) {
	for _, tc := range []struct {
		key  string
		want bool
	}{
		{"session_id", true}, {"SESSION_ID", true}, {"Session_Id", true}, {"\u017fession_id", true},
		{"session_id ", false}, {"sessionid", false}, {"", false},
	} {
		if got := keyIs([]byte(tc.key), "session_id"); got != tc.want {
			t.Errorf("keyIs(%q, session_id) = %v", tc.key, got)
		}
		var v struct {
			SessionID *string `json:"session_id"`
		}
		body, _ := json.Marshal(map[string]string{tc.key: "x"})
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatal(err)
		}
		if (v.SessionID != nil) != tc.want {
			t.Errorf("encoding/json disagrees on %q", tc.key)
		}
	}
	if !keyIs([]byte("\u212a"), "k") {
		t.Error("the Kelvin sign does not fold to k")
	}
}
