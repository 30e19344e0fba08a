package localhoneyhive

import (
	"fmt"
	"math"
	"testing"
)

func TestAggregate(t *testing.T) {
	// Numeric view: 1, 2, 3, 4 and true (1); the string and nulls are
	// skipped. Sorted: 1 1 2 3 4.
	mixed := []Value{Number(1), Number(2), Text("x"), Number(3), Null(), Number(4), Bool(true), {}}
	// Ten values 10..100, sorted: ranks 0..9.
	tens := []Value{}
	for i := 10; i >= 1; i-- {
		tens = append(tens, Number(float64(i*10)))
	}
	tests := []struct {
		name   string
		fn     AggregateFunction
		values []Value
		want   float64
		wantOK bool
	}{
		{"average mixed", AggregateAverage, mixed, 11.0 / 5, true},
		{"min mixed", AggregateMin, mixed, 1, true},
		{"max mixed", AggregateMax, mixed, 4, true},
		{"sum mixed", AggregateSum, mixed, 11, true},
		{"count mixed skips strings and nulls", AggregateCount, mixed, 5, true},
		{"median odd count", AggregateMedian, mixed, 2, true},
		{"p90 interpolates", AggregateP90, mixed, 3.6, true},   // rank 3.6: 3 + 0.6×(4−3)
		{"p95 interpolates", AggregateP95, mixed, 3.8, true},   // rank 3.8
		{"p99 interpolates", AggregateP99, mixed, 3.96, true},  // rank 3.96
		{"median even count", AggregateMedian, tens, 55, true}, // between 50 and 60
		{"p90 of ten", AggregateP90, tens, 91, true},           // rank 8.1: 90 + 0.1×10
		{"p95 of ten", AggregateP95, tens, 95.5, true},         // rank 8.55
		{"p99 of ten", AggregateP99, tens, 99.1, true},         // rank 8.91
		{"booleans as 1/0", AggregateAverage, []Value{Bool(true), Bool(false), Bool(true), Bool(true)}, 0.75, true},
		{"single value median", AggregateMedian, []Value{Number(7)}, 7, true},
		{"single value p99", AggregateP99, []Value{Number(7)}, 7, true},
		{"negative values", AggregateMin, []Value{Number(-2), Number(3)}, -2, true},
		{"nothing numeric: average is null", AggregateAverage, []Value{Text("A"), Null()}, 0, false},
		{"nothing numeric: p90 is null", AggregateP90, nil, 0, false},
		{"nothing numeric: count is 0", AggregateCount, []Value{Null()}, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := aggregate(tc.fn, tc.values)
			if ok != tc.wantOK || math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("aggregate(%s) = %v, %v; want %v, %v", tc.fn, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestAggregateFunctionChangesSummary(t *testing.T) {
	// Baseline latency_ms sorted: 820 880 960 1050 1130 1210 1340 1490.
	srv := New()
	tests := []struct {
		fn                    AggregateFunction
		accuracy, latencyWant float64
	}{
		{AggregateAverage, 0.625, 1110},
		{AggregateMin, 0, 820},
		{AggregateMax, 1, 1490},
		{AggregateMedian, 1, 1090}, // (1050+1130)/2
		{AggregateP90, 1, 1385},    // rank 6.3: 1340 + 0.3×150
		{AggregateP95, 1, 1437.5},  // rank 6.65
		{AggregateP99, 1, 1479.5},  // rank 6.93
		{AggregateSum, 5, 8880},
		{AggregateCount, 8, 8},
	}
	for _, tc := range tests {
		t.Run(string(tc.fn), func(t *testing.T) {
			body := decodeObject(t, get(t, srv, "/v1/runs/run-baseline/summary?aggregate_function="+string(tc.fn)))
			if got := field(t, body, "metrics", "aggregation_function"); got != string(tc.fn) {
				t.Errorf("aggregation_function = %v", got)
			}
			accuracy := field(t, body, "metrics", "details", 0, "aggregate").(float64)
			latency := field(t, body, "metrics", "details", 2, "aggregate").(float64)
			if math.Abs(accuracy-tc.accuracy) > 1e-9 || math.Abs(latency-tc.latencyWant) > 1e-9 {
				t.Errorf("accuracy, latency = %v, %v; want %v, %v", accuracy, latency, tc.accuracy, tc.latencyWant)
			}
		})
	}
	t.Run("comparison aggregates follow too", func(t *testing.T) {
		body := decodeObject(t, get(t, srv, "/v1/runs/run-candidate/compare/run-baseline?aggregate_function=sum"))
		if got := field(t, body, "metrics", 0, "old_aggregate"); got != 5.0 {
			t.Errorf("old accuracy sum = %v, want 5", got)
		}
		if got := field(t, body, "metrics", 0, "new_aggregate"); got != 8.0 {
			t.Errorf("new accuracy sum = %v, want 8", got)
		}
	})
	t.Run("raw summaries ignore it", func(t *testing.T) {
		body := decodeObject(t, get(t, srv, "/v1/runs/run-legacy/summary?aggregate_function=max"))
		if got := field(t, body, "metrics", "aggregation_function"); got != "average" {
			t.Errorf("aggregation_function = %v", got)
		}
	})
}

func ExampleGenerateRun() {
	run := GenerateRun("bench", 3, 2, 42)
	fmt.Println(run.Datapoints[2].ID, run.Metrics[0].Name, run.Metrics[1].Name, len(run.Datapoints[0].Values))
	// Output: dp-000003 accuracy relevance 2
}
