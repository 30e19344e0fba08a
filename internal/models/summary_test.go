package models

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// Bodies shared by the tests and the fuzz seed corpus.
const (
	// legacySummaryBody uses the legacy metrics format: no details; every key
	// but aggregation_function is a metric, in an order that is not sorted.
	legacySummaryBody = `{
	  "status": "completed", "success": true, "passed": ["dp-1"], "failed": [],
	  "metrics": {
	    "zeta": {"aggregate": 0.85, "values": [0.8, 0.9]},
	    "aggregation_function": "sum",
	    "alpha": {"aggregate": true, "metric_type": "HUMAN", "event_name": "judge"},
	    "mid": 0.5,
	    "nothing": null,
	    "textual": "good",
	    "arr": [1, 2],
	    "renamed": {"metric_name": "ignored", "aggregate": 3}
	  }
	}`

	// bothFormatsSummaryBody has details and legacy keys at once.
	bothFormatsSummaryBody = `{
	  "status": "completed", "success": true,
	  "metrics": {
	    "legacy_first": {"aggregate": 1},
	    "aggregation_function": "max",
	    "details": [
	      {"metric_name": "accuracy", "aggregate": 0.9},
	      {"metric_name": "latency", "aggregate": 120}
	    ],
	    "accuracy": {"aggregate": 99},
	    "legacy_only": {"aggregate": 2, "values": [2]}
	  }
	}`

	// emptyDetailsWithLegacyBody: an empty details list falls back to the
	// legacy keys, as the SDK's "if self.details" does.
	emptyDetailsWithLegacyBody = `{"metrics": {"details": [], "score": {"aggregate": 0.7}, "aggregation_function": "average"}}`

	// repeatedMetricSummaryBody sends one metric for two events.
	repeatedMetricSummaryBody = `{
	  "status": "completed", "success": true,
	  "metrics": {"aggregation_function": "average", "details": [
	    {"metric_name": "accuracy", "event_name": "predictor", "event_type": "chain", "aggregate": 0.5},
	    {"metric_name": "latency", "event_name": "predictor", "event_type": "chain", "aggregate": 100},
	    {"metric_name": "accuracy", "event_name": "judge", "event_type": "model", "aggregate": 0.9}
	  ]}
	}`

	// mixedValuesSummaryBody mixes every kind of value the API sends.
	mixedValuesSummaryBody = `{
	  "status": "running", "success": null,
	  "metrics": {"details": [
	    {"metric_name": "num", "aggregate": 2.5, "values": [1, true, "x", null, 2.5, -0, 1e400, [1], {"a": 1}]},
	    {"metric_name": "flag", "aggregate": false, "values": [false, true]},
	    {"metric_name": "label", "aggregate": "high", "values": ["high", "low"]},
	    {"metric_name": "none", "aggregate": null, "values": null},
	    {"metric_name": "missing"}
	  ]}
	}`

	// datapointsSummaryBody covers datapoint IDs that are missing or null.
	datapointsSummaryBody = `{
	  "passed": ["dp-1", "sess-2"], "failed": ["dp-3"],
	  "datapoints": [
	    {"datapoint_id": "dp-1", "session_id": "sess-1", "passed": true, "metrics": [
	      {"name": "accuracy", "value": 1, "passed": true},
	      {"name": "label", "event_name": "judge", "event_type": "model", "value": "ok", "passed": null}
	    ]},
	    {"datapoint_id": null, "session_id": "sess-2", "passed": false, "metrics": null},
	    {"session_id": "sess-4"},
	    {"datapoint_id": null, "session_id": null, "passed": null},
	    {"datapoint_id": "dp-3", "metrics": []}
	  ]
	}`

	passingRangeSummaryBody = `{"metrics": {"details": [
	    {"metric_name": "present", "passing_range": {"min": 0.5, "max": 1}},
	    {"metric_name": "absent"},
	    {"metric_name": "null range", "passing_range": null},
	    {"metric_name": "open max", "passing_range": {"min": 0.5, "max": null}},
	    {"metric_name": "bool range", "passing_range": {"min": true}}
	  ]}}`
)

func decodeSummary(t testing.TB, body string) *ExperimentResultSummary {
	t.Helper()
	s, err := DecodeExperimentResultSummary("run-1", []byte(body))
	if err != nil {
		t.Fatalf("DecodeExperimentResultSummary: %v\nbody: %s", err, body)
	}
	if s == nil {
		t.Fatal("DecodeExperimentResultSummary returned nil and no error")
	}
	return s
}

func metricNames(ds []MetricDetail) []string {
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = d.MetricName
	}
	return names
}

func TestDecodeExperimentResultSummaryAPIExample(t *testing.T) {
	s, err := DecodeExperimentResultSummary("3c9e-run", readTestdata(t, "summary_api_example.json"))
	if err != nil {
		t.Fatal(err)
	}
	if s.RunID != "3c9e-run" {
		t.Errorf("RunID = %q, want the request's run ID", s.RunID)
	}
	if s.Status != StatusCompleted {
		t.Errorf("Status = %q", s.Status)
	}
	if s.Success {
		t.Error("Success = true, want false")
	}
	if s.Error != nil {
		t.Errorf("Error = %s, want nil", optStr(s.Error))
	}
	if want := []string{"EXT-5f1c0d2a9b3e4f10", "EXT-8a7b6c5d4e3f2a10"}; !slices.Equal(s.Passed, want) {
		t.Errorf("Passed = %q, want %q", s.Passed, want)
	}
	if want := []string{"EXT-0123456789abcdef"}; !slices.Equal(s.Failed, want) {
		t.Errorf("Failed = %q, want %q", s.Failed, want)
	}

	m := s.Metrics
	if optStr(m.AggregationFunction) != `"average"` {
		t.Errorf("AggregationFunction = %s", optStr(m.AggregationFunction))
	}
	if len(m.Legacy) != 0 {
		t.Errorf("Legacy = %v, want none", metricNames(m.Legacy))
	}
	if len(m.Details) != 1 {
		t.Fatalf("Details: %d entries, want 1", len(m.Details))
	}
	d := m.Details[0]
	if d.MetricName != "accuracy" {
		t.Errorf("MetricName = %q", d.MetricName)
	}
	if optStr(d.MetricType) != `"CLIENT_SIDE"` || optStr(d.EventName) != `"predictor"` || optStr(d.EventType) != `"chain"` {
		t.Errorf("MetricType, EventName, EventType = %s, %s, %s", optStr(d.MetricType), optStr(d.EventName), optStr(d.EventType))
	}
	if agg, ok := d.Aggregate.Float64(); !ok || agg != 0.6667 || d.Aggregate.Kind() != KindNumber {
		t.Errorf("Aggregate = %#v", d.Aggregate)
	}
	if txt, _ := d.Aggregate.Text(); txt != "0.6667" {
		t.Errorf("Aggregate text = %q", txt)
	}
	if want := []Value{Number(1), Number(1), Number(0)}; !slices.EqualFunc(d.Values, want, Value.Equal) {
		t.Errorf("Values = %#v, want %#v", d.Values, want)
	}
	if d.PassingRange == nil {
		t.Fatal("PassingRange = nil")
	}
	if !d.PassingRange.Min.Equal(Number(1)) || !d.PassingRange.Max.Equal(Number(1)) {
		t.Errorf("PassingRange = %#v..%#v, want 1..1", d.PassingRange.Min, d.PassingRange.Max)
	}
	if d.Datapoints == nil {
		t.Fatal("Datapoints = nil")
	}
	if !slices.Equal(d.Datapoints.Passed, s.Passed) || !slices.Equal(d.Datapoints.Failed, s.Failed) {
		t.Errorf("Datapoints = %+v", *d.Datapoints)
	}

	if len(s.Datapoints) != 1 {
		t.Fatalf("Datapoints: %d, want 1", len(s.Datapoints))
	}
	dp := s.Datapoints[0]
	if optStr(dp.DatapointID) != `"EXT-5f1c0d2a9b3e4f10"` || optStr(dp.SessionID) != `"6f1b5a3e-2d4c-4e8f-9a1b-0c2d3e4f5a6b"` {
		t.Errorf("datapoint IDs = %s, %s", optStr(dp.DatapointID), optStr(dp.SessionID))
	}
	if id, ok := dp.ID(); !ok || id != "EXT-5f1c0d2a9b3e4f10" {
		t.Errorf("ID() = %q, %v", id, ok)
	}
	if dp.Passed == nil || !*dp.Passed {
		t.Errorf("datapoint Passed = %v", dp.Passed)
	}
	if len(dp.Metrics) != 1 {
		t.Fatalf("datapoint Metrics: %d, want 1", len(dp.Metrics))
	}
	dm := dp.Metrics[0]
	if dm.Name != "accuracy" || optStr(dm.EventName) != `"predictor"` || optStr(dm.EventType) != `"chain"` ||
		!dm.Value.Equal(Number(1)) || dm.Passed == nil || !*dm.Passed {
		t.Errorf("datapoint metric = %+v", dm)
	}

	if got := m.ListMetrics(); !slices.Equal(got, []string{"accuracy"}) {
		t.Errorf("ListMetrics() = %q", got)
	}
	if got, ok := m.GetMetric("accuracy"); !ok || !reflect.DeepEqual(got, d) {
		t.Errorf("GetMetric(accuracy) = %+v, %v", got, ok)
	}
	if got, ok := m.GetMetric("nope"); ok || !reflect.DeepEqual(got, MetricDetail{}) {
		t.Errorf("GetMetric(nope) = %+v, %v; want zero, false", got, ok)
	}
	if all := m.GetAllMetrics(); len(all) != 1 || !reflect.DeepEqual(all["accuracy"], d) {
		t.Errorf("GetAllMetrics() = %v", all)
	}
	if got := m.Entries(); len(got) != 1 || got[0].MetricName != "accuracy" {
		t.Errorf("Entries() = %v", metricNames(got))
	}
	wantIDs := []string{"EXT-5f1c0d2a9b3e4f10", "EXT-8a7b6c5d4e3f2a10", "EXT-0123456789abcdef"}
	if got := s.DatapointIDs(); !slices.Equal(got, wantIDs) {
		t.Errorf("DatapointIDs() = %q, want %q", got, wantIDs)
	}
}

func TestDecodeExperimentResultSummaryLegacyFormat(t *testing.T) {
	s := decodeSummary(t, legacySummaryBody)
	m := s.Metrics
	if !s.Success || s.Status != StatusCompleted {
		t.Errorf("Success, Status = %v, %q", s.Success, s.Status)
	}
	if optStr(m.AggregationFunction) != `"sum"` {
		t.Errorf("AggregationFunction = %s", optStr(m.AggregationFunction))
	}
	if m.Details != nil {
		t.Errorf("Details = %v, want nil", metricNames(m.Details))
	}
	wantNames := []string{"zeta", "alpha", "mid", "nothing", "textual", "arr", "renamed"}
	if got := m.ListMetrics(); !slices.Equal(got, wantNames) {
		t.Errorf("ListMetrics() = %q, want %q (body order, aggregation_function left out)", got, wantNames)
	}
	if got := metricNames(m.Legacy); !slices.Equal(got, wantNames) {
		t.Errorf("Legacy names = %q, want %q", got, wantNames)
	}
	if got := metricNames(m.Entries()); !slices.Equal(got, wantNames) {
		t.Errorf("Entries() names = %q, want %q", got, wantNames)
	}
	all := m.GetAllMetrics()
	if got := slices.Sorted(maps.Keys(all)); !slices.Equal(got, slices.Sorted(slices.Values(wantNames))) {
		t.Errorf("GetAllMetrics() keys = %q", got)
	}

	tests := []struct {
		name       string
		aggregate  Value
		values     []Value
		metricType *string
		eventName  *string
	}{
		{name: "zeta", aggregate: Number(0.85), values: []Value{Number(0.8), Number(0.9)}},
		{name: "alpha", aggregate: Bool(true), metricType: strPtr("HUMAN"), eventName: strPtr("judge")},
		// A bare value is the aggregate.
		{name: "mid", aggregate: Number(0.5)},
		{name: "nothing", aggregate: Null()},
		{name: "textual", aggregate: String("good")},
		{name: "arr", aggregate: mustDecodeValue(t, `[1, 2]`)},
		// The key names the metric, whatever the entry says.
		{name: "renamed", aggregate: Number(3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := m.GetMetric(tt.name)
			if !ok {
				t.Fatal("GetMetric: not found")
			}
			if d.MetricName != tt.name {
				t.Errorf("MetricName = %q", d.MetricName)
			}
			if !d.Aggregate.Equal(tt.aggregate) {
				t.Errorf("Aggregate = %#v, want %#v", d.Aggregate, tt.aggregate)
			}
			if !slices.EqualFunc(d.Values, tt.values, Value.Equal) {
				t.Errorf("Values = %#v, want %#v", d.Values, tt.values)
			}
			if optStr(d.MetricType) != optStr(tt.metricType) || optStr(d.EventName) != optStr(tt.eventName) {
				t.Errorf("MetricType, EventName = %s, %s", optStr(d.MetricType), optStr(d.EventName))
			}
			if d.PassingRange != nil || d.Datapoints != nil || d.EventType != nil {
				t.Errorf("unexpected fields in %+v", d)
			}
			if !reflect.DeepEqual(all[tt.name], d) {
				t.Errorf("GetAllMetrics()[%q] = %+v, want %+v", tt.name, all[tt.name], d)
			}
		})
	}
	for _, name := range []string{"aggregation_function", "details", "ignored", "Zeta", ""} {
		if d, ok := m.GetMetric(name); ok {
			t.Errorf("GetMetric(%q) = %+v, want not found", name, d)
		}
	}
}

func TestDecodeExperimentResultSummaryBothFormats(t *testing.T) {
	m := decodeSummary(t, bothFormatsSummaryBody).Metrics
	if optStr(m.AggregationFunction) != `"max"` {
		t.Errorf("AggregationFunction = %s", optStr(m.AggregationFunction))
	}
	if got := m.ListMetrics(); !slices.Equal(got, []string{"accuracy", "latency"}) {
		t.Errorf("ListMetrics() = %q, want the details only", got)
	}
	if got := metricNames(m.Entries()); !slices.Equal(got, []string{"accuracy", "latency"}) {
		t.Errorf("Entries() = %q, want the details only", got)
	}
	if got := metricNames(m.Legacy); !slices.Equal(got, []string{"legacy_first", "accuracy", "legacy_only"}) {
		t.Errorf("Legacy = %q: legacy keys are kept alongside details", got)
	}
	all := m.GetAllMetrics()
	if got := slices.Sorted(maps.Keys(all)); !slices.Equal(got, []string{"accuracy", "latency"}) {
		t.Errorf("GetAllMetrics() keys = %q, want the details only", got)
	}
	if !all["accuracy"].Aggregate.Equal(Number(0.9)) {
		t.Errorf("GetAllMetrics()[accuracy] = %#v, want the details entry", all["accuracy"].Aggregate)
	}
	tests := []struct {
		name string
		want Value
		ok   bool
	}{
		{"accuracy", Number(0.9), true}, // details win over the legacy key
		{"latency", Number(120), true},
		{"legacy_only", Number(2), true}, // only in legacy: falls back, like the SDK
		{"legacy_first", Number(1), true},
		{"absent", Null(), false},
	}
	for _, tt := range tests {
		d, ok := m.GetMetric(tt.name)
		if ok != tt.ok || !d.Aggregate.Equal(tt.want) {
			t.Errorf("GetMetric(%q) = %#v, %v; want %#v, %v", tt.name, d.Aggregate, ok, tt.want, tt.ok)
		}
		if ok && d.MetricName != tt.name {
			t.Errorf("GetMetric(%q).MetricName = %q", tt.name, d.MetricName)
		}
	}
}

func TestDecodeExperimentResultSummaryEmptyDetailsFallsBackToLegacy(t *testing.T) {
	m := decodeSummary(t, emptyDetailsWithLegacyBody).Metrics
	if m.Details == nil || len(m.Details) != 0 {
		t.Errorf("Details = %#v, want an empty, non-nil list", m.Details)
	}
	if got := m.ListMetrics(); !slices.Equal(got, []string{"score"}) {
		t.Errorf("ListMetrics() = %q, want the legacy keys", got)
	}
	if all := m.GetAllMetrics(); len(all) != 1 || !all["score"].Aggregate.Equal(Number(0.7)) {
		t.Errorf("GetAllMetrics() = %v", all)
	}
	if d, ok := m.GetMetric("score"); !ok || !d.Aggregate.Equal(Number(0.7)) {
		t.Errorf("GetMetric(score) = %+v, %v", d, ok)
	}
}

func TestDecodeExperimentResultSummaryRepeatedMetricName(t *testing.T) {
	m := decodeSummary(t, repeatedMetricSummaryBody).Metrics
	if got := m.ListMetrics(); !slices.Equal(got, []string{"accuracy", "latency", "accuracy"}) {
		t.Errorf("ListMetrics() = %q, want the repeated name twice", got)
	}
	entries := m.Entries()
	if len(entries) != 3 || optStr(entries[0].EventName) != `"predictor"` || optStr(entries[2].EventName) != `"judge"` {
		t.Errorf("Entries() = %+v, want all three in body order", entries)
	}
	first, ok := m.GetMetric("accuracy")
	if !ok || optStr(first.EventName) != `"predictor"` || !first.Aggregate.Equal(Number(0.5)) {
		t.Errorf("GetMetric(accuracy) = %+v, want the first entry (predictor)", first)
	}
	all := m.GetAllMetrics()
	if len(all) != 2 {
		t.Errorf("GetAllMetrics(): %d entries, want 2", len(all))
	}
	last := all["accuracy"]
	if optStr(last.EventName) != `"judge"` || optStr(last.EventType) != `"model"` || !last.Aggregate.Equal(Number(0.9)) {
		t.Errorf("GetAllMetrics()[accuracy] = %+v, want the last entry (judge), as the SDK's dict", last)
	}
}

func TestDecodeExperimentResultSummaryMixedValues(t *testing.T) {
	s := decodeSummary(t, mixedValuesSummaryBody)
	if s.Success {
		t.Error("Success = true for success: null")
	}
	if s.Status != StatusRunning {
		t.Errorf("Status = %q", s.Status)
	}
	m := s.Metrics
	if m.AggregationFunction != nil {
		t.Errorf("AggregationFunction = %s, want nil", optStr(m.AggregationFunction))
	}
	tests := []struct {
		name      string
		aggregate Value
		values    []Value
	}{
		{"num", Number(2.5), []Value{
			Number(1), Bool(true), String("x"), Null(), Number(2.5), Number(0),
			mustDecodeValue(t, `1e400`), mustDecodeValue(t, `[1]`), mustDecodeValue(t, `{"a": 1}`),
		}},
		{"flag", Bool(false), []Value{Bool(false), Bool(true)}},
		{"label", String("high"), []Value{String("high"), String("low")}},
		{"none", Null(), nil},
		{"missing", Null(), nil},
	}
	for _, tt := range tests {
		d, ok := m.GetMetric(tt.name)
		if !ok {
			t.Errorf("GetMetric(%q): not found", tt.name)
			continue
		}
		if !d.Aggregate.Equal(tt.aggregate) {
			t.Errorf("%s: Aggregate = %#v, want %#v", tt.name, d.Aggregate, tt.aggregate)
		}
		if !slices.EqualFunc(d.Values, tt.values, Value.Equal) || (d.Values == nil) != (tt.values == nil) {
			t.Errorf("%s: Values = %#v, want %#v", tt.name, d.Values, tt.values)
		}
		if d.MetricType != nil || d.EventName != nil || d.EventType != nil || d.PassingRange != nil || d.Datapoints != nil {
			t.Errorf("%s: unexpected optional fields in %+v", tt.name, d)
		}
	}
	num, _ := m.GetMetric("num")
	wantKinds := []ValueKind{KindNumber, KindBool, KindString, KindNull, KindNumber, KindNumber, KindOther, KindOther, KindOther}
	for i, v := range num.Values {
		if v.Kind() != wantKinds[i] {
			t.Errorf("num.Values[%d].Kind() = %v, want %v", i, v.Kind(), wantKinds[i])
		}
	}
	if txt, _ := num.Values[6].Text(); txt != "1e400" {
		t.Errorf("1e400 kept as %q", txt)
	}
}

func TestDecodeExperimentResultSummaryTopLevelFields(t *testing.T) {
	tests := []struct {
		name             string
		body             string
		success          bool
		err              *string
		passed, failed   []string
		nilPassed        bool
		nilFailed        bool
		datapoints       int
		nilDatapoints    bool
		aggregation      *string
		listMetricsEmpty bool
	}{
		{name: "empty object", body: `{}`, nilPassed: true, nilFailed: true, nilDatapoints: true, listMetricsEmpty: true},
		{name: "success null", body: `{"success": null}`, nilPassed: true, nilFailed: true, nilDatapoints: true, listMetricsEmpty: true},
		{name: "success true", body: `{"success": true}`, success: true, nilPassed: true, nilFailed: true, nilDatapoints: true, listMetricsEmpty: true},
		{name: "success false", body: `{"success": false}`, nilPassed: true, nilFailed: true, nilDatapoints: true, listMetricsEmpty: true},
		{name: "error set", body: `{"success": false, "error": "evaluator crashed: ✗"}`, err: strPtr("evaluator crashed: ✗"),
			nilPassed: true, nilFailed: true, nilDatapoints: true, listMetricsEmpty: true},
		{name: "error null", body: `{"error": null}`, nilPassed: true, nilFailed: true, nilDatapoints: true, listMetricsEmpty: true},
		{name: "passed and failed null", body: `{"passed": null, "failed": null}`, nilPassed: true, nilFailed: true, nilDatapoints: true, listMetricsEmpty: true},
		{name: "passed and failed empty", body: `{"passed": [], "failed": [], "datapoints": []}`, passed: []string{}, failed: []string{}, listMetricsEmpty: true},
		{name: "metrics null", body: `{"metrics": null, "passed": ["a"]}`, passed: []string{"a"}, nilFailed: true, nilDatapoints: true, listMetricsEmpty: true},
		{name: "metrics empty object", body: `{"metrics": {}}`, nilPassed: true, nilFailed: true, nilDatapoints: true, listMetricsEmpty: true},
		{name: "details null", body: `{"metrics": {"details": null, "aggregation_function": "p95"}}`, aggregation: strPtr("p95"),
			nilPassed: true, nilFailed: true, nilDatapoints: true, listMetricsEmpty: true},
		{name: "aggregation function null", body: `{"metrics": {"aggregation_function": null, "details": []}}`,
			nilPassed: true, nilFailed: true, nilDatapoints: true, listMetricsEmpty: true},
		{name: "datapoints null", body: `{"datapoints": null, "failed": ["b"]}`, nilPassed: true, failed: []string{"b"}, nilDatapoints: true, listMetricsEmpty: true},
		{name: "unknown fields ignored", body: `{"event_details": [{}], "run_object": {"id": 1}, "extra": [1, {"x": null}], "success": true}`,
			success: true, nilPassed: true, nilFailed: true, nilDatapoints: true, listMetricsEmpty: true},
		{name: "surrounding whitespace", body: " \r\n\t{\"success\": true}\n\n", success: true,
			nilPassed: true, nilFailed: true, nilDatapoints: true, listMetricsEmpty: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := decodeSummary(t, tt.body)
			if s.RunID != "run-1" {
				t.Errorf("RunID = %q", s.RunID)
			}
			if s.Success != tt.success {
				t.Errorf("Success = %v, want %v", s.Success, tt.success)
			}
			if optStr(s.Error) != optStr(tt.err) {
				t.Errorf("Error = %s, want %s", optStr(s.Error), optStr(tt.err))
			}
			if (s.Passed == nil) != tt.nilPassed || !slices.Equal(s.Passed, tt.passed) {
				t.Errorf("Passed = %#v, want %#v (nil: %v)", s.Passed, tt.passed, tt.nilPassed)
			}
			if (s.Failed == nil) != tt.nilFailed || !slices.Equal(s.Failed, tt.failed) {
				t.Errorf("Failed = %#v, want %#v (nil: %v)", s.Failed, tt.failed, tt.nilFailed)
			}
			if (s.Datapoints == nil) != tt.nilDatapoints || len(s.Datapoints) != tt.datapoints {
				t.Errorf("Datapoints = %#v", s.Datapoints)
			}
			if optStr(s.Metrics.AggregationFunction) != optStr(tt.aggregation) {
				t.Errorf("AggregationFunction = %s, want %s", optStr(s.Metrics.AggregationFunction), optStr(tt.aggregation))
			}
			if tt.listMetricsEmpty {
				if got := s.Metrics.ListMetrics(); got == nil || len(got) != 0 {
					t.Errorf("ListMetrics() = %#v, want an empty, non-nil list", got)
				}
				if got := s.Metrics.GetAllMetrics(); got == nil || len(got) != 0 {
					t.Errorf("GetAllMetrics() = %#v, want an empty, non-nil map", got)
				}
				if got := s.Metrics.Entries(); len(got) != 0 {
					t.Errorf("Entries() = %#v, want none", got)
				}
				if _, ok := s.Metrics.GetMetric("accuracy"); ok {
					t.Error("GetMetric found a metric in an empty body")
				}
			}
		})
	}
}

func TestDecodeExperimentResultSummaryDatapoints(t *testing.T) {
	s := decodeSummary(t, datapointsSummaryBody)
	tests := []struct {
		datapointID, sessionID *string
		id                     string
		idOK                   bool
		passed                 *bool
		metrics                int
		nilMetrics             bool
	}{
		{strPtr("dp-1"), strPtr("sess-1"), "dp-1", true, func() *bool { b := true; return &b }(), 2, false},
		{nil, strPtr("sess-2"), "sess-2", true, func() *bool { b := false; return &b }(), 0, true},
		{nil, strPtr("sess-4"), "sess-4", true, nil, 0, true},
		// The datapoint with neither ID is skipped (an anomaly).
		{strPtr("dp-3"), nil, "dp-3", true, nil, 0, false},
	}
	if want := []Anomaly{{Kind: AnomalyMissingIDs, Where: "datapoints", Count: 1}}; !reflect.DeepEqual(s.Anomalies, want) {
		t.Errorf("Anomalies = %+v, want %+v", s.Anomalies, want)
	}
	if len(s.Datapoints) != len(tests) {
		t.Fatalf("Datapoints: %d, want %d", len(s.Datapoints), len(tests))
	}
	for i, tt := range tests {
		dp := s.Datapoints[i]
		if optStr(dp.DatapointID) != optStr(tt.datapointID) || optStr(dp.SessionID) != optStr(tt.sessionID) {
			t.Errorf("[%d] datapoint_id, session_id = %s, %s", i, optStr(dp.DatapointID), optStr(dp.SessionID))
		}
		if id, ok := dp.ID(); id != tt.id || ok != tt.idOK {
			t.Errorf("[%d] ID() = %q, %v; want %q, %v", i, id, ok, tt.id, tt.idOK)
		}
		if (dp.Passed == nil) != (tt.passed == nil) || (dp.Passed != nil && *dp.Passed != *tt.passed) {
			t.Errorf("[%d] Passed = %v", i, dp.Passed)
		}
		if len(dp.Metrics) != tt.metrics || (dp.Metrics == nil) != tt.nilMetrics {
			t.Errorf("[%d] Metrics = %#v", i, dp.Metrics)
		}
	}
	label := s.Datapoints[0].Metrics[1]
	if label.Name != "label" || optStr(label.EventName) != `"judge"` || optStr(label.EventType) != `"model"` ||
		!label.Value.Equal(String("ok")) || label.Passed != nil {
		t.Errorf("datapoint metric = %+v", label)
	}
	acc := s.Datapoints[0].Metrics[0]
	if acc.EventName != nil || acc.EventType != nil || !acc.Value.Equal(Number(1)) || acc.Passed == nil || !*acc.Passed {
		t.Errorf("datapoint metric = %+v", acc)
	}
}

func TestDatapointResultID(t *testing.T) {
	tests := []struct {
		name string
		d    DatapointResult
		id   string
		ok   bool
	}{
		{"datapoint ID wins", DatapointResult{DatapointID: strPtr("dp"), SessionID: strPtr("s")}, "dp", true},
		{"session ID stands in", DatapointResult{SessionID: strPtr("s")}, "s", true},
		{"neither", DatapointResult{}, "", false},
		{"only datapoint ID", DatapointResult{DatapointID: strPtr("dp")}, "dp", true},
	}
	for _, tt := range tests {
		if id, ok := tt.d.ID(); id != tt.id || ok != tt.ok {
			t.Errorf("%s: ID() = %q, %v; want %q, %v", tt.name, id, ok, tt.id, tt.ok)
		}
	}
}

func TestDecodeExperimentResultSummaryPassingRange(t *testing.T) {
	m := decodeSummary(t, passingRangeSummaryBody).Metrics
	tests := []struct {
		name     string
		present  bool
		min, max Value
	}{
		{"present", true, Number(0.5), Number(1)},
		{"absent", false, Null(), Null()},
		{"null range", false, Null(), Null()},
		{"open max", true, Number(0.5), Null()},
		{"bool range", true, Bool(true), Null()},
	}
	for _, tt := range tests {
		d, ok := m.GetMetric(tt.name)
		if !ok {
			t.Errorf("GetMetric(%q): not found", tt.name)
			continue
		}
		if (d.PassingRange != nil) != tt.present {
			t.Errorf("%s: PassingRange = %+v, want present: %v", tt.name, d.PassingRange, tt.present)
			continue
		}
		if d.PassingRange != nil && (!d.PassingRange.Min.Equal(tt.min) || !d.PassingRange.Max.Equal(tt.max)) {
			t.Errorf("%s: PassingRange = %#v..%#v, want %#v..%#v", tt.name, d.PassingRange.Min, d.PassingRange.Max, tt.min, tt.max)
		}
	}
}

type decodeErrorCase struct {
	name  string
	body  string
	parts []string // what the error message must mention
}

// nonObjectBodyCases are bodies that are not a JSON object at all; they apply
// to both decoders.
var nonObjectBodyCases = []decodeErrorCase{
	{"empty body", ``, []string{"empty body"}},
	{"whitespace only", " \r\n\t ", []string{"empty body"}},
	{"array", `[]`, []string{"not a JSON object", `"[]"`}},
	{"array of objects", `[{"status":"completed"}]`, []string{"not a JSON object", `[{`}},
	{"null", `null`, []string{"not a JSON object", `"null"`}},
	{"string", `"completed"`, []string{"not a JSON object"}},
	{"number", `42`, []string{"not a JSON object", "42"}},
	{"true", `true`, []string{"not a JSON object"}},
	{"HTML page", "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>",
		[]string{"not a JSON object", "<!DOCTYPE html>", "…"}},
	{"plain text 404", "Cannot GET /v1/runs/abc/summary", []string{"not a JSON object", "Cannot GET"}},
	{"byte order mark", "\ufeff{}", []string{"not a JSON object"}},
	{"gzip bytes", "\x1f\x8b\x08\x00\x00\x00\x00\x00", []string{"not a JSON object"}},
	{"truncated", `{"status": "completed", "passed": ["a",`, []string{"invalid JSON body"}},
	{"truncated after key", `{"status":`, []string{"invalid JSON body"}},
	{"unclosed object", `{`, []string{"invalid JSON body"}},
	{"trailing data", `{"status": "completed"} {"status": "failed"}`, []string{"invalid JSON body"}},
	{"trailing garbage", `{}garbage`, []string{"invalid JSON body"}},
	{"single quotes", `{'status': 'completed'}`, []string{"invalid JSON body"}},
	{"NaN value", `{"metrics": {"details": [{"metric_name": "a", "aggregate": NaN}]}}`, []string{"invalid JSON body"}},
}

var summaryErrorCases = []decodeErrorCase{
	{"passed is a number", `{"passed": 5}`, []string{"passed"}},
	{"passed holds numbers", `{"passed": [1, 2]}`, []string{"passed"}},
	{"failed is an object", `{"failed": {}}`, []string{"failed"}},
	{"success is a string", `{"success": "yes"}`, []string{"success"}},
	{"success is a number", `{"success": 1}`, []string{"success"}},
	{"status is a number", `{"status": 5}`, []string{"status"}},
	{"error is an object", `{"error": {"message": "x"}}`, []string{"error"}},
	{"metrics is an array", `{"metrics": []}`, []string{"metrics", "object"}},
	{"metrics is a string", `{"metrics": "none"}`, []string{"metrics", "object"}},
	{"metrics is a number", `{"metrics": 1}`, []string{"metrics", "object"}},
	{"details is an object", `{"metrics": {"details": {}}}`, []string{"metrics.details"}},
	{"details entry is a string", `{"metrics": {"details": ["accuracy"]}}`, []string{"metrics.details"}},
	{"aggregation function is a number", `{"metrics": {"aggregation_function": 5}}`, []string{"metrics.aggregation_function"}},
	{"details values is a number", `{"metrics": {"details": [{"metric_name": "a", "values": 5}]}}`, []string{"metrics.details"}},
	{"details datapoints is a list", `{"metrics": {"details": [{"metric_name": "a", "datapoints": []}]}}`, []string{"metrics.details"}},
	{"details metric name is a number", `{"metrics": {"details": [{"metric_name": 1}]}}`, []string{"metrics.details"}},
	{"legacy entry with bad field", `{"metrics": {"accuracy": {"values": "x"}}}`, []string{"metrics.accuracy"}},
	{"legacy entry with bad passing range", `{"metrics": {"accuracy": {"passing_range": [1, 2]}}}`, []string{"metrics.accuracy"}},
	{"datapoints is an object", `{"datapoints": {}}`, []string{"datapoints"}},
	{"datapoint passed is a string", `{"datapoints": [{"passed": "yes"}]}`, []string{"passed"}},
	{"datapoint id is a number", `{"datapoints": [{"datapoint_id": 7}]}`, []string{"datapoint_id"}},
	{"datapoint metrics is an object", `{"datapoints": [{"metrics": {}}]}`, []string{"metrics"}},
}

func TestDecodeExperimentResultSummaryErrors(t *testing.T) {
	for _, tt := range append(slices.Clone(nonObjectBodyCases), summaryErrorCases...) {
		t.Run(tt.name, func(t *testing.T) {
			s, err := DecodeExperimentResultSummary("run-1", []byte(tt.body))
			if s != nil {
				t.Errorf("got a summary %+v along with the error", s)
			}
			requireErrorContains(t, err, tt.parts...)
			if err != nil && !utf8.ValidString(err.Error()) {
				t.Errorf("error message is not valid UTF-8: %q", err)
			}
		})
	}
}

func TestDecodeErrorExcerpt(t *testing.T) {
	// A long non-JSON body is cut in the message, on a character boundary.
	body := strings.Repeat("x", 39) + "éàü and more text that should not appear"
	_, err := DecodeExperimentResultSummary("run-1", []byte(body))
	requireErrorContains(t, err, "not a JSON object", strings.Repeat("x", 39), "…")
	if strings.Contains(err.Error(), `\x`) || strings.Contains(err.Error(), "should not appear") {
		t.Errorf("error %q: want a clean excerpt of at most 40 bytes", err)
	}
	// A short one is shown whole, with no ellipsis.
	_, err = DecodeExperimentResultSummary("run-1", []byte("Bad Gateway"))
	requireErrorContains(t, err, `"Bad Gateway"`)
	if strings.Contains(err.Error(), "…") {
		t.Errorf("error %q: short body cut", err)
	}
}

func TestDatapointIDs(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"empty", `{}`, nil},
		{"datapoints first, then passed, then failed, each once",
			`{"passed": ["b", "c", "b"], "failed": ["d", "a"], "datapoints": [{"datapoint_id": "a"}, {"datapoint_id": "b"}]}`,
			[]string{"a", "b", "c", "d"}},
		{"session ID stands in for a missing datapoint ID",
			`{"passed": ["s1"], "datapoints": [{"datapoint_id": null, "session_id": "s1"}, {"session_id": "s2"}]}`,
			[]string{"s1", "s2"}},
		{"session ID ignored when the datapoint has an ID",
			`{"datapoints": [{"datapoint_id": "a", "session_id": "s1"}]}`,
			[]string{"a"}},
		{"datapoint without any ID skipped",
			`{"failed": ["x"], "datapoints": [{"datapoint_id": null, "session_id": null}, {}]}`,
			[]string{"x"}},
		{"only lists", `{"passed": ["p", "p"], "failed": ["f"]}`, []string{"p", "f"}},
		{"only datapoints, repeated", `{"datapoints": [{"datapoint_id": "a"}, {"datapoint_id": "a"}]}`, []string{"a"}},
		{"API example", string(readTestdata(t, "summary_api_example.json")),
			[]string{"EXT-5f1c0d2a9b3e4f10", "EXT-8a7b6c5d4e3f2a10", "EXT-0123456789abcdef"}},
		{"datapoints fixture", datapointsSummaryBody, []string{"dp-1", "sess-2", "sess-4", "dp-3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decodeSummary(t, tt.body).DatapointIDs()
			if !slices.Equal(got, tt.want) {
				t.Errorf("DatapointIDs() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAggregatedMetricsMarshalJSON(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		keys   []string // keys of the marshaled metrics object, in order
		spaced bool     // an array or object value holds whitespace
		exact  string   // the marshaled text, where given
	}{
		{"details format", string(readTestdata(t, "summary_api_example.json")), []string{"aggregation_function", "details"}, false, ""},
		{"legacy format", legacySummaryBody,
			[]string{"aggregation_function", "zeta", "alpha", "mid", "nothing", "textual", "arr", "renamed"}, true, ""},
		{"both formats", bothFormatsSummaryBody,
			[]string{"aggregation_function", "details", "legacy_first", "accuracy", "legacy_only"}, false, ""},
		{"repeated names", repeatedMetricSummaryBody, []string{"aggregation_function", "details"}, false, ""},
		{"mixed values", mixedValuesSummaryBody, []string{"aggregation_function", "details"}, true, ""},
		{"passing ranges", passingRangeSummaryBody, []string{"aggregation_function", "details"}, false, ""},
		{"no metrics", `{}`, []string{"aggregation_function", "details"}, false, `{"aggregation_function":null,"details":null}`},
		{"empty details", `{"metrics": {"details": []}}`, []string{"aggregation_function", "details"}, false, ""},
		{"legacy key with odd characters", `{"metrics": {"a \"quoted\" <name> é": 1, "": {"aggregate": 2}}}`,
			[]string{"aggregation_function", `a "quoted" <name> é`, ""}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := decodeSummary(t, tt.body).Metrics
			b, err := json.Marshal(m)
			if err != nil {
				t.Fatalf("json.Marshal: %v", err)
			}
			if got := jsonKeys(t, b); !slices.Equal(got, tt.keys) {
				t.Errorf("marshaled keys = %q, want %q\n%s", got, tt.keys, b)
			}
			if tt.exact != "" && string(b) != tt.exact {
				t.Errorf("json.Marshal = %s, want %s", b, tt.exact)
			}
			var back AggregatedMetrics
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("json.Unmarshal of %s: %v", b, err)
			}
			checkSameMetrics(t, back, m)
			// Where no array or object value carries whitespace (json.Marshal
			// compacts those), the round trip is exact.
			if !tt.spaced && !reflect.DeepEqual(back, m) {
				t.Errorf("round trip changed the metrics:\n got %+v\nwant %+v", back, m)
			}
			// And a second trip is stable byte for byte.
			b2, err := json.Marshal(back)
			if err != nil {
				t.Fatal(err)
			}
			if string(b2) != string(b) {
				t.Errorf("second marshal differs:\n%s\n%s", b2, b)
			}
		})
	}
}

func TestAggregatedMetricsUnmarshalResets(t *testing.T) {
	m := AggregatedMetrics{
		AggregationFunction: strPtr("sum"),
		Details:             []MetricDetail{{MetricName: "old"}},
		Legacy:              []MetricDetail{{MetricName: "older"}},
	}
	if err := json.Unmarshal([]byte(`{"new": 1}`), &m); err != nil {
		t.Fatal(err)
	}
	if m.AggregationFunction != nil || m.Details != nil || !slices.Equal(metricNames(m.Legacy), []string{"new"}) {
		t.Errorf("decoding into a used value kept old data: %+v", m)
	}
	if err := json.Unmarshal([]byte(`null`), &m); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m, AggregatedMetrics{}) {
		t.Errorf("null did not reset the metrics: %+v", m)
	}
}

// checkSameMetrics compares two AggregatedMetrics by meaning.
func checkSameMetrics(t *testing.T, got, want AggregatedMetrics) {
	t.Helper()
	if optStr(got.AggregationFunction) != optStr(want.AggregationFunction) {
		t.Errorf("AggregationFunction = %s, want %s", optStr(got.AggregationFunction), optStr(want.AggregationFunction))
	}
	if !slices.Equal(got.ListMetrics(), want.ListMetrics()) {
		t.Errorf("ListMetrics() = %q, want %q", got.ListMetrics(), want.ListMetrics())
	}
	for _, part := range []struct {
		name      string
		got, want []MetricDetail
	}{{"Details", got.Details, want.Details}, {"Legacy", got.Legacy, want.Legacy}} {
		if len(part.got) != len(part.want) {
			t.Errorf("%s: %d entries, want %d", part.name, len(part.got), len(part.want))
			continue
		}
		for i := range part.got {
			if msg := diffMetricDetail(part.got[i], part.want[i]); msg != "" {
				t.Errorf("%s[%d]: %s", part.name, i, msg)
			}
		}
	}
}

func diffMetricDetail(a, b MetricDetail) string {
	switch {
	case a.MetricName != b.MetricName:
		return "metric_name " + a.MetricName + " != " + b.MetricName
	case optStr(a.MetricType) != optStr(b.MetricType), optStr(a.EventName) != optStr(b.EventName), optStr(a.EventType) != optStr(b.EventType):
		return "metric_type, event_name or event_type differ"
	case !equivalent(a.Aggregate, b.Aggregate):
		return "aggregate " + a.Aggregate.GoString() + " != " + b.Aggregate.GoString()
	case !equivalentValues(a.Values, b.Values):
		return "values differ"
	case (a.PassingRange == nil) != (b.PassingRange == nil):
		return "passing_range presence differs"
	case a.PassingRange != nil && (!equivalent(a.PassingRange.Min, b.PassingRange.Min) || !equivalent(a.PassingRange.Max, b.PassingRange.Max)):
		return "passing_range differs"
	case !reflect.DeepEqual(a.Datapoints, b.Datapoints):
		return "datapoints differ"
	}
	return ""
}

func TestExperimentResultSummaryJSONRoundTrip(t *testing.T) {
	for _, body := range []string{
		string(readTestdata(t, "summary_api_example.json")), legacySummaryBody, bothFormatsSummaryBody,
		repeatedMetricSummaryBody, mixedValuesSummaryBody, datapointsSummaryBody, passingRangeSummaryBody,
	} {
		s := decodeSummary(t, body)
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("json.Marshal: %v", err)
		}
		if strings.Contains(string(b), "run-1") {
			t.Errorf("RunID is not part of the body: %s", b)
		}
		back := decodeSummary(t, string(b))
		if back.Status != s.Status || back.Success != s.Success || optStr(back.Error) != optStr(s.Error) ||
			!slices.Equal(back.Passed, s.Passed) || !slices.Equal(back.Failed, s.Failed) ||
			!reflect.DeepEqual(back.Datapoints, s.Datapoints) {
			t.Errorf("round trip changed the summary:\n got %+v\nwant %+v", back, s)
		}
		checkSameMetrics(t, back.Metrics, s.Metrics)
	}
}

func optCount(p *int) string {
	if p == nil {
		return "nil"
	}
	return strconv.Itoa(*p)
}

func TestDecodeExperimentResultSummarySkipDatapoints(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		count string // DatapointCount with SkipDatapoints
		full  bool   // whether the body also decodes in full
	}{
		{"no list", `{"status":"completed"}`, "nil", true},
		{"null list", `{"datapoints":null}`, "nil", true},
		{"empty list", `{"datapoints":[]}`, "0", true},
		// Datapoints without an ID (a null element has none) are not counted.
		{"objects and a null", `{"datapoints":[{"datapoint_id":"a","metrics":[{"name":"x","value":1}]},null,{}]}`, "1", true},
		{"the test body", datapointsSummaryBody, "4", true},
		// Only the IDs are read, so a datapoint the full decode rejects
		// is only counted; callers that skip datapoints use none of them.
		{"unreadable contents", `{"datapoints":[{"session_id":"s","metrics":5},{"datapoint_id":"d","passed":"yes"}]}`, "2", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			skipped, err := DecodeExperimentResultSummaryWith("run", []byte(tt.body), SummaryDecodeOptions{SkipDatapoints: true})
			if err != nil {
				t.Fatal(err)
			}
			if got := optCount(skipped.DatapointCount); got != tt.count || skipped.Datapoints != nil {
				t.Fatalf("DatapointCount = %s, Datapoints = %v; want %s and nil", got, skipped.Datapoints, tt.count)
			}
			full, err := DecodeExperimentResultSummary("run", []byte(tt.body))
			if (err == nil) != tt.full {
				t.Fatalf("full decode error = %v, want success %v", err, tt.full)
			}
			if err == nil {
				checkDecodeOptionsAgree(t, []byte(tt.body), full)
			}
		})
	}
}
