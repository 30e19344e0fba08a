package models

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

type valueCase struct {
	name      string
	in        string // JSON text
	kind      ValueKind
	text      string
	textOK    bool
	float     float64
	floatOK   bool
	negZero   bool   // a zero float must be -0
	marshaled string // MarshalJSON output; "" means the same as in
}

var valueCases = []valueCase{
	// Numbers: the JSON text is kept, the float is parsed.
	{name: "zero", in: `0`, kind: KindNumber, text: "0", textOK: true, float: 0, floatOK: true},
	{name: "int", in: `42`, kind: KindNumber, text: "42", textOK: true, float: 42, floatOK: true},
	{name: "negative int", in: `-7`, kind: KindNumber, text: "-7", textOK: true, float: -7, floatOK: true},
	{name: "float", in: `0.6667`, kind: KindNumber, text: "0.6667", textOK: true, float: 0.6667, floatOK: true},
	{name: "float with trailing zero keeps text", in: `3.0`, kind: KindNumber, text: "3.0", textOK: true, float: 3, floatOK: true},
	{name: "exponent", in: `1e3`, kind: KindNumber, text: "1e3", textOK: true, float: 1000, floatOK: true},
	{name: "negative exponent upper E", in: `-2.5E-3`, kind: KindNumber, text: "-2.5E-3", textOK: true, float: -0.0025, floatOK: true},
	{name: "exponent with plus", in: `6.25e+1`, kind: KindNumber, text: "6.25e+1", textOK: true, float: 62.5, floatOK: true},
	{name: "negative zero", in: `-0`, kind: KindNumber, text: "-0", textOK: true, float: 0, floatOK: true, negZero: true},
	{name: "negative zero float", in: `-0.0`, kind: KindNumber, text: "-0.0", textOK: true, float: 0, floatOK: true, negZero: true},
	{name: "int beyond 2^53 keeps its digits", in: `12345678901234567890`, kind: KindNumber, text: "12345678901234567890", textOK: true, float: 12345678901234567890, floatOK: true},
	{name: "max float64", in: `1.7976931348623157e308`, kind: KindNumber, text: "1.7976931348623157e308", textOK: true, float: math.MaxFloat64, floatOK: true},
	{name: "underflow to zero stays a number", in: `1e-400`, kind: KindNumber, text: "1e-400", textOK: true, float: 0, floatOK: true},
	// Beyond float64: kept as text, never ±Inf.
	{name: "beyond float64", in: `1e400`, kind: KindOther, text: "1e400", textOK: true},
	{name: "beyond float64 negative", in: `-1e400`, kind: KindOther, text: "-1e400", textOK: true},
	{name: "beyond float64 long digits", in: `2` + strings.Repeat("0", 400), kind: KindOther, text: "2" + strings.Repeat("0", 400), textOK: true},
	// Booleans: 1 and 0 as numbers.
	{name: "true", in: `true`, kind: KindBool, text: "true", textOK: true, float: 1, floatOK: true},
	{name: "false", in: `false`, kind: KindBool, text: "false", textOK: true, float: 0, floatOK: true},
	// Strings: content, never a number, even when it looks like one.
	{name: "string", in: `"high"`, kind: KindString, text: "high", textOK: true},
	{name: "empty string", in: `""`, kind: KindString, text: "", textOK: true},
	{name: "numeric string is not a number", in: `"3.5"`, kind: KindString, text: "3.5", textOK: true},
	{name: "string true is not a bool", in: `"true"`, kind: KindString, text: "true", textOK: true},
	{name: "unicode", in: `"héllo ✓ 日本 🐝"`, kind: KindString, text: "héllo ✓ 日本 🐝", textOK: true},
	{name: "escaped", in: `"tab\tnl\nq\"bs\\sl\/u\u00e9\ud83d\udc1d"`, kind: KindString, text: "tab\tnl\nq\"bs\\sl/ué🐝", textOK: true,
		marshaled: `"tab\tnl\nq\"bs\\sl/ué🐝"`},
	{name: "html characters", in: `"<a & b>"`, kind: KindString, text: "<a & b>", textOK: true, marshaled: `"\u003ca \u0026 b\u003e"`},
	// Null: no text, no number.
	{name: "null", in: `null`, kind: KindNull},
	// Arrays and objects: their JSON text.
	{name: "array", in: `[1, 2]`, kind: KindOther, text: "[1, 2]", textOK: true},
	{name: "empty array", in: `[]`, kind: KindOther, text: "[]", textOK: true},
	{name: "object", in: `{"a":1,"b":[true,null]}`, kind: KindOther, text: `{"a":1,"b":[true,null]}`, textOK: true},
	{name: "empty object", in: `{}`, kind: KindOther, text: "{}", textOK: true},
	{name: "nested array of strings", in: `["x","é"]`, kind: KindOther, text: `["x","é"]`, textOK: true},
}

func checkValue(t *testing.T, v Value, c valueCase) {
	t.Helper()
	if v.Kind() != c.kind {
		t.Errorf("Kind() = %v, want %v", v.Kind(), c.kind)
	}
	if v.IsNull() != (c.kind == KindNull) {
		t.Errorf("IsNull() = %v, want %v", v.IsNull(), c.kind == KindNull)
	}
	text, ok := v.Text()
	if text != c.text || ok != c.textOK {
		t.Errorf("Text() = %q, %v; want %q, %v", text, ok, c.text, c.textOK)
	}
	f, ok := v.Float64()
	if f != c.float || ok != c.floatOK {
		t.Errorf("Float64() = %v, %v; want %v, %v", f, ok, c.float, c.floatOK)
	}
	if f == 0 && math.Signbit(f) != c.negZero {
		t.Errorf("Float64() = %v with sign bit %v, want sign bit %v", f, math.Signbit(f), c.negZero)
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		t.Errorf("Float64() = %v: never Inf or NaN", f)
	}
}

func TestValueDecode(t *testing.T) {
	for _, c := range valueCases {
		t.Run(c.name, func(t *testing.T) {
			t.Run("json.Unmarshal", func(t *testing.T) {
				checkValue(t, mustDecodeValue(t, c.in), c)
			})
			t.Run("UnmarshalJSON with surrounding space", func(t *testing.T) {
				var v Value
				if err := v.UnmarshalJSON([]byte(" \n\t" + c.in + " \r\n")); err != nil {
					t.Fatalf("UnmarshalJSON: %v", err)
				}
				checkValue(t, v, c)
			})
			t.Run("as a struct field", func(t *testing.T) {
				var s struct {
					V Value `json:"v"`
				}
				if err := json.Unmarshal([]byte(`{"v": `+c.in+`}`), &s); err != nil {
					t.Fatalf("json.Unmarshal: %v", err)
				}
				checkValue(t, s.V, c)
			})
		})
	}
}

func TestValueDecodeOverwritesPreviousValue(t *testing.T) {
	for _, c := range valueCases {
		for _, prev := range []Value{String("old"), Number(9), Bool(true), mustDecodeValue(t, `[9]`)} {
			v := prev
			if err := json.Unmarshal([]byte(c.in), &v); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			t.Run(c.name, func(t *testing.T) { checkValue(t, v, c) })
		}
	}
}

func TestValueMissingFieldIsNull(t *testing.T) {
	var s struct {
		V Value   `json:"v"`
		W []Value `json:"w"`
	}
	if err := json.Unmarshal([]byte(`{"other": 1}`), &s); err != nil {
		t.Fatal(err)
	}
	if !s.V.IsNull() || s.V.Kind() != KindNull {
		t.Errorf("missing field: got %#v, want null", s.V)
	}
	if _, ok := s.V.Text(); ok {
		t.Error("missing field: Text() reports ok")
	}
	if s.W != nil {
		t.Errorf("missing list: got %#v, want nil", s.W)
	}
	if !(Value{}).Equal(Null()) {
		t.Error("zero Value is not Null()")
	}
}

func TestValueInvalidJSON(t *testing.T) {
	inputs := []string{
		``, ` `, `nul`, `nope`, `nullx`, `tru`, `True`, `falsey`, `"unterminated`, `'single'`,
		`01`, `1.`, `.5`, `+1`, `-`, `1e`, `0x10`, `1_000`, `NaN`, `Infinity`, `-Inf`,
		`[1,`, `[1 2]`, `{`, `{"a"}`, `{a:1}`, `1 2`, `"a" "b"`, `[]]`,
	}
	for _, in := range inputs {
		t.Run(in, func(t *testing.T) {
			var v Value
			if err := json.Unmarshal([]byte(in), &v); err == nil {
				t.Errorf("json.Unmarshal(%q) = %#v, want an error", in, v)
			}
			v = String("unchanged")
			err := v.UnmarshalJSON([]byte(in))
			if err == nil {
				t.Errorf("UnmarshalJSON(%q) = %#v, want an error", in, v)
			}
			if err != nil && !v.Equal(String("unchanged")) {
				t.Errorf("UnmarshalJSON(%q) failed but changed the value to %#v", in, v)
			}
		})
	}
}

func TestValueInvalidUTF8(t *testing.T) {
	// Inside an array or object the text is kept, with U+FFFD for the invalid
	// bytes as encoding/json does in strings, so one value cannot fail a body.
	var v Value
	if err := json.Unmarshal([]byte("[\"\xff\"]"), &v); err != nil {
		t.Fatalf("array holding invalid UTF-8: %v", err)
	}
	if got, _ := v.Text(); v.Kind() != KindOther || got != "[\"\uFFFD\"]" {
		t.Errorf("array holding invalid UTF-8 decoded to %#v, want other([\"\uFFFD\"])", v)
	}
	// A plain string goes through encoding/json, which substitutes U+FFFD.
	if err := json.Unmarshal([]byte("\"a\xffb\""), &v); err != nil {
		t.Fatalf("string holding invalid UTF-8: %v", err)
	}
	if got, _ := v.Text(); got != "a\uFFFDb" {
		t.Errorf("string holding invalid UTF-8: Text() = %q, want %q", got, "a\uFFFDb")
	}
}

func TestValueConstructors(t *testing.T) {
	tests := []struct {
		name      string
		v         Value
		kind      ValueKind
		text      string
		textOK    bool
		float     float64
		floatOK   bool
		marshaled string
	}{
		{"Null", Null(), KindNull, "", false, 0, false, `null`},
		{"Number int", Number(3), KindNumber, "3", true, 3, true, `3`},
		{"Number fraction", Number(0.1), KindNumber, "0.1", true, 0.1, true, `0.1`},
		{"Number negative", Number(-2.5), KindNumber, "-2.5", true, -2.5, true, `-2.5`},
		{"Number large", Number(1e21), KindNumber, "1e+21", true, 1e21, true, `1e+21`},
		{"Number small", Number(1e-7), KindNumber, "1e-07", true, 1e-7, true, `1e-07`},
		{"Bool true", Bool(true), KindBool, "true", true, 1, true, `true`},
		{"Bool false", Bool(false), KindBool, "false", true, 0, true, `false`},
		{"String", String("a\"b"), KindString, "a\"b", true, 0, false, `"a\"b"`},
		{"String empty", String(""), KindString, "", true, 0, false, `""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.v.Kind() != tt.kind {
				t.Errorf("Kind() = %v, want %v", tt.v.Kind(), tt.kind)
			}
			if text, ok := tt.v.Text(); text != tt.text || ok != tt.textOK {
				t.Errorf("Text() = %q, %v; want %q, %v", text, ok, tt.text, tt.textOK)
			}
			if f, ok := tt.v.Float64(); f != tt.float || ok != tt.floatOK {
				t.Errorf("Float64() = %v, %v; want %v, %v", f, ok, tt.float, tt.floatOK)
			}
			b, err := json.Marshal(tt.v)
			if err != nil {
				t.Fatalf("json.Marshal: %v", err)
			}
			if string(b) != tt.marshaled {
				t.Errorf("json.Marshal = %s, want %s", b, tt.marshaled)
			}
			back := mustDecodeValue(t, string(b))
			if !back.Equal(tt.v) {
				t.Errorf("round trip: got %#v, want %#v", back, tt.v)
			}
		})
	}
}

func TestValueMarshalRoundTrip(t *testing.T) {
	for _, c := range valueCases {
		t.Run(c.name, func(t *testing.T) {
			v := mustDecodeValue(t, c.in)
			direct, err := v.MarshalJSON()
			if err != nil {
				t.Fatalf("MarshalJSON: %v", err)
			}
			if !json.Valid(direct) {
				t.Fatalf("MarshalJSON wrote invalid JSON %q", direct)
			}
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("json.Marshal: %v", err)
			}
			want := c.in
			if c.marshaled != "" {
				want = c.marshaled
			}
			// json.Marshal compacts what MarshalJSON returns.
			if !sameJSON(string(b), want) || (c.kind != KindOther && string(b) != want) {
				t.Errorf("json.Marshal = %s, want %s", b, want)
			}
			back := mustDecodeValue(t, string(b))
			if c.kind == KindOther {
				if !equivalent(back, v) {
					t.Errorf("round trip: got %#v, want %#v", back, v)
				}
			} else if !back.Equal(v) {
				t.Errorf("round trip: got %#v, want %#v", back, v)
			}
			checkValue(t, back, func() valueCase {
				// After a round trip only the text of arrays and objects may
				// change (compacted), and an escaped string reads the same.
				cc := c
				if c.kind == KindOther {
					cc.text, _ = back.Text()
				}
				return cc
			}())
		})
	}
}

func TestValueMarshalInsideStruct(t *testing.T) {
	in := `{"a":null,"b":1e3,"c":true,"d":"x","e":[1,{"f":null}],"g":1e400,"h":-0}`
	var s struct {
		A, B, C, D, E, G, H Value
		Missing             Value
	}
	if err := json.Unmarshal([]byte(in), &s); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"A":null,"B":1e3,"C":true,"D":"x","E":[1,{"f":null}],"G":1e400,"H":-0,"Missing":null}`
	if string(b) != want {
		t.Errorf("json.Marshal = %s\nwant          %s", b, want)
	}
}

func TestValueEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b Value
		want bool
	}{
		{"null null", Null(), Null(), true},
		{"decoded null and Null()", mustDecodeValue(t, `null`), Null(), true},
		{"null and empty string", Null(), String(""), false},
		{"null and zero", Null(), Number(0), false},
		{"null and false", Null(), Bool(false), false},
		{"same number", Number(0.5), Number(0.5), true},
		{"number by value, not text", mustDecodeValue(t, `1.0`), mustDecodeValue(t, `1`), true},
		{"number exponent vs plain", mustDecodeValue(t, `1e2`), Number(100), true},
		{"zero and negative zero", mustDecodeValue(t, `-0`), Number(0), true},
		{"different numbers", Number(1), Number(2), false},
		{"number and bool", Number(1), Bool(true), false},
		{"number and numeric string", Number(1), String("1"), false},
		{"bool same", Bool(true), Bool(true), true},
		{"bool different", Bool(true), Bool(false), false},
		{"bool and string", Bool(true), String("true"), false},
		{"string same", String("é"), mustDecodeValue(t, `"\u00e9"`), true},
		{"string different", String("a"), String("A"), false},
		{"other same text", mustDecodeValue(t, `[1,2]`), mustDecodeValue(t, `[1,2]`), true},
		{"other different", mustDecodeValue(t, `[1,2]`), mustDecodeValue(t, `[2,1]`), false},
		{"other and string of same text", mustDecodeValue(t, `[1]`), String("[1]"), false},
		{"beyond float64 same", mustDecodeValue(t, `1e400`), mustDecodeValue(t, `1e400`), true},
		{"beyond float64 sign", mustDecodeValue(t, `1e400`), mustDecodeValue(t, `-1e400`), false},
		{"beyond float64 and string", mustDecodeValue(t, `1e400`), String("1e400"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Equal(tt.b); got != tt.want {
				t.Errorf("%#v.Equal(%#v) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := tt.b.Equal(tt.a); got != tt.want {
				t.Errorf("%#v.Equal(%#v) = %v, want %v (not symmetric)", tt.b, tt.a, got, tt.want)
			}
		})
	}
}

func TestValueKindString(t *testing.T) {
	tests := map[ValueKind]string{
		KindNull: "null", KindNumber: "number", KindBool: "bool", KindString: "string", KindOther: "other",
		ValueKind(200): "other",
	}
	for k, want := range tests {
		if got := k.String(); got != want {
			t.Errorf("ValueKind(%d).String() = %q, want %q", k, got, want)
		}
	}
}

func TestValueGoString(t *testing.T) {
	tests := []struct {
		v    Value
		want string
	}{
		{Null(), "null"},
		{Number(1.5), "number(1.5)"},
		{Bool(false), "bool(false)"},
		{String("x"), "string(x)"},
		{mustDecodeValue(t, `[1]`), "other([1])"},
	}
	for _, tt := range tests {
		if got := tt.v.GoString(); got != tt.want {
			t.Errorf("GoString() = %q, want %q", got, tt.want)
		}
	}
}
