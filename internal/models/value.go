package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ValueKind says which JSON type a Value held on the wire.
type ValueKind uint8

// The kinds of Value. KindOther covers arrays, objects and numbers too large for
// a float64: they are kept as their JSON text so that nothing the server sent
// silently disappears.
const (
	KindNull ValueKind = iota
	KindNumber
	KindBool
	KindString
	KindOther
)

func (k ValueKind) String() string {
	switch k {
	case KindNull:
		return "null"
	case KindNumber:
		return "number"
	case KindBool:
		return "bool"
	case KindString:
		return "string"
	default:
		return "other"
	}
}

// Value is a metric value as the API sends it. The SDK types these as
// Optional[Union[float, int, bool, str]]; the service's spec says number, yet
// booleans and strings occur in practice. The zero Value is null, which is also
// what a missing field decodes to.
type Value struct {
	kind ValueKind
	num  float64
	b    bool
	str  string // string content for KindString, JSON text for KindNumber and KindOther
}

// Null returns the null Value.
func Null() Value { return Value{} }

// Number returns a numeric Value.
func Number(f float64) Value {
	return Value{kind: KindNumber, num: f, str: strconv.FormatFloat(f, 'g', -1, 64)}
}

// Bool returns a boolean Value.
func Bool(b bool) Value { return Value{kind: KindBool, b: b} }

// String returns a string Value.
func String(s string) Value { return Value{kind: KindString, str: s} }

// Kind returns the JSON type the value had.
func (v Value) Kind() ValueKind { return v.kind }

// IsNull reports whether the value was null or missing.
func (v Value) IsNull() bool { return v.kind == KindNull }

// Float64 returns the value as a number where that is meaningful: numbers as
// they are, booleans as 1 (true) and 0 (false). Strings, null and other values
// report false: they are not numbers, and guessing would give wrong gates.
func (v Value) Float64() (float64, bool) {
	switch v.kind {
	case KindNumber:
		return v.num, true
	case KindBool:
		if v.b {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// Text returns the value as a person would read it: a number's JSON text,
// "true" or "false", a string's content, or the JSON text of anything else.
// It reports false for null.
func (v Value) Text() (string, bool) {
	switch v.kind {
	case KindNull:
		return "", false
	case KindBool:
		return strconv.FormatBool(v.b), true
	default:
		return v.str, true
	}
}

// Equal reports whether two values have the same kind and content.
func (v Value) Equal(o Value) bool {
	if v.kind != o.kind {
		return false
	}
	switch v.kind {
	case KindNull:
		return true
	case KindNumber:
		return v.num == o.num
	case KindBool:
		return v.b == o.b
	default:
		return v.str == o.str
	}
}

// GoString keeps test failure output readable.
func (v Value) GoString() string {
	if t, ok := v.Text(); ok {
		return v.kind.String() + "(" + t + ")"
	}
	return "null"
}

// UnmarshalJSON accepts any JSON value.
func (v *Value) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return errors.New("empty value")
	}
	// json.Unmarshal validates before calling us, but a direct call may not:
	// without this, "nope" would read as null and "NaN" or "+1" as numbers
	// that MarshalJSON then writes back as invalid JSON.
	if !json.Valid(data) {
		return fmt.Errorf("invalid JSON value %q", excerpt(data, 40))
	}
	return v.setJSON(data)
}

// setJSON reads one valid JSON value, without white space around it.
func (v *Value) setJSON(data []byte) error {
	switch data[0] {
	case 'n':
		*v = Value{}
	case 't', 'f':
		*v = Bool(data[0] == 't')
	case '"':
		s, err := stringContent(data)
		if err != nil {
			return err
		}
		*v = String(string(s))
	case '[', '{':
		// Invalid UTF-8 becomes U+FFFD, as encoding/json does inside strings,
		// rather than failing the whole body over one value.
		*v = Value{kind: KindOther, str: strings.ToValidUTF8(string(data), "\uFFFD")}
	default:
		text := string(data)
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsInf(f, 0) {
			var numErr *strconv.NumError
			if errors.As(err, &numErr) && errors.Is(numErr.Err, strconv.ErrRange) || math.IsInf(f, 0) {
				// Valid JSON, but beyond float64: keep the text, do not round to ±Inf.
				*v = Value{kind: KindOther, str: text}
				return nil
			}
			return err
		}
		*v = Value{kind: KindNumber, num: f, str: text}
	}
	return nil
}

// MarshalJSON writes the value back as the JSON it came from.
func (v Value) MarshalJSON() ([]byte, error) {
	switch v.kind {
	case KindNull:
		return []byte("null"), nil
	case KindBool:
		return []byte(strconv.FormatBool(v.b)), nil
	case KindString:
		return json.Marshal(v.str)
	default:
		return []byte(v.str), nil
	}
}
