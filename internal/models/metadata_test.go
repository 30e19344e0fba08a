package models

import (
	"encoding/json"
	"strings"
	"testing"
)

// The expected string forms are what Terraform itself writes: tostring() of a
// number and jsonencode() of a value, both go-cty's big.Float Text('f', -1) at
// 512 bits, with object keys sorted and strings escaped by encoding/json.
func TestMetadataValueString(t *testing.T) {
	for _, tc := range []struct {
		raw    string
		want   string
		wantOK bool
	}{
		{`"main"`, "main", true},
		{`"a \"quoted\" \u00e9"`, `a "quoted" é`, true},
		{`""`, "", true},
		{`3`, "3", true},
		{`3.0`, "3", true},
		{`3e0`, "3", true},
		{`-0.50`, "-0.5", true},
		{`1e3`, "1000", true},
		{`1E-7`, "0.0000001", true},
		{`0.1`, "0.1", true},
		{`12345678901234567890`, "12345678901234567890", true}, // beyond float64, exact at 512 bits
		{`1e100000`, "1e100000", true},                         // too long to write out: kept as sent
		{`true`, "true", true},
		{`false`, "false", true},
		{` null `, "", false},
		{``, "", false},
		{`{"b": 1.0, "a": [true, "x", null]}`, `{"a":[true,"x",null],"b":1}`, true},
		{`["<a&b>"]`, `["\u003ca\u0026b\u003e"]`, true}, // jsonencode escapes like encoding/json
		{`[]`, `[]`, true},
		{`{"unterminated": `, "", false},
	} {
		got, ok := MetadataValueString(json.RawMessage(tc.raw))
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("MetadataValueString(%s) = %q, %v; want %q, %v", tc.raw, got, ok, tc.want, tc.wantOK)
		}
	}
}

func TestMetadataFilterMatches(t *testing.T) {
	run := func(metadata string) Run { return Run{RunID: "r", Metadata: json.RawMessage(metadata)} }
	const meta = `{"branch": "main", "build": 42, "ci": true, "pr": null, "tags": ["a", "b"], "branch_dup": "x", "branch_dup": "y"}`
	for _, tc := range []struct {
		name     string
		metadata string
		filter   MetadataFilter
		want     bool
	}{
		{"empty filter matches anything", meta, MetadataFilter{}, true},
		{"nil filter matches a run without metadata", "", nil, true},
		{"one key", meta, MetadataFilter{"branch": "main"}, true},
		{"every key must match", meta, MetadataFilter{"branch": "main", "build": "41"}, false},
		{"numbers in string form", meta, MetadataFilter{"branch": "main", "build": "42", "ci": "true"}, true},
		{"number written differently", meta, MetadataFilter{"build": "42.0"}, false},
		{"values are case sensitive", meta, MetadataFilter{"branch": "Main"}, false},
		{"keys are case sensitive", meta, MetadataFilter{"Branch": "main"}, false},
		{"missing key", meta, MetadataFilter{"commit": "3f9c2ab"}, false},
		{"null is no value", meta, MetadataFilter{"pr": "null"}, false},
		{"null is not the empty string", meta, MetadataFilter{"pr": ""}, false},
		{"array as jsonencode writes it", meta, MetadataFilter{"tags": `["a","b"]`}, true},
		{"array with spaces does not match", meta, MetadataFilter{"tags": `["a", "b"]`}, false},
		{"duplicate key: the last one counts, as in JavaScript", meta, MetadataFilter{"branch_dup": "y"}, true},
		{"no metadata", "", MetadataFilter{"branch": "main"}, false},
		{"metadata null", "null", MetadataFilter{"branch": "main"}, false},
		{"metadata not an object", `["branch", "main"]`, MetadataFilter{"branch": "main"}, false},
		{"metadata invalid", `{"branch": "main"`, MetadataFilter{"branch": "main"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.filter.Matches(run(tc.metadata)); got != tc.want {
				t.Errorf("%v.Matches(%s) = %v, want %v", tc.filter, tc.metadata, got, tc.want)
			}
		})
	}
}

// A run list body's metadata reaches the filter unchanged (kept as raw JSON).
func TestMetadataFilterOnDecodedList(t *testing.T) {
	list, err := DecodeRunList([]byte(`{"evaluations": [
		{"run_id": "a", "metadata": {"branch": "main", "commit": "3f9c2ab"}},
		{"run_id": "b", "metadata": {"branch": "feature/x"}},
		{"run_id": "c"}
	]}`))
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, r := range list.Runs {
		if (MetadataFilter{"branch": "main"}).Matches(r) {
			kept = append(kept, r.RunID)
		}
	}
	if strings.Join(kept, ",") != "a" {
		t.Errorf("kept %v, want [a]", kept)
	}
}
