package models

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// MetadataFilter keeps the runs whose metadata has every key of the filter
// with exactly that value, compared in string form (see MetadataValueString).
// HoneyHive's list route cannot filter on metadata, so a client applies it to
// the runs the server lists.
type MetadataFilter map[string]string

// Matches reports whether r's metadata is a JSON object holding every key of
// f with a value whose string form equals f's value. An empty filter matches
// every run; a run without metadata, or whose metadata is not an object,
// matches only the empty filter. A key whose value is null counts as absent.
func (f MetadataFilter) Matches(r Run) bool {
	if len(f) == 0 {
		return true
	}
	trimmed := bytes.TrimSpace(r.Metadata)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return false
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &fields); err != nil {
		return false
	}
	for key, want := range f {
		got, ok := MetadataValueString(fields[key])
		if !ok || got != want {
			return false
		}
	}
	return true
}

// MetadataValueString returns the string form of one metadata value (its raw
// JSON), the form a Terraform map(string) gives the same value, so that
// metadata = { build = 3 } in a configuration matches a run whose metadata
// holds the number 3:
//
//   - a string is itself (unescaped);
//   - a number is written as Terraform's tostring() writes it: the shortest
//     decimal, without exponent, of the number read at 512 bits (3, 3.0 and
//     3e0 all give "3"; 1e3 gives "1000"; 0.10 gives "0.1");
//   - true and false are "true" and "false";
//   - an object or array is its JSON text as Terraform's jsonencode() writes
//     it: no spaces, object keys sorted, numbers as above, strings escaped
//     like Go's encoding/json (so jsonencode(["a", "b"]) matches ["a","b"]);
//   - null, or no value at all, has no string form: ok is false.
//
// Invalid JSON has no string form either.
func MetadataValueString(raw json.RawMessage) (s string, ok bool) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return "", false
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", false
	}
	switch v := v.(type) {
	case string:
		return v, true
	case bool:
		if v {
			return "true", true
		}
		return "false", true
	case json.Number:
		return numberString(v), true
	}
	var b strings.Builder
	writeCanonicalJSON(&b, v)
	return b.String(), true
}

// maxNumberExponent bounds the binary exponent of a number written out in
// full: 1e1000000 would otherwise be a million digits. Beyond it (far past
// anything metadata holds) the number keeps its JSON text.
const maxNumberExponent = 4096

// numberString is cty's number-to-string conversion: the number read as
// Terraform reads it (ParseNumber), written with big.Float.Text('f', -1).
func numberString(n json.Number) string {
	f, err := ParseNumber(string(n))
	if err != nil {
		return string(n)
	}
	if exp := f.MantExp(nil); exp > maxNumberExponent || exp < -maxNumberExponent {
		return string(n)
	}
	return f.Text('f', -1)
}

// writeCanonicalJSON writes v (decoded with UseNumber) as jsonencode() would.
func writeCanonicalJSON(b *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case json.Number:
		b.WriteString(numberString(v))
	case string:
		quoted, _ := json.Marshal(v) // a string always marshals
		b.Write(quoted)
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanonicalJSON(b, e)
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanonicalJSON(b, k)
			b.WriteByte(':')
			writeCanonicalJSON(b, v[k])
		}
		b.WriteByte('}')
	}
}
