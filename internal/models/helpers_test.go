package models

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// readTestdata returns the bytes of testdata/name.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("reading testdata: %v", err)
	}
	return b
}

func strPtr(s string) *string { return &s }

// optStr renders an optional string for messages and comparisons.
func optStr(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return "\"" + *p + "\""
}

func optInt(p *int64) string {
	if p == nil {
		return "<nil>"
	}
	b, _ := json.Marshal(*p)
	return string(b)
}

// sameJSON reports whether two JSON texts hold the same value, ignoring
// whitespace and escaping (numbers are compared by their text).
func sameJSON(a, b string) bool {
	decode := func(s string) (any, bool) {
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, false
		}
		return v, true
	}
	va, okA := decode(a)
	vb, okB := decode(b)
	return okA && okB && reflect.DeepEqual(va, vb)
}

// equivalent is Value.Equal, except that values kept as JSON text (KindOther)
// compare by what the text means: a round trip through encoding/json compacts
// and HTML-escapes that text.
func equivalent(a, b Value) bool {
	if a.Kind() == KindOther && b.Kind() == KindOther {
		ta, _ := a.Text()
		tb, _ := b.Text()
		return sameJSON(ta, tb)
	}
	return a.Equal(b)
}

func equivalentValues(a, b []Value) bool {
	return slices.EqualFunc(a, b, equivalent)
}

// mustDecodeValue decodes one JSON value through encoding/json.
func mustDecodeValue(t testing.TB, text string) Value {
	t.Helper()
	var v Value
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		t.Fatalf("json.Unmarshal(%q) into Value: %v", text, err)
	}
	return v
}

// requireErrorContains fails unless err is non-nil and its message holds every
// one of parts.
func requireErrorContains(t testing.TB, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}

// jsonKeys returns the keys of a JSON object in the order they appear.
func jsonKeys(t testing.TB, obj []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(obj))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		t.Fatalf("not a JSON object: %s", obj)
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatalf("reading key of %s: %v", obj, err)
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatalf("reading value of %s: %v", obj, err)
		}
	}
	return keys
}
