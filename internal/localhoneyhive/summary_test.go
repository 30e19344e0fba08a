package localhoneyhive

import (
	"math"
	"reflect"
	"testing"
)

func TestSummaryPassFailRules(t *testing.T) {
	unit := &PassingRange{Min: 1, Max: 1}
	run := Run{
		ID:     "rules",
		Status: "completed",
		Metrics: []Metric{
			{Name: "ok", Type: "CLIENT_SIDE", EventName: "e", EventType: "chain", PassingRange: unit},
			{Name: "free", Type: "LLM"}, // no range: every recorded value passes
			{Name: "score", Type: "PYTHON", EventName: "e", EventType: "chain", PassingRange: &PassingRange{Min: 0.5, Max: 1}},
		},
		Datapoints: []Datapoint{
			{ID: "all-pass", SessionID: "s1", Values: []Value{Bool(true), Text("A"), Number(0.5)}},
			{ID: "bool-false", SessionID: "s2", Values: []Value{Bool(false), Number(3), Number(0.9)}},
			{ID: "", SessionID: "s3-no-id", Values: []Value{Number(1), Null(), Number(0.2)}},
			{ID: "string-in-range", SessionID: "s4", Values: []Value{Number(1), Null(), Text("high")}},
			{ID: "nulls-only", SessionID: "s5", Values: []Value{Null(), Null(), Null()}},
			{ID: "unrecorded", SessionID: "s6"},
			{ID: "null-metrics", SessionID: "s7", Values: []Value{Number(0)}, NullMetrics: true},
		},
	}
	srv := New(WithoutFixtures())
	srv.PutRun(run)
	body := decodeObject(t, get(t, srv, "/v1/runs/rules/summary"))

	if got, want := stringList(t, body["passed"]), []string{"all-pass", "nulls-only", "unrecorded"}; !reflect.DeepEqual(got, want) {
		t.Errorf("passed = %v, want %v", got, want)
	}
	if got, want := stringList(t, body["failed"]), []string{"bool-false", "s3-no-id", "string-in-range", "null-metrics"}; !reflect.DeepEqual(got, want) {
		t.Errorf("failed = %v, want %v", got, want)
	}
	if body["success"] != false || body["error"] != nil || body["status"] != "completed" {
		t.Errorf("status/success/error = %v/%v/%v", body["status"], body["success"], body["error"])
	}

	tests := []struct {
		detail                 int
		wantPassed, wantFailed []string
		wantValues             []any
		wantAggregate          float64
	}{
		{0, []string{"all-pass", "s3-no-id", "string-in-range"}, []string{"bool-false", "null-metrics"},
			[]any{true, false, 1.0, 1.0, nil, 0.0}, 0.6}, // (1+0+1+1+0)/5
		{1, []string{"all-pass", "bool-false"}, []string{},
			[]any{"A", 3.0, nil, nil, nil}, 3.0},
		{2, []string{"all-pass", "bool-false"}, []string{"s3-no-id", "string-in-range"},
			[]any{0.5, 0.9, 0.2, "high", nil}, (0.5 + 0.9 + 0.2) / 3},
	}
	for _, tc := range tests {
		detail := field(t, body, "metrics", "details", tc.detail).(map[string]any)
		name := detail["metric_name"]
		if got := stringList(t, field(t, detail, "datapoints", "passed")); !reflect.DeepEqual(got, tc.wantPassed) {
			t.Errorf("%v: datapoints.passed = %v, want %v", name, got, tc.wantPassed)
		}
		if got := stringList(t, field(t, detail, "datapoints", "failed")); !reflect.DeepEqual(got, tc.wantFailed) {
			t.Errorf("%v: datapoints.failed = %v, want %v", name, got, tc.wantFailed)
		}
		if !reflect.DeepEqual(detail["values"], tc.wantValues) {
			t.Errorf("%v: values = %v, want %v", name, detail["values"], tc.wantValues)
		}
		if got, ok := detail["aggregate"].(float64); !ok || math.Abs(got-tc.wantAggregate) > 1e-9 {
			t.Errorf("%v: aggregate = %v, want %v", name, detail["aggregate"], tc.wantAggregate)
		}
	}
	if _, has := field(t, body, "metrics", "details", 1).(map[string]any)["passing_range"]; has {
		t.Error("a metric without range has passing_range")
	}
	if _, has := field(t, body, "metrics", "details", 1).(map[string]any)["event_name"]; has {
		t.Error("a metric without event has event_name")
	}

	dps := body["datapoints"].([]any)
	if got := field(t, dps, 2, "datapoint_id"); got != nil {
		t.Errorf("datapoint without ID: datapoint_id = %v, want null", got)
	}
	if got := field(t, dps, 6, "metrics"); got != nil {
		t.Errorf("NullMetrics: metrics = %v, want null", got)
	}
	if got := field(t, dps, 5, "metrics"); !reflect.DeepEqual(got, []any{}) {
		t.Errorf("unrecorded: metrics = %v, want []", got)
	}
	if got := field(t, dps, 4, "metrics", 0, "passed"); got != nil {
		t.Errorf("null value: passed = %v, want null", got)
	}
	if got := field(t, dps, 0, "metrics", 1); !reflect.DeepEqual(got, map[string]any{"name": "free", "value": "A", "passed": true}) {
		t.Errorf("datapoint metric = %v", got)
	}
	if got := body["event_details"]; !reflect.DeepEqual(got, []any{map[string]any{"event_name": "e", "event_type": "chain"}}) {
		t.Errorf("event_details = %v", got)
	}
}

func TestFixtureSummaries(t *testing.T) {
	srv := New()
	tests := []struct {
		runID        string
		status       string
		success      bool
		errorSet     bool
		details      int
		datapoints   int
		passedFailed [2]int
	}{
		{FixtureBaseline, "completed", false, false, 3, 8, [2]int{5, 3}},
		{FixtureCandidate, "completed", false, false, 3, 9, [2]int{7, 2}},
		{FixtureRegressed, "completed", false, false, 3, 8, [2]int{3, 5}},
		{FixtureLegacy, "completed", true, false, 0, 2, [2]int{2, 0}},
		{FixtureMixed, "completed", false, false, 4, 3, [2]int{2, 1}},
		{FixtureRepeated, "completed", false, false, 2, 4, [2]int{1, 3}},
		{FixtureRunning, "running", false, false, 0, 0, [2]int{0, 0}},
		{FixtureFailed, "failed", false, true, 1, 3, [2]int{2, 1}},
		{FixtureEmptyMetrics, "completed", true, false, 0, 8, [2]int{8, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.runID, func(t *testing.T) {
			body := decodeObject(t, get(t, srv, "/v1/runs/"+tc.runID+"/summary"))
			if body["status"] != tc.status || body["success"] != tc.success || (body["error"] != nil) != tc.errorSet {
				t.Errorf("status/success/error = %v/%v/%v", body["status"], body["success"], body["error"])
			}
			details, _ := field(t, body, "metrics", "details").([]any)
			if len(details) != tc.details {
				t.Errorf("%d details, want %d", len(details), tc.details)
			}
			if n := len(body["datapoints"].([]any)); n != tc.datapoints {
				t.Errorf("%d datapoints, want %d", n, tc.datapoints)
			}
			passed, failed := len(body["passed"].([]any)), len(body["failed"].([]any))
			if [2]int{passed, failed} != tc.passedFailed {
				t.Errorf("passed/failed = %d/%d, want %v", passed, failed, tc.passedFailed)
			}
			if field(t, body, "run_object", "run_id") != tc.runID {
				t.Errorf("run_object.run_id = %v", field(t, body, "run_object", "run_id"))
			}
		})
	}
	t.Run("legacy format has no details", func(t *testing.T) {
		metrics := field(t, decodeObject(t, get(t, srv, "/v1/runs/run-legacy/summary")), "metrics").(map[string]any)
		if _, has := metrics["details"]; has {
			t.Error("legacy metrics has details")
		}
		if got := field(t, metrics, "accuracy", "aggregate"); got != 0.85 {
			t.Errorf("accuracy.aggregate = %v", got)
		}
	})
	t.Run("repeated metric names keep their events", func(t *testing.T) {
		details := field(t, decodeObject(t, get(t, srv, "/v1/runs/run-repeated/summary")), "metrics", "details").([]any)
		for i, want := range []map[string]any{
			{"metric_name": "accuracy", "event_name": "retriever", "event_type": "tool", "aggregate": 0.75},
			{"metric_name": "accuracy", "event_name": "generator", "event_type": "model", "aggregate": 0.5},
		} {
			for key, value := range want {
				if got := field(t, details, i, key); got != value {
					t.Errorf("details[%d].%s = %v, want %v", i, key, got, value)
				}
			}
		}
	})
}
