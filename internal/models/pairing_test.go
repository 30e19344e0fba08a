package models

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

// dp builds a datapoint with a datapoint ID and the given metrics.
func dp(id string, metrics ...DatapointMetric) DatapointResult {
	return DatapointResult{DatapointID: strPtr(id), Metrics: metrics}
}

// metric builds a metric entry without an event.
func metric(name string, v Value) DatapointMetric { return DatapointMetric{Name: name, Value: v} }

// eventMetric builds a metric entry for one event.
func eventMetric(name, event string, v Value) DatapointMetric {
	return DatapointMetric{Name: name, EventName: strPtr(event), Value: v}
}

func run(datapoints ...DatapointResult) *ExperimentResultSummary {
	return &ExperimentResultSummary{Datapoints: datapoints}
}

func TestPairedDifferences(t *testing.T) {
	acc := func(v float64) DatapointMetric { return metric("accuracy", Number(v)) }
	tests := []struct {
		name        string
		newRun      *ExperimentResultSummary
		oldRun      *ExperimentResultSummary
		metric      string
		event       *string
		want        []float64
		wantSkipped int
	}{
		{
			name:   "paired by ID across different orders, in the new run's order",
			newRun: run(dp("a", acc(0.5)), dp("b", acc(0.75)), dp("c", acc(1))),
			oldRun: run(dp("c", acc(0.25)), dp("a", acc(0.5)), dp("b", acc(1))),
			metric: "accuracy",
			want:   []float64{0, -0.25, 0.75},
		},
		{
			name: "session ID stands in for a missing datapoint ID",
			newRun: run(
				DatapointResult{SessionID: strPtr("s1"), Metrics: []DatapointMetric{acc(0.75)}},
				DatapointResult{DatapointID: strPtr("d2"), SessionID: strPtr("s2"), Metrics: []DatapointMetric{acc(1)}},
			),
			oldRun: run(
				DatapointResult{DatapointID: strPtr("d2"), SessionID: strPtr("other"), Metrics: []DatapointMetric{acc(0.5)}},
				DatapointResult{SessionID: strPtr("s1"), Metrics: []DatapointMetric{acc(0.25)}},
			),
			metric: "accuracy",
			want:   []float64{0.5, 0.5},
		},
		{
			name:   "datapoints with no ID at all are never paired",
			newRun: run(DatapointResult{Metrics: []DatapointMetric{acc(1)}}, dp("a", acc(1))),
			oldRun: run(DatapointResult{Metrics: []DatapointMetric{acc(0)}}, dp("a", acc(0.5))),
			metric: "accuracy",
			want:   []float64{0.5},
		},
		{
			name: "null, string and other values skipped and counted",
			newRun: run(
				dp("a", metric("m", Null())), dp("b", metric("m", String("0.9"))),
				dp("c", metric("m", Number(3))), dp("d", metric("m", Number(2))),
				dp("e", metric("m", Value{kind: KindOther, str: "[1]"})),
			),
			oldRun: run(
				dp("a", metric("m", Number(1))), dp("b", metric("m", Number(1))),
				dp("c", metric("m", Null())), dp("d", metric("m", Number(0.5))),
				dp("e", metric("m", Number(1))),
			),
			metric:      "m",
			want:        []float64{1.5},
			wantSkipped: 4,
		},
		{
			name:   "booleans read as 1 and 0",
			newRun: run(dp("a", metric("ok", Bool(true))), dp("b", metric("ok", Bool(false))), dp("c", metric("ok", Bool(true)))),
			oldRun: run(dp("a", metric("ok", Bool(false))), dp("b", metric("ok", Bool(true))), dp("c", metric("ok", Number(1)))),
			metric: "ok",
			want:   []float64{1, -1, 0},
		},
		{
			name:        "metric missing on one side is skipped; on both sides it is not a pair",
			newRun:      run(dp("a", acc(1)), dp("b", metric("other", Number(1))), dp("c")),
			oldRun:      run(dp("a"), dp("b", metric("other", Number(0))), dp("c", acc(0.5))),
			metric:      "accuracy",
			want:        []float64{},
			wantSkipped: 2,
		},
		{
			name:        "datapoints in only one run are not counted",
			newRun:      run(dp("new-only", acc(1)), dp("both", acc(0.75)), dp("new-only-null", metric("accuracy", Null()))),
			oldRun:      run(dp("old-only", acc(0)), dp("both", acc(0.5)), dp("old-only-null", metric("accuracy", Null()))),
			metric:      "accuracy",
			want:        []float64{0.25},
			wantSkipped: 0,
		},
		{
			name: "event name selects the entry; nil takes the first of that name",
			newRun: run(dp("a",
				eventMetric("score", "retrieve", Number(0.5)),
				eventMetric("score", "generate", Number(0.75)),
			)),
			oldRun: run(dp("a",
				eventMetric("score", "generate", Number(0.25)),
				eventMetric("score", "retrieve", Number(0.125)),
			)),
			metric: "score",
			event:  strPtr("generate"),
			want:   []float64{0.5},
		},
		{
			name: "nil event name: first entry of the name on each side",
			newRun: run(dp("a",
				eventMetric("score", "retrieve", Number(0.5)),
				eventMetric("score", "generate", Number(0.75)),
			)),
			oldRun: run(dp("a",
				eventMetric("score", "generate", Number(0.25)),
				eventMetric("score", "retrieve", Number(0.125)),
			)),
			metric: "score",
			want:   []float64{0.25}, // 0.5 (retrieve) − 0.25 (generate)
		},
		{
			name:   "event filter does not match an entry without an event",
			newRun: run(dp("a", metric("score", Number(1)), eventMetric("score", "e", Number(0.5)))),
			oldRun: run(dp("a", metric("score", Number(0)), eventMetric("score", "e", Number(0.25)))),
			metric: "score",
			event:  strPtr("e"),
			want:   []float64{0.25},
		},
		{
			name:   "event with no entries anywhere pairs nothing and skips nothing",
			newRun: run(dp("a", eventMetric("score", "e", Number(1)))),
			oldRun: run(dp("a", eventMetric("score", "e", Number(0)))),
			metric: "score",
			event:  strPtr("missing"),
			want:   []float64{},
		},
		{
			name:   "repeated ID in the old run: first occurrence wins",
			newRun: run(dp("a", acc(1))),
			oldRun: run(dp("a", acc(0.25)), dp("a", acc(0.75))),
			metric: "accuracy",
			want:   []float64{0.75},
		},
		{
			name:   "repeated ID in the new run: first occurrence only, repeats not counted",
			newRun: run(dp("a", acc(1)), dp("b", acc(1)), dp("a", metric("accuracy", Null())), dp("a", acc(0))),
			oldRun: run(dp("a", acc(0.5)), dp("b", acc(0.5))),
			metric: "accuracy",
			want:   []float64{0.5, 0.5},
		},
		{
			name: "non-finite values and overflowing differences skipped and counted",
			newRun: run(
				dp("nan", metric("m", Number(math.NaN()))), dp("inf", metric("m", Number(math.Inf(1)))),
				dp("overflow", metric("m", Number(1.5e308))), dp("fine", metric("m", Number(1e308))),
			),
			oldRun: run(
				dp("nan", metric("m", Number(0))), dp("inf", metric("m", Number(0))),
				dp("overflow", metric("m", Number(-1.5e308))), dp("fine", metric("m", Number(5e307))),
			),
			metric:      "m",
			want:        []float64{5e307},
			wantSkipped: 3,
		},
		{
			name:   "empty runs",
			newRun: run(),
			oldRun: run(),
			metric: "accuracy",
			want:   []float64{},
		},
		// A nil summary pairs nothing.
		{name: "no new run", oldRun: run(dp("a", acc(1))), metric: "accuracy"},
		{name: "no old run", newRun: run(dp("a", acc(1))), metric: "accuracy"},
		{name: "no runs", metric: "accuracy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, skipped := PairedDifferences(tt.newRun, tt.oldRun, tt.metric, tt.event)
			if !slices.Equal(got, tt.want) || (got == nil) != (tt.want == nil) || skipped != tt.wantSkipped {
				t.Errorf("got %v, skipped %d; want %v, skipped %d", got, skipped, tt.want, tt.wantSkipped)
			}
		})
	}
}

// TestPairedDifferencesDecoded pairs two summaries decoded from API bodies, so
// that booleans, strings and nulls arrive as the decoder makes them.
func TestPairedDifferencesDecoded(t *testing.T) {
	newBody := `{"status":"completed","success":true,"datapoints":[
		{"datapoint_id":"d1","metrics":[{"name":"exact","value":true},{"name":"latency","value":120}]},
		{"datapoint_id":"d2","metrics":[{"name":"exact","value":false},{"name":"latency","value":"n/a"}]},
		{"datapoint_id":"d3","metrics":[{"name":"exact","value":true},{"name":"latency","value":90.5}]}]}`
	oldBody := `{"status":"completed","success":true,"datapoints":[
		{"datapoint_id":"d3","metrics":[{"name":"exact","value":false},{"name":"latency","value":100}]},
		{"datapoint_id":"d2","metrics":[{"name":"exact","value":false},{"name":"latency","value":80}]},
		{"datapoint_id":"d1","metrics":[{"name":"exact","value":null},{"name":"latency","value":150}]}]}`
	newRun, err := DecodeExperimentResultSummary("new", []byte(newBody))
	if err != nil {
		t.Fatal(err)
	}
	oldRun, err := DecodeExperimentResultSummary("old", []byte(oldBody))
	if err != nil {
		t.Fatal(err)
	}
	d, skipped := PairedDifferences(newRun, oldRun, "exact", nil)
	if want := []float64{0, 1}; !slices.Equal(d, want) || skipped != 1 {
		t.Errorf("exact: got %v, %d; want %v, 1", d, skipped, want)
	}
	d, skipped = PairedDifferences(newRun, oldRun, "latency", nil)
	if want := []float64{-30, -9.5}; !slices.Equal(d, want) || skipped != 1 {
		t.Errorf("latency: got %v, %d; want %v, 1", d, skipped, want)
	}
}

// TestPairedDifferencesSleepData runs R's paired t-test example end to end:
// Student's sleep data (R datasets::sleep), drug 1 as the new run and drug 2 as
// the old one, with the old run listed in reverse. R's
// with(sleep, t.test(extra[group == 1], extra[group == 2], paired = TRUE))
// reports a mean difference of -1.58 and the 95% interval
// -2.4598858 to -0.7001142.
func TestPairedDifferencesSleepData(t *testing.T) {
	group1 := []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0}
	group2 := []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4}
	newRun, oldRun := run(), run()
	for i := range group1 {
		id := fmt.Sprintf("patient-%d", i+1)
		newRun.Datapoints = append(newRun.Datapoints, dp(id, metric("extra", Number(group1[i]))))
		oldRun.Datapoints = append(oldRun.Datapoints, dp(id, metric("extra", Number(group2[i]))))
	}
	slices.Reverse(oldRun.Datapoints)
	d, skipped := PairedDifferences(newRun, oldRun, "extra", nil)
	s, err := stats.Paired(d, skipped, 0.95, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 10 || math.Abs(s.MeanDifference+1.58) > 1e-12 ||
		math.Abs(s.CILower+2.4598858) > 1e-7 || math.Abs(s.CIUpper+0.7001142) > 1e-7 {
		t.Errorf("summary %+v; want N 10, mean -1.58, interval [-2.4598858, -0.7001142]", s)
	}
}

// benchmarkRuns builds two runs of n datapoints with the given metrics each,
// the old one listing the datapoints in another order, with a few nulls. Each
// run is built in its own list order, so that its memory is laid out as a
// decoded body's would be.
func benchmarkRuns(n int, metricNames []string) (newRun, oldRun *ExperimentResultSummary) {
	r := rand.New(rand.NewPCG(11, 12))
	build := func(order []int, nullEvery int) *ExperimentResultSummary {
		s := run()
		for _, i := range order {
			ms := make([]DatapointMetric, len(metricNames))
			for j, name := range metricNames {
				ms[j] = metric(name, Number(r.Float64()))
				if nullEvery > 0 && r.IntN(nullEvery) == 0 {
					ms[j].Value = Null()
				}
			}
			s.Datapoints = append(s.Datapoints, dp(fmt.Sprintf("datapoint-%06d", i), ms...))
		}
		return s
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	newRun = build(order, 0)
	r.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	oldRun = build(order, 100)
	return newRun, oldRun
}

var benchMetrics = []string{"accuracy", "relevance", "faithfulness", "latency", "cost"}

// TestPairedDifferencesAtScale checks the counts at the benchmark's size.
func TestPairedDifferencesAtScale(t *testing.T) {
	newRun, oldRun := benchmarkRuns(50000, benchMetrics)
	for _, name := range benchMetrics {
		d, skipped := PairedDifferences(newRun, oldRun, name, nil)
		if len(d)+skipped != 50000 || skipped == 0 {
			t.Errorf("%s: %d pairs + %d skipped; want 50000 in all, some skipped", name, len(d), skipped)
		}
	}
}

// BenchmarkPairedDifferences pairs every metric of two 50,000-datapoint runs
// with 5 metrics each (one op = 5 calls, one per metric).
func BenchmarkPairedDifferences(b *testing.B) {
	newRun, oldRun := benchmarkRuns(50000, benchMetrics)
	b.ReportAllocs()
	for b.Loop() {
		for _, name := range benchMetrics {
			if d, _ := PairedDifferences(newRun, oldRun, name, nil); len(d) == 0 {
				b.Fatal("no pairs")
			}
		}
	}
}
