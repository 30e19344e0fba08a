package localhoneyhive

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

// metricComparisonByName finds a comparison entry by metric and event name.
func metricComparisonByName(t testing.TB, body map[string]any, metric, event string) map[string]any {
	t.Helper()
	for _, item := range body["metrics"].([]any) {
		m := item.(map[string]any)
		ev, _ := m["event_name"].(string)
		if m["metric_name"] == metric && ev == event {
			return m
		}
	}
	t.Fatalf("no comparison for %s/%s in %v", metric, event, body["metrics"])
	return nil
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestCompareCandidateWithBaseline(t *testing.T) {
	body := decodeObject(t, get(t, New(), "/v1/runs/run-candidate/compare/run-baseline"))

	wantCommon := []string{"dp-01", "dp-02", "dp-03", "dp-04", "dp-05", "dp-06", "dp-07"}
	if got := stringList(t, body["commonDatapoints"]); !reflect.DeepEqual(got, wantCommon) {
		t.Errorf("commonDatapoints = %v, want %v", got, wantCommon)
	}
	tests := []struct {
		metric, event              string
		oldAggregate, newAggregate float64
		improved, degraded, same   []string
	}{
		{"accuracy", "predictor", 0.625, 8.0 / 9,
			[]string{"dp-03", "dp-05"}, []string{"dp-07"}, []string{"dp-01", "dp-02", "dp-04", "dp-06"}},
		{"relevance", "responder", 6.02 / 8, 7.14 / 9,
			[]string{"dp-01", "dp-03", "dp-04", "dp-05", "dp-07"}, []string{"dp-06"}, []string{"dp-02"}},
		// Higher counts as improved even for latency: the service does not
		// know which direction is better.
		{"latency_ms", "predictor", 1110, 1170,
			[]string{"dp-01", "dp-02", "dp-03", "dp-04", "dp-05", "dp-07"}, []string{"dp-06"}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.metric, func(t *testing.T) {
			m := metricComparisonByName(t, body, tc.metric, tc.event)
			oldAgg, newAgg := m["old_aggregate"].(float64), m["new_aggregate"].(float64)
			if !near(oldAgg, tc.oldAggregate) || !near(newAgg, tc.newAggregate) {
				t.Errorf("aggregates = %v → %v, want %v → %v", oldAgg, newAgg, tc.oldAggregate, tc.newAggregate)
			}
			diff := tc.newAggregate - tc.oldAggregate
			if !near(m["difference"].(float64), diff) || !near(m["percentage_change"].(float64), diff/tc.oldAggregate*100) {
				t.Errorf("difference %v, percentage_change %v", m["difference"], m["percentage_change"])
			}
			for key, want := range map[string][]string{"improved": tc.improved, "degraded": tc.degraded, "same": tc.same} {
				if got := stringList(t, m[key]); !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %v, want %v", key, got, want)
				}
				if m[key+"_count"] != float64(len(want)) {
					t.Errorf("%s_count = %v, want %d", key, m[key+"_count"], len(want))
				}
			}
			if m["found_count"] != 7.0 {
				t.Errorf("found_count = %v, want 7", m["found_count"])
			}
			if len(m["old_values"].([]any)) != 8 || len(m["new_values"].([]any)) != 9 {
				t.Errorf("old_values/new_values lengths %d/%d, want 8/9", len(m["old_values"].([]any)), len(m["new_values"].([]any)))
			}
		})
	}
	if got := field(t, body, "old_run", "run_id"); got != "run-baseline" {
		t.Errorf("old_run.run_id = %v", got)
	}
	if got := field(t, body, "new_run", "run_id"); got != "run-candidate" {
		t.Errorf("new_run.run_id = %v", got)
	}
	wantEvents := []any{
		map[string]any{"event_name": "predictor", "event_type": "chain", "presence": "both"},
		map[string]any{"event_name": "responder", "event_type": "model", "presence": "both"},
	}
	if !reflect.DeepEqual(body["event_details"], wantEvents) {
		t.Errorf("event_details = %v", body["event_details"])
	}
}

func TestCompareEdgeCases(t *testing.T) {
	srv := New()
	zero := func(id string, values ...float64) Run {
		run := Run{ID: id, Status: "completed", Metrics: []Metric{{Name: "m", Type: "PYTHON", EventName: "e", EventType: "tool"}}}
		for i, v := range values {
			run.Datapoints = append(run.Datapoints, Datapoint{ID: string(rune('a' + i)), Values: []Value{Number(v)}})
		}
		return run
	}
	srv.PutRun(zero("zeros", 0, 0))
	srv.PutRun(zero("ones", 1, 0))
	srv.PutRun(Run{ID: "other-metric", Status: "completed",
		Metrics:    []Metric{{Name: "n", EventName: "x", EventType: "model"}},
		Datapoints: []Datapoint{{ID: "a", Values: []Value{Number(5)}}}})

	t.Run("percentage_change is null when old is 0", func(t *testing.T) {
		m := metricComparisonByName(t, decodeObject(t, get(t, srv, "/v1/runs/ones/compare/zeros")), "m", "e")
		if m["difference"] != 0.5 || m["percentage_change"] != nil {
			t.Errorf("difference %v, percentage_change %v", m["difference"], m["percentage_change"])
		}
		if !reflect.DeepEqual(stringList(t, m["improved"]), []string{"a"}) || !reflect.DeepEqual(stringList(t, m["same"]), []string{"b"}) {
			t.Errorf("improved %v, same %v", m["improved"], m["same"])
		}
	})
	t.Run("metrics present in one run only", func(t *testing.T) {
		body := decodeObject(t, get(t, srv, "/v1/runs/other-metric/compare/ones"))
		if got := stringList(t, body["commonDatapoints"]); !reflect.DeepEqual(got, []string{"a"}) {
			t.Errorf("commonDatapoints = %v", got)
		}
		newOnly := metricComparisonByName(t, body, "n", "x")
		oldOnly := metricComparisonByName(t, body, "m", "e")
		if newOnly["old_aggregate"] != nil || newOnly["new_aggregate"] != 5.0 || newOnly["difference"] != nil {
			t.Errorf("new-only metric = %v", newOnly)
		}
		if oldOnly["new_aggregate"] != nil || oldOnly["old_aggregate"] != 0.5 || oldOnly["found_count"] != 0.0 {
			t.Errorf("old-only metric = %v", oldOnly)
		}
		if !reflect.DeepEqual(oldOnly["new_values"], []any{}) || !reflect.DeepEqual(oldOnly["improved"], []any{}) {
			t.Errorf("old-only lists = %v / %v, want []", oldOnly["new_values"], oldOnly["improved"])
		}
		wantEvents := []any{
			map[string]any{"event_name": "x", "event_type": "model", "presence": "new"},
			map[string]any{"event_name": "e", "event_type": "tool", "presence": "old"},
		}
		if !reflect.DeepEqual(body["event_details"], wantEvents) {
			t.Errorf("event_details = %v", body["event_details"])
		}
	})
	t.Run("repeated metric names compare per event", func(t *testing.T) {
		body := decodeObject(t, get(t, srv, "/v1/runs/run-repeated/compare/run-repeated"))
		if n := len(body["metrics"].([]any)); n != 2 {
			t.Fatalf("%d metrics, want 2", n)
		}
		for event, agg := range map[string]float64{"retriever": 0.75, "generator": 0.5} {
			m := metricComparisonByName(t, body, "accuracy", event)
			if m["old_aggregate"] != agg || m["same_count"] != 4.0 || m["percentage_change"] != 0.0 {
				t.Errorf("%s: %v", event, m)
			}
		}
	})
	t.Run("legacy metrics pair with named events", func(t *testing.T) {
		body := decodeObject(t, get(t, srv, "/v1/runs/run-legacy/compare/run-baseline"))
		accuracy := metricComparisonByName(t, body, "accuracy", "predictor")
		if accuracy["old_aggregate"] != 0.625 || accuracy["new_aggregate"] != 0.85 {
			t.Errorf("accuracy aggregates %v → %v", accuracy["old_aggregate"], accuracy["new_aggregate"])
		}
		// dp-01, dp-02: accuracy 1 → 0.8 and 1 → 0.9.
		if !reflect.DeepEqual(stringList(t, accuracy["degraded"]), []string{"dp-01", "dp-02"}) {
			t.Errorf("degraded = %v", accuracy["degraded"])
		}
		latency := metricComparisonByName(t, body, "latency_ms", "predictor")
		if latency["new_aggregate"] != nil {
			t.Errorf("latency (absent from the legacy run) new_aggregate = %v", latency["new_aggregate"])
		}
	})
	t.Run("awkward values", func(t *testing.T) {
		body := decodeObject(t, get(t, srv, "/v1/runs/run-mixed/compare/run-mixed"))
		wantCommon := []string{"dp-m1", "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6", "dp-m3"}
		if got := stringList(t, body["commonDatapoints"]); !reflect.DeepEqual(got, wantCommon) {
			t.Errorf("commonDatapoints = %v, want %v (session ID for the null datapoint_id)", got, wantCommon)
		}
		isSafe := metricComparisonByName(t, body, "is_safe", "responder")
		if isSafe["old_aggregate"] != 1.0 || isSafe["found_count"] != 2.0 || isSafe["same_count"] != 2.0 {
			t.Errorf("is_safe (boolean aggregate as 1) = %v", isSafe)
		}
		grade := metricComparisonByName(t, body, "grade", "grader")
		if grade["old_aggregate"] != nil || grade["found_count"] != 0.0 {
			t.Errorf("grade (string aggregate) = %v", grade)
		}
		if got := grade["old_values"]; !reflect.DeepEqual(got, []any{"A", "B", nil}) {
			t.Errorf("grade old_values = %v", got)
		}
	})
}

// TestCompareSummariesWithoutDatapoints covers bodies that list IDs only
// in passed/failed: common IDs still come out, per-datapoint counts cannot.
func TestCompareSummariesWithoutDatapoints(t *testing.T) {
	decode := func(raw string) *summaryBody {
		var s summaryBody
		if err := json.Unmarshal([]byte(raw), &s); err != nil {
			t.Fatal(err)
		}
		return &s
	}
	oldSum := decode(`{"passed":["a","b"],"failed":["c"],"metrics":{"m":{"aggregate":2}}}`)
	newSum := decode(`{"passed":["c"],"failed":["d","a"],"metrics":{"aggregation_function":"max","m":{"aggregate":true}}}`)
	got := compareSummaries(oldSum, newSum)
	if !reflect.DeepEqual(got.CommonDatapoints, []string{"c", "a"}) {
		t.Errorf("CommonDatapoints = %v", got.CommonDatapoints)
	}
	if len(got.Metrics) != 1 {
		t.Fatalf("Metrics = %+v", got.Metrics)
	}
	m := got.Metrics[0]
	if *m.OldAggregate != 2 || *m.NewAggregate != 1 || *m.Difference != -1 || *m.PercentageChange != -50 || m.FoundCount != 0 {
		t.Errorf("metric = %+v", m)
	}
}

// A comparison is computed once per pair of stored runs and aggregate
// function; replacing either run computes it again. ComparisonBody gives the
// bytes the route serves.
func TestCompareBodyCache(t *testing.T) {
	s := New(WithoutFixtures())
	oldRun, newRun := GenerateRun("old", 20, 2, 1), GenerateRun("new", 20, 2, 2)
	s.PutRun(oldRun)
	s.PutRun(newRun)
	const path = "/v1/runs/new/compare/old"
	first := get(t, s, path).Body.Bytes()
	if again := get(t, s, path).Body.Bytes(); !bytes.Equal(again, first) {
		t.Fatal("a repeated comparison differs")
	}
	want, err := ComparisonBody(newRun, oldRun, AggregateAverage)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, first) {
		t.Errorf("ComparisonBody differs from the served body:\n%s\n%s", want, first)
	}
	if maxBody := get(t, s, path+"?aggregate_function=max").Body.Bytes(); bytes.Equal(maxBody, first) {
		t.Error("aggregate_function=max served the cached average comparison")
	}
	s.PutRun(GenerateRun("new", 20, 2, 3))
	if replaced := get(t, s, path).Body.Bytes(); bytes.Equal(replaced, first) {
		t.Error("replacing the new run served the old comparison")
	}
}
