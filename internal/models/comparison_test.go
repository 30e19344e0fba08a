package models

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Bodies shared by the tests and the fuzz seed corpus.
const (
	// specOnlyComparisonBody has only the fields the newest spec lists.
	specOnlyComparisonBody = `{
	  "commonDatapoints": ["a", "b"],
	  "metrics": [
	    {"metric_name": "accuracy", "metric_type": "LLM", "old_aggregate": 0.5, "new_aggregate": 0.75,
	     "difference": 0.25, "percentage_change": 50}
	  ]
	}`

	// nullsComparisonBody sends null for every optional field.
	nullsComparisonBody = `{
	  "commonDatapoints": null,
	  "metrics": [
	    {"metric_name": "accuracy", "metric_type": null, "event_name": null, "event_type": null,
	     "old_aggregate": null, "new_aggregate": null, "difference": null, "percentage_change": null,
	     "found_count": null, "improved_count": null, "degraded_count": null, "same_count": null,
	     "improved": null, "degraded": null, "same": null, "old_values": null, "new_values": null}
	  ]
	}`

	// listsComparisonBody exercises the name lists: repeated names whose
	// entries disagree, in either order, a metric in both lists, counts
	// missing, zero or given as 3.0, and entries without a name.
	listsComparisonBody = `{
	  "metrics": [
	    {"metric_name": "b_both", "improved_count": 2, "degraded_count": 1.0},
	    {"metric_name": "a_improved", "improved_count": 3.0, "degraded_count": 0},
	    {"metric_name": "b_both", "event_name": "second", "improved_count": 5, "degraded_count": 5},
	    {"metric_name": "c_degraded", "improved_count": 0, "degraded_count": 4},
	    {"metric_name": "d_no_counts"},
	    {"metric_name": "e_null_counts", "improved_count": null, "degraded_count": null},
	    {"metric_name": "f_zero", "improved_count": 0, "degraded_count": 0, "same_count": 9},
	    {"metric_name": "g_first_flat", "improved_count": 0, "degraded_count": 0},
	    {"metric_name": "g_first_flat", "event_name": "second", "improved_count": 7, "degraded_count": 7},
	    {"metric_name": "a_improved", "event_name": "second", "improved_count": 0},
	    {"metric_name": "h_second_degraded", "improved_count": 1, "degraded_count": 0},
	    {"metric_name": "h_second_degraded", "event_name": "second", "improved_count": 0, "degraded_count": 2},
	    {"metric_name": "i_first_degraded", "improved_count": 0, "degraded_count": 2},
	    {"metric_name": "i_first_degraded", "event_name": "second", "improved_count": 1, "degraded_count": 0},
	    {"metric_name": "", "improved_count": 9, "degraded_count": 9},
	    {"metric_name": null, "improved_count": 9, "degraded_count": 9},
	    {"event_name": "unnamed", "improved_count": 9, "degraded_count": 9}
	  ]
	}`

	// mixedValuesComparisonBody mixes value kinds in aggregates and values.
	mixedValuesComparisonBody = `{
	  "commonDatapoints": [],
	  "metrics": [
	    {"metric_name": "passed", "metric_type": "HUMAN", "old_aggregate": false, "new_aggregate": true,
	     "difference": null, "percentage_change": "n/a", "old_values": [false, null, "x"], "new_values": [true, 1, 1e400]}
	  ]
	}`
)

func decodeComparison(t testing.TB, body string) *RunComparisonResult {
	t.Helper()
	r, err := DecodeRunComparisonResult("run-new", "run-old", []byte(body))
	if err != nil {
		t.Fatalf("DecodeRunComparisonResult: %v\nbody: %s", err, body)
	}
	if r == nil {
		t.Fatal("DecodeRunComparisonResult returned nil and no error")
	}
	return r
}

func int64Ptr(n int64) *int64 { return &n }

func TestDecodeRunComparisonResultAPIExample(t *testing.T) {
	r, err := DecodeRunComparisonResult("new-1", "old-1", readTestdata(t, "comparison_api_example.json"))
	if err != nil {
		t.Fatal(err)
	}
	if r.NewRunID != "new-1" || r.OldRunID != "old-1" {
		t.Errorf("NewRunID, OldRunID = %q, %q", r.NewRunID, r.OldRunID)
	}
	if r.CommonDatapoints != 3 {
		t.Errorf("CommonDatapoints = %d, want 3", r.CommonDatapoints)
	}
	if want := []string{"EXT-1", "EXT-2", "EXT-3"}; !slices.Equal(r.CommonDatapointIDs, want) {
		t.Errorf("CommonDatapointIDs = %q, want %q", r.CommonDatapointIDs, want)
	}
	if r.NewOnlyDatapoints != 0 || r.OldOnlyDatapoints != 0 {
		t.Errorf("NewOnly, OldOnly = %d, %d before CountExclusiveDatapoints", r.NewOnlyDatapoints, r.OldOnlyDatapoints)
	}
	if len(r.MetricDeltas) != 1 {
		t.Fatalf("MetricDeltas: %d, want 1", len(r.MetricDeltas))
	}
	d := r.MetricDeltas[0]
	checks := []struct {
		field     string
		got, want string
	}{
		{"metric_name", d.MetricName, "accuracy"},
		{"metric_type", optStr(d.MetricType), `"CLIENT_SIDE"`},
		{"event_name", optStr(d.EventName), `"predictor"`},
		{"event_type", optStr(d.EventType), `"chain"`},
		{"found_count", optInt(d.FoundCount), "3"},
		{"improved_count", optInt(d.ImprovedCount), "1"},
		{"degraded_count", optInt(d.DegradedCount), "0"},
		{"same_count", optInt(d.SameCount), "2"},
		{"improved", fmt.Sprintf("%#v", d.Improved), `[]string{"EXT-1"}`},
		{"degraded", fmt.Sprintf("%#v", d.Degraded), `[]string{}`},
		{"same", fmt.Sprintf("%#v", d.Same), `[]string{"EXT-2", "EXT-3"}`},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %s, want %s", c.field, c.got, c.want)
		}
	}
	values := []struct {
		field     string
		got, want Value
		text      string
	}{
		{"old_aggregate", d.OldAggregate, Number(0.8), "0.80"},
		{"new_aggregate", d.NewAggregate, Number(0.85), "0.85"},
		{"difference", d.Difference, Number(0.05), "0.05"},
		{"percentage_change", d.PercentageChange, Number(6.25), "6.25"},
	}
	for _, v := range values {
		if !v.got.Equal(v.want) {
			t.Errorf("%s = %#v, want %#v", v.field, v.got, v.want)
		}
		if txt, _ := v.got.Text(); txt != v.text {
			t.Errorf("%s text = %q, want the body's %q", v.field, txt, v.text)
		}
	}
	if want := []Value{Number(0.8), Number(0.75), Number(0.85)}; !slices.EqualFunc(d.OldValues, want, Value.Equal) {
		t.Errorf("old_values = %#v", d.OldValues)
	}
	if want := []Value{Number(0.9), Number(0.8), Number(0.85)}; !slices.EqualFunc(d.NewValues, want, Value.Equal) {
		t.Errorf("new_values = %#v", d.NewValues)
	}

	if got, ok := r.GetMetricDelta("accuracy"); !ok || got.MetricName != "accuracy" || optInt(got.ImprovedCount) != "1" {
		t.Errorf("GetMetricDelta(accuracy) = %+v, %v", got, ok)
	}
	if got, ok := r.GetMetricDelta("latency"); ok || got.MetricName != "" || got.ImprovedCount != nil {
		t.Errorf("GetMetricDelta(latency) = %+v, %v; want zero, false", got, ok)
	}
	if got := r.MetricNames(); !slices.Equal(got, []string{"accuracy"}) {
		t.Errorf("MetricNames() = %q", got)
	}
	if got := r.ListImprovedMetrics(); !slices.Equal(got, []string{"accuracy"}) {
		t.Errorf("ListImprovedMetrics() = %q", got)
	}
	if got := r.ListDegradedMetrics(); got == nil || len(got) != 0 {
		t.Errorf("ListDegradedMetrics() = %#v, want an empty, non-nil list", got)
	}
}

func TestDecodeRunComparisonResultSpecOnly(t *testing.T) {
	r := decodeComparison(t, specOnlyComparisonBody)
	if r.CommonDatapoints != 2 || !slices.Equal(r.CommonDatapointIDs, []string{"a", "b"}) {
		t.Errorf("common = %d %q", r.CommonDatapoints, r.CommonDatapointIDs)
	}
	d, ok := r.GetMetricDelta("accuracy")
	if !ok {
		t.Fatal("GetMetricDelta(accuracy): not found")
	}
	if optStr(d.MetricType) != `"LLM"` || d.EventName != nil || d.EventType != nil {
		t.Errorf("metric_type, event_name, event_type = %s, %s, %s", optStr(d.MetricType), optStr(d.EventName), optStr(d.EventType))
	}
	if !d.OldAggregate.Equal(Number(0.5)) || !d.NewAggregate.Equal(Number(0.75)) ||
		!d.Difference.Equal(Number(0.25)) || !d.PercentageChange.Equal(Number(50)) {
		t.Errorf("aggregates = %#v %#v %#v %#v", d.OldAggregate, d.NewAggregate, d.Difference, d.PercentageChange)
	}
	if d.FoundCount != nil || d.ImprovedCount != nil || d.DegradedCount != nil || d.SameCount != nil {
		t.Errorf("counts = %s %s %s %s, want all nil", optInt(d.FoundCount), optInt(d.ImprovedCount), optInt(d.DegradedCount), optInt(d.SameCount))
	}
	if d.Improved != nil || d.Degraded != nil || d.Same != nil || d.OldValues != nil || d.NewValues != nil {
		t.Errorf("lists = %+v, want all nil", d)
	}
	if got := r.ListImprovedMetrics(); len(got) != 0 {
		t.Errorf("ListImprovedMetrics() = %q, want none: no counts", got)
	}
	if got := r.ListDegradedMetrics(); len(got) != 0 {
		t.Errorf("ListDegradedMetrics() = %q, want none: no counts", got)
	}
}

func TestDecodeRunComparisonResultNulls(t *testing.T) {
	r := decodeComparison(t, nullsComparisonBody)
	if r.CommonDatapoints != 0 || r.CommonDatapointIDs != nil {
		t.Errorf("common = %d %#v", r.CommonDatapoints, r.CommonDatapointIDs)
	}
	if len(r.MetricDeltas) != 1 {
		t.Fatalf("MetricDeltas: %d", len(r.MetricDeltas))
	}
	d := r.MetricDeltas[0]
	if d.MetricName != "accuracy" || d.MetricType != nil || d.EventName != nil || d.EventType != nil {
		t.Errorf("names = %+v", d)
	}
	for name, v := range map[string]Value{"old_aggregate": d.OldAggregate, "new_aggregate": d.NewAggregate, "difference": d.Difference, "percentage_change": d.PercentageChange} {
		if !v.IsNull() {
			t.Errorf("%s = %#v, want null", name, v)
		}
	}
	if d.FoundCount != nil || d.ImprovedCount != nil || d.DegradedCount != nil || d.SameCount != nil {
		t.Error("null counts must stay nil, not 0")
	}
	if d.Improved != nil || d.Degraded != nil || d.Same != nil || d.OldValues != nil || d.NewValues != nil {
		t.Errorf("null lists = %+v, want nil", d)
	}
}

func TestDecodeRunComparisonResultMixedValues(t *testing.T) {
	d, ok := decodeComparison(t, mixedValuesComparisonBody).GetMetricDelta("passed")
	if !ok {
		t.Fatal("not found")
	}
	if !d.OldAggregate.Equal(Bool(false)) || !d.NewAggregate.Equal(Bool(true)) || !d.Difference.IsNull() || !d.PercentageChange.Equal(String("n/a")) {
		t.Errorf("aggregates = %#v %#v %#v %#v", d.OldAggregate, d.NewAggregate, d.Difference, d.PercentageChange)
	}
	if want := []Value{Bool(false), Null(), String("x")}; !slices.EqualFunc(d.OldValues, want, Value.Equal) {
		t.Errorf("old_values = %#v", d.OldValues)
	}
	if want := []Value{Bool(true), Number(1), mustDecodeValue(t, "1e400")}; !slices.EqualFunc(d.NewValues, want, Value.Equal) {
		t.Errorf("new_values = %#v", d.NewValues)
	}
}

func TestDecodeRunComparisonResultEmpty(t *testing.T) {
	for _, body := range []string{`{}`, `{"metrics": null}`, `{"metrics": []}`, `{"commonDatapoints": [], "metrics": []}`, `{"other": 1}`} {
		t.Run(body, func(t *testing.T) {
			r := decodeComparison(t, body)
			if r.MetricDeltas == nil || len(r.MetricDeltas) != 0 {
				t.Errorf("MetricDeltas = %#v, want an empty, non-nil list", r.MetricDeltas)
			}
			if r.CommonDatapoints != 0 || len(r.CommonDatapointIDs) != 0 {
				t.Errorf("common = %d %q", r.CommonDatapoints, r.CommonDatapointIDs)
			}
			for name, got := range map[string][]string{
				"MetricNames": r.MetricNames(), "ListImprovedMetrics": r.ListImprovedMetrics(), "ListDegradedMetrics": r.ListDegradedMetrics(),
			} {
				if got == nil || len(got) != 0 {
					t.Errorf("%s() = %#v, want an empty, non-nil list", name, got)
				}
			}
			if _, ok := r.GetMetricDelta("accuracy"); ok {
				t.Error("GetMetricDelta found a metric in an empty body")
			}
		})
	}
}

func TestDecodeRunComparisonResultCounts(t *testing.T) {
	tests := []struct {
		raw  string // JSON text of the count
		want *int64
		err  string // part of the error message; "" for no error
	}{
		{raw: `3`, want: int64Ptr(3)},
		{raw: `3.0`, want: int64Ptr(3)},
		{raw: `0`, want: int64Ptr(0)},
		{raw: `-0`, want: int64Ptr(0)},
		{raw: `0.0e5`, want: int64Ptr(0)},
		{raw: `1e2`, want: int64Ptr(100)},
		{raw: `30E-1`, want: int64Ptr(3)},
		{raw: `9007199254740992`, want: int64Ptr(1 << 53)},
		{raw: `null`, want: nil},
		{raw: `2.5`, err: "2.5"},
		{raw: `0.5`, err: "0.5"},
		{raw: `-1`, err: "-1"},
		{raw: `-3.0`, err: "-3.0"},
		{raw: `1e300`, err: "1e300"},
		{raw: `9007199254740994`, err: "9007199254740994"},
		{raw: `1e400`, err: "1e400"},
		{raw: `"3"`, err: "string"},
		{raw: `""`, err: "string"},
		{raw: `true`, err: "bool"},
		{raw: `false`, err: "bool"},
		{raw: `[3]`, err: "[3]"},
		{raw: `{"n": 3}`, err: "want a count"},
	}
	fields := []struct {
		name string
		get  func(MetricDelta) *int64
	}{
		{"found_count", func(d MetricDelta) *int64 { return d.FoundCount }},
		{"improved_count", func(d MetricDelta) *int64 { return d.ImprovedCount }},
		{"degraded_count", func(d MetricDelta) *int64 { return d.DegradedCount }},
		{"same_count", func(d MetricDelta) *int64 { return d.SameCount }},
	}
	for _, f := range fields {
		for _, tt := range tests {
			t.Run(f.name+"="+tt.raw, func(t *testing.T) {
				// The count sits in the second entry, after a valid one, to check
				// that the message names the entry.
				body := `{"metrics": [{"metric_name": "ok", "found_count": 1}, {"metric_name": "latency", "` + f.name + `": ` + tt.raw + `}]}`
				r, err := DecodeRunComparisonResult("n", "o", []byte(body))
				if tt.err != "" {
					if r != nil {
						t.Errorf("got a result along with the error")
					}
					requireErrorContains(t, err, f.name, `metrics[1]`, `"latency"`, tt.err)
					return
				}
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if got := f.get(r.MetricDeltas[1]); optInt(got) != optInt(tt.want) {
					t.Errorf("%s = %s, want %s", f.name, optInt(got), optInt(tt.want))
				}
				// The other counts of that entry stay nil.
				for _, other := range fields {
					if other.name != f.name && other.get(r.MetricDeltas[1]) != nil {
						t.Errorf("%s = %s, want nil", other.name, optInt(other.get(r.MetricDeltas[1])))
					}
				}
			})
		}
	}
}

var comparisonErrorCases = []decodeErrorCase{
	{"commonDatapoints is a number", `{"commonDatapoints": 3}`, []string{"commonDatapoints"}},
	{"commonDatapoints holds numbers", `{"commonDatapoints": [1]}`, []string{"commonDatapoints"}},
	{"metrics is an object", `{"metrics": {"accuracy": {}}}`, []string{"metrics"}},
	{"metrics entry is a string", `{"metrics": ["accuracy"]}`, []string{"metrics"}},
	{"metric name is a number", `{"metrics": [{"metric_name": 5}]}`, []string{"metric_name"}},
	{"improved is a string", `{"metrics": [{"metric_name": "a", "improved": "EXT-1"}]}`, []string{"improved"}},
	{"same holds numbers", `{"metrics": [{"metric_name": "a", "same": [1]}]}`, []string{"same"}},
	{"metric_type is a number", `{"metrics": [{"metric_type": 1}]}`, []string{"metric_type"}},
	{"old_values is an object", `{"metrics": [{"old_values": {}}]}`, []string{"old_values"}},
	{"count is a string", `{"metrics": [{"metric_name": "accuracy", "improved_count": "3"}]}`, []string{`metrics[0] ("accuracy").improved_count`, "string"}},
}

func TestDecodeRunComparisonResultErrors(t *testing.T) {
	for _, tt := range append(slices.Clone(nonObjectBodyCases), comparisonErrorCases...) {
		t.Run(tt.name, func(t *testing.T) {
			r, err := DecodeRunComparisonResult("n", "o", []byte(tt.body))
			if r != nil {
				t.Errorf("got a result %+v along with the error", r)
			}
			requireErrorContains(t, err, tt.parts...)
		})
	}
}

func TestRunComparisonResultNames(t *testing.T) {
	r := decodeComparison(t, listsComparisonBody)
	if len(r.MetricDeltas) != 17 {
		t.Fatalf("MetricDeltas: %d, want every entry (17)", len(r.MetricDeltas))
	}
	wantNames := []string{"b_both", "a_improved", "c_degraded", "d_no_counts", "e_null_counts", "f_zero",
		"g_first_flat", "h_second_degraded", "i_first_degraded"}
	if got := r.MetricNames(); !slices.Equal(got, wantNames) {
		t.Errorf("MetricNames() = %q, want %q (each once, body order, no unnamed entry)", got, wantNames)
	}
	// Decided on every entry of a name, whichever comes first: g_first_flat
	// changes only on its second event, h_second_degraded degrades only on its
	// second, i_first_degraded only on its first.
	wantImproved := []string{"b_both", "a_improved", "g_first_flat", "h_second_degraded", "i_first_degraded"}
	if got := r.ListImprovedMetrics(); !slices.Equal(got, wantImproved) {
		t.Errorf("ListImprovedMetrics() = %q, want %q", got, wantImproved)
	}
	wantDegraded := []string{"b_both", "c_degraded", "g_first_flat", "h_second_degraded", "i_first_degraded"}
	if got := r.ListDegradedMetrics(); !slices.Equal(got, wantDegraded) {
		t.Errorf("ListDegradedMetrics() = %q, want %q", got, wantDegraded)
	}
	// Unnamed entries (empty, null, missing) are kept in MetricDeltas, in the
	// SDK's words dropped from everything keyed by name.
	if got, want := r.UnnamedMetricDeltas(), []int{14, 15, 16}; !slices.Equal(got, want) {
		t.Errorf("UnnamedMetricDeltas() = %v, want %v", got, want)
	}
	if got := decodeComparison(t, specOnlyComparisonBody).UnnamedMetricDeltas(); got != nil {
		t.Errorf("UnnamedMetricDeltas() = %v for a body with names only, want none", got)
	}
	// Every listed name has an entry that qualifies.
	for _, tc := range []struct {
		list  []string
		count func(MetricDelta) *int64
	}{
		{r.ListImprovedMetrics(), func(d MetricDelta) *int64 { return d.ImprovedCount }},
		{r.ListDegradedMetrics(), func(d MetricDelta) *int64 { return d.DegradedCount }},
	} {
		for _, name := range tc.list {
			if !slices.ContainsFunc(r.MetricDeltas, func(d MetricDelta) bool {
				c := tc.count(d)
				return d.MetricName == name && c != nil && *c > 0
			}) {
				t.Errorf("%s is listed, but none of its entries has a positive count", name)
			}
		}
	}
}

func TestGetMetricDeltaFirstOfRepeated(t *testing.T) {
	r := decodeComparison(t, listsComparisonBody)
	tests := []struct {
		name               string
		eventName          *string
		improved, degraded string
	}{
		{"b_both", nil, "2", "1"},
		{"a_improved", nil, "3", "0"},
		{"g_first_flat", nil, "0", "0"},
		{"d_no_counts", nil, "<nil>", "<nil>"},
		{"e_null_counts", nil, "<nil>", "<nil>"},
	}
	for _, tt := range tests {
		d, ok := r.GetMetricDelta(tt.name)
		if !ok {
			t.Errorf("GetMetricDelta(%q): not found", tt.name)
			continue
		}
		if d.MetricName != tt.name || optStr(d.EventName) != optStr(tt.eventName) ||
			optInt(d.ImprovedCount) != tt.improved || optInt(d.DegradedCount) != tt.degraded {
			t.Errorf("GetMetricDelta(%q) = event %s, improved %s, degraded %s; want the first entry (event %s, %s, %s)",
				tt.name, optStr(d.EventName), optInt(d.ImprovedCount), optInt(d.DegradedCount), optStr(tt.eventName), tt.improved, tt.degraded)
		}
	}
	for _, name := range []string{"", "B_BOTH", "b_both ", "missing"} {
		if _, ok := r.GetMetricDelta(name); ok {
			t.Errorf("GetMetricDelta(%q) found an entry", name)
		}
	}
	// The repeated entries are all kept, in body order.
	var events []string
	for _, d := range r.MetricDeltas {
		if d.MetricName == "b_both" {
			events = append(events, optStr(d.EventName))
		}
	}
	if !slices.Equal(events, []string{"<nil>", `"second"`}) {
		t.Errorf("b_both entries = %q", events)
	}
}

// summaryWithIDs builds a summary body: datapoints carry dpIDs (an ID
// prefixed "session:" becomes a datapoint with only that session ID), and
// passed lists passed.
func summaryWithIDs(t *testing.T, dpIDs, passed []string) *ExperimentResultSummary {
	t.Helper()
	var dps []string
	for _, id := range dpIDs {
		if s, ok := strings.CutPrefix(id, "session:"); ok {
			dps = append(dps, fmt.Sprintf(`{"datapoint_id": null, "session_id": %q}`, s))
		} else {
			dps = append(dps, fmt.Sprintf(`{"datapoint_id": %q, "session_id": "sess-of-%s"}`, id, id))
		}
	}
	quoted := make([]string, len(passed))
	for i, p := range passed {
		quoted[i] = fmt.Sprintf("%q", p)
	}
	body := `{"datapoints": [` + strings.Join(dps, ",") + `], "passed": [` + strings.Join(quoted, ",") + `]}`
	return decodeSummary(t, body)
}

func TestCountExclusiveDatapoints(t *testing.T) {
	tests := []struct {
		name                     string
		newDPs, newPassed        []string
		oldDPs, oldPassed        []string
		wantNewOnly, wantOldOnly int
	}{
		{name: "overlapping", newDPs: []string{"a", "b", "c"}, oldDPs: []string{"b", "c", "d", "e"}, wantNewOnly: 1, wantOldOnly: 2},
		{name: "disjoint", newDPs: []string{"a"}, oldDPs: []string{"b", "c"}, wantNewOnly: 1, wantOldOnly: 2},
		{name: "identical", newDPs: []string{"a", "b"}, oldDPs: []string{"b", "a"}, wantNewOnly: 0, wantOldOnly: 0},
		{name: "both empty", wantNewOnly: 0, wantOldOnly: 0},
		{name: "new empty", oldDPs: []string{"a", "b"}, wantNewOnly: 0, wantOldOnly: 2},
		{name: "old empty", newDPs: []string{"a", "b", "c"}, wantNewOnly: 3, wantOldOnly: 0},
		{name: "IDs from the passed lists too", newDPs: []string{"a"}, newPassed: []string{"x"}, oldPassed: []string{"a"}, wantNewOnly: 1, wantOldOnly: 0},
		{name: "repeated IDs counted once", newDPs: []string{"a", "a"}, newPassed: []string{"b", "b"}, oldDPs: []string{"c"}, wantNewOnly: 2, wantOldOnly: 1},
		{name: "session ID fallback matches", newDPs: []string{"session:s1", "a"}, oldDPs: []string{"a"}, oldPassed: []string{"s1"}, wantNewOnly: 0, wantOldOnly: 0},
		{name: "session ID fallback on both sides", newDPs: []string{"session:s1"}, oldDPs: []string{"session:s1", "session:s2"}, wantNewOnly: 0, wantOldOnly: 1},
		{name: "session ID ignored when the datapoint has an ID", newDPs: []string{"a"}, oldDPs: []string{"session:sess-of-a"}, wantNewOnly: 1, wantOldOnly: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := decodeComparison(t, `{"commonDatapoints": ["z"]}`)
			r.NewOnlyDatapoints, r.OldOnlyDatapoints = 99, 99 // overwritten, not added to
			newRun := summaryWithIDs(t, tt.newDPs, tt.newPassed)
			oldRun := summaryWithIDs(t, tt.oldDPs, tt.oldPassed)
			r.CountExclusiveDatapoints(newRun, oldRun)
			if r.NewOnlyDatapoints != tt.wantNewOnly || r.OldOnlyDatapoints != tt.wantOldOnly {
				t.Errorf("NewOnly, OldOnly = %d, %d; want %d, %d", r.NewOnlyDatapoints, r.OldOnlyDatapoints, tt.wantNewOnly, tt.wantOldOnly)
			}
			if r.CommonDatapoints != 1 || !slices.Equal(r.CommonDatapointIDs, []string{"z"}) {
				t.Errorf("CountExclusiveDatapoints changed the common datapoints: %d %q", r.CommonDatapoints, r.CommonDatapointIDs)
			}
			// Swapping the runs swaps the counts.
			r.CountExclusiveDatapoints(oldRun, newRun)
			if r.NewOnlyDatapoints != tt.wantOldOnly || r.OldOnlyDatapoints != tt.wantNewOnly {
				t.Errorf("swapped: NewOnly, OldOnly = %d, %d; want %d, %d", r.NewOnlyDatapoints, r.OldOnlyDatapoints, tt.wantOldOnly, tt.wantNewOnly)
			}
		})
	}
}

func TestCountExclusiveDatapointsAPIExamples(t *testing.T) {
	r, err := DecodeRunComparisonResult("new", "old", readTestdata(t, "comparison_api_example.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := decodeSummary(t, string(readTestdata(t, "summary_api_example.json")))
	r.CountExclusiveDatapoints(s, s)
	if r.NewOnlyDatapoints != 0 || r.OldOnlyDatapoints != 0 {
		t.Errorf("same run on both sides: NewOnly, OldOnly = %d, %d", r.NewOnlyDatapoints, r.OldOnlyDatapoints)
	}
	r.CountExclusiveDatapoints(s, &ExperimentResultSummary{})
	if r.NewOnlyDatapoints != 3 || r.OldOnlyDatapoints != 0 {
		t.Errorf("against an empty run: NewOnly, OldOnly = %d, %d; want 3, 0", r.NewOnlyDatapoints, r.OldOnlyDatapoints)
	}
}

// checkComparisonOptionsAgree checks that decoding body without the
// per-datapoint lists gives full (body decoded in full) without them, with
// the same count of common datapoints.
func checkComparisonOptionsAgree(t *testing.T, body []byte, full *RunComparisonResult) {
	t.Helper()
	got, err := DecodeRunComparisonResultWith("new", "old", body, ComparisonDecodeOptions{SkipDatapointLists: true})
	if err != nil {
		t.Fatalf("decodes in full but not without the lists: %v", err)
	}
	want := *full
	want.NewRunID, want.OldRunID = "new", "old"
	want.CommonDatapointIDs = nil
	if full.MetricDeltas != nil {
		want.MetricDeltas = slices.Clone(full.MetricDeltas)
		for i := range want.MetricDeltas {
			d := &want.MetricDeltas[i]
			d.Improved, d.Degraded, d.Same, d.OldValues, d.NewValues = nil, nil, nil, nil, nil
		}
	}
	if !reflect.DeepEqual(got, &want) {
		t.Fatalf("without the lists:\n got %+v\nwant %+v", got, &want)
	}
}

func TestDecodeRunComparisonResultWithoutLists(t *testing.T) {
	bodies := []string{
		string(readTestdata(t, "comparison_api_example.json")),
		specOnlyComparisonBody, nullsComparisonBody, listsComparisonBody, mixedValuesComparisonBody,
		`{"commonDatapoints":["a",null,"c"],"commonDatapoints":["x"],"metrics":[{"metric_name":"m","improved":["a"],"improved_count":1}]}`,
		`{"metrics":[{"metric_name":"m","old_values":[1,"x",null,{"a":[]}],"same":null}],"metrics":[{"found_count":2}]}`,
	}
	for _, body := range bodies {
		full, err := DecodeRunComparisonResult("new", "old", []byte(body))
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		checkComparisonOptionsAgree(t, []byte(body), full)
	}
	r, err := DecodeRunComparisonResultWith("n", "o", readTestdata(t, "comparison_api_example.json"),
		ComparisonDecodeOptions{SkipDatapointLists: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.CommonDatapoints != 3 || r.CommonDatapointIDs != nil || r.MetricDeltas[0].Improved != nil ||
		optInt(r.MetricDeltas[0].ImprovedCount) != "1" || optInt(r.MetricDeltas[0].SameCount) != "2" {
		t.Errorf("without lists: %+v", r)
	}
	// What the lists hold is still checked to be a list of IDs.
	for _, body := range []string{`{"commonDatapoints":[1]}`, `{"commonDatapoints":{}}`, `{"commonDatapoints":"a"}`} {
		if _, err := DecodeRunComparisonResultWith("n", "o", []byte(body), ComparisonDecodeOptions{SkipDatapointLists: true}); err == nil {
			t.Errorf("%s: no error", body)
		}
		if _, err := DecodeRunComparisonResult("n", "o", []byte(body)); err == nil {
			t.Errorf("%s: no error in full", body)
		}
	}
}

// The statuses of the body's run objects are read leniently: they stand in
// for a summary that has none, and never fail the comparison.
func TestRunComparisonResultRunStatuses(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		newStatus  ExperimentRunStatus
		oldStatus  ExperimentRunStatus
	}{
		{"both", `{"new_run":{"status":"running","id":"n"},"old_run":{"status":"completed"}}`, StatusRunning, StatusCompleted},
		{"absent", `{"metrics":[]}`, "", ""},
		{"null objects and statuses", `{"new_run":null,"old_run":{"status":null}}`, "", ""},
		{"unreadable", `{"new_run":"x","old_run":{"status":5}}`, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, opts := range []ComparisonDecodeOptions{{}, {SkipDatapointLists: true}} {
				r, err := DecodeRunComparisonResultWith("n", "o", []byte(tc.body), opts)
				if err != nil {
					t.Fatalf("%+v: %v", opts, err)
				}
				if r.NewRunStatus != tc.newStatus || r.OldRunStatus != tc.oldStatus {
					t.Errorf("%+v: statuses = %q, %q; want %q, %q", opts, r.NewRunStatus, r.OldRunStatus, tc.newStatus, tc.oldStatus)
				}
			}
		})
	}
}
