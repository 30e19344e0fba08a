package localhoneyhive

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestGenerateRunDeterminism(t *testing.T) {
	a := GenerateRun("gen", 200, 7, 42)
	b := GenerateRun("gen", 200, 7, 42)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same arguments gave different runs")
	}
	if c := GenerateRun("gen", 200, 7, 43); reflect.DeepEqual(a.Datapoints, c.Datapoints) {
		t.Fatal("a different seed gave the same values")
	}
	other := GenerateRun("gen-2", 200, 7, 42)
	if other.Datapoints[0].SessionID == a.Datapoints[0].SessionID {
		t.Error("different runs share session IDs")
	}
	if other.Datapoints[0].ID != a.Datapoints[0].ID || !reflect.DeepEqual(other.Datapoints[5].Values, a.Datapoints[5].Values) {
		t.Error("datapoint IDs and values should depend on the seed only")
	}
}

func TestGenerateRunShape(t *testing.T) {
	tests := []struct {
		datapoints, metrics int
		wantNames           []string
	}{
		{0, 0, []string{}},
		{1, 1, []string{"accuracy"}},
		{3, 7, []string{"accuracy", "relevance", "latency_ms", "is_safe", "faithfulness", "accuracy_2", "relevance_2"}},
		{-5, -1, []string{}},
	}
	for _, tc := range tests {
		run := GenerateRun("shape", tc.datapoints, tc.metrics, 1)
		names := []string{}
		for _, m := range run.Metrics {
			names = append(names, m.Name)
			if m.PassingRange == nil || m.Type == "" || m.EventName == "" {
				t.Errorf("metric %+v is incomplete", m)
			}
		}
		if !reflect.DeepEqual(names, tc.wantNames) {
			t.Errorf("metrics = %v, want %v", names, tc.wantNames)
		}
		if len(run.Datapoints) != max(tc.datapoints, 0) {
			t.Errorf("%d datapoints, want %d", len(run.Datapoints), tc.datapoints)
		}
		for _, dp := range run.Datapoints {
			if len(dp.Values) != len(run.Metrics) || dp.SessionID == "" {
				t.Fatalf("datapoint %+v has the wrong shape", dp)
			}
		}
	}
	if id := GenerateRun("ids", 12, 1, 1).Datapoints[11].ID; id != "dp-000012" {
		t.Errorf("12th ID = %q", id)
	}
}

// A large run has every kind of value and goes through the server whole.
// At 10k datapoints (about 50 nulls per metric); BenchmarkGenerateRun50k,
// BenchmarkSummary50k and BenchmarkCompare50k time 50k.
func TestGenerateRunLarge(t *testing.T) {
	run := GenerateRun("large", 10_000, 10, 7)
	kinds := map[valueKind]int{}
	for _, dp := range run.Datapoints {
		for _, v := range dp.Values {
			kinds[v.kind]++
		}
	}
	if kinds[kindNumber] == 0 || kinds[kindBool] == 0 || kinds[kindNull] == 0 || kinds[kindMissing] != 0 {
		t.Errorf("value kinds = %v, want numbers, booleans and some nulls", kinds)
	}
	srv := New(WithoutFixtures())
	srv.PutRun(run)
	srv.PutRun(GenerateRun("large-2", 10_000, 10, 8))
	// Only the lists counted are decoded: decoding whole bodies into maps
	// took most of the test's time.
	var comparison struct{ CommonDatapoints []string }
	decodeInto(t, get(t, srv, "/v1/runs/large-2/compare/large?aggregate_function=p95"), &comparison)
	if n := len(comparison.CommonDatapoints); n != 10_000 {
		t.Errorf("%d common datapoints, want 10000", n)
	}
	var summary struct{ Datapoints []json.RawMessage }
	decodeInto(t, get(t, srv, "/v1/runs/large/summary"), &summary)
	if n := len(summary.Datapoints); n != 10_000 {
		t.Errorf("%d datapoints in the summary", n)
	}
}

func TestPutSyntheticRuns(t *testing.T) {
	s := New(WithoutFixtures())
	baseline, candidate := s.PutSyntheticRuns(250, 3)
	if baseline != "run-synthetic-250" || candidate != "run-synthetic-250-candidate" {
		t.Fatalf("IDs %q, %q", baseline, candidate)
	}
	if ids := s.RunIDs(); !reflect.DeepEqual(ids, []string{baseline, candidate}) {
		t.Fatalf("stored runs %v", ids)
	}
	b, c := s.lookup(baseline).structured, s.lookup(candidate).structured
	if len(b.Datapoints) != 250 || len(c.Datapoints) != 250 || len(b.Metrics) != 3 {
		t.Fatalf("shapes: %d and %d datapoints, %d metrics", len(b.Datapoints), len(c.Datapoints), len(b.Metrics))
	}
	if !reflect.DeepEqual(b.Datapoints[0].Values, GenerateRun("x", 250, 3, 1).Datapoints[0].Values) {
		t.Error("the baseline is not seed 1's run")
	}
	if reflect.DeepEqual(b.Datapoints[0].Values, c.Datapoints[0].Values) && reflect.DeepEqual(b.Datapoints[1].Values, c.Datapoints[1].Values) {
		t.Error("the candidate has the baseline's values")
	}
	for i := range b.Datapoints {
		if b.Datapoints[i].ID != c.Datapoints[i].ID {
			t.Fatalf("datapoint %d: IDs %q and %q differ, so the runs would not pair", i, b.Datapoints[i].ID, c.Datapoints[i].ID)
		}
	}
}

func TestSummaryBody(t *testing.T) {
	body, err := SummaryBody(GenerateRun("x", 3, 2, 1), AggregateAverage)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Datapoints []json.RawMessage `json:"datapoints"`
		Metrics    struct {
			AggregationFunction string            `json:"aggregation_function"`
			Details             []json.RawMessage `json:"details"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Datapoints) != 3 || len(got.Metrics.Details) != 2 || got.Metrics.AggregationFunction != "average" {
		t.Errorf("SummaryBody gave %d datapoints, %d metrics, %q", len(got.Datapoints), len(got.Metrics.Details), got.Metrics.AggregationFunction)
	}
}
