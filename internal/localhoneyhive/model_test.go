package localhoneyhive

import (
	"encoding/json"
	"math"
	"testing"
)

func TestValueJSON(t *testing.T) {
	tests := []struct {
		value Value
		json  string
	}{
		{Number(0.625), "0.625"},
		{Number(1500), "1500"},
		{Number(-2.5e-7), "-2.5e-7"},
		{Number(math.NaN()), "null"},
		{Number(math.Inf(1)), "null"},
		{Bool(true), "true"},
		{Bool(false), "false"},
		{Text("B"), `"B"`},
		{Text(`say "hi"`), `"say \"hi\""`},
		{Null(), "null"},
		{Value{}, "null"},
	}
	for _, tc := range tests {
		got, err := json.Marshal(tc.value)
		if err != nil || string(got) != tc.json {
			t.Errorf("Marshal(%#v) = %s, %v; want %s", tc.value, got, err, tc.json)
		}
		if tc.value.kind == kindMissing || math.IsNaN(tc.value.num) || math.IsInf(tc.value.num, 0) {
			continue
		}
		var back Value
		if err := json.Unmarshal(got, &back); err != nil || back != tc.value {
			t.Errorf("round trip of %s = %#v, %v", got, back, err)
		}
	}
	// Numbers are formatted exactly like encoding/json formats float64.
	for _, f := range []float64{0, 1, -1, 0.1, 1.0 / 3, 1e-6, 9.99e-7, 1e-7, 123456789, 1e20, 1e21, 1.5e300, -4.9e-324, 5e-324} {
		want, _ := json.Marshal(f)
		if got, _ := json.Marshal(Number(f)); string(got) != string(want) {
			t.Errorf("Number(%v) encodes as %s, encoding/json says %s", f, got, want)
		}
	}
	var v Value
	for _, bad := range []string{`{}`, `[1]`, `nope`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("Unmarshal(%s) accepted", bad)
		}
	}
	if n, ok := Bool(true).Numeric(); !ok || n != 1 {
		t.Error("true is not numeric 1")
	}
	if _, ok := Text("1").Numeric(); ok {
		t.Error("a string is numeric")
	}
	if Text("x").Interface() != "x" || Bool(false).Interface() != false || Null().Interface() != nil || Number(2).Interface() != 2.0 {
		t.Error("Interface() conversions are wrong")
	}
	if (Value{}).Recorded() || !Null().Recorded() || Number(1).String() != "1" {
		t.Error("Recorded/String are wrong")
	}
}
