package provider

import (
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// twoStepRun is a run with accuracy evaluated on two events, retriever then
// generator, with the given values for dp-01..dp-04 on each.
func twoStepRun(id string, retriever, generator [4]float64) localhoneyhive.Run {
	run := localhoneyhive.Run{ID: id, Status: "completed", Metrics: []localhoneyhive.Metric{
		{Name: "accuracy", EventName: "retriever", EventType: "tool"},
		{Name: "accuracy", EventName: "generator", EventType: "model"},
		{Name: "relevance", EventName: "generator", EventType: "model"},
	}}
	for i, id := range []string{"dp-01", "dp-02", "dp-03", "dp-04"} {
		run.Datapoints = append(run.Datapoints, localhoneyhive.Datapoint{ID: id, Values: []localhoneyhive.Value{
			localhoneyhive.Number(retriever[i]), localhoneyhive.Number(generator[i]), localhoneyhive.Number(0.5),
		}})
	}
	return run
}

// improved_metrics and degraded_metrics look at every entry of a metric that
// ran on several events: a datapoint that degraded on the second event alone
// (or improved on the first alone) lists the metric, so that
// length(degraded_metrics) == 0 cannot pass while a datapoint degraded.
func TestAccRunComparison_repeatedNameLists(t *testing.T) {
	srv := acceptance(t)
	flat := [4]float64{1, 1, 0, 1}
	srv.PutRun(twoStepRun("old", flat, flat))
	// Second entry degrades (dp-02), first unchanged.
	srv.PutRun(twoStepRun("second-degrades", flat, [4]float64{1, 0, 0, 1}))
	// First entry degrades (dp-01) and the second improves (dp-03).
	srv.PutRun(twoStepRun("first-degrades", [4]float64{0, 1, 0, 1}, [4]float64{1, 1, 1, 1}))
	srv.test(t, resource.TestStep{
		Config: `
data "honeyhive_run_comparison" "second" {
  new_run_id = "second-degrades"
  old_run_id = "old"
}
data "honeyhive_run_comparison" "first" {
  new_run_id = "first-degrades"
  old_run_id = "old"
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			// The server's entries, as the lists read them.
			expect("data.honeyhive_run_comparison.second", knownvalue.Int64Exact(0), "metric_delta_details", 0, "degraded_count"),
			expect("data.honeyhive_run_comparison.second", knownvalue.Int64Exact(1), "metric_delta_details", 1, "degraded_count"),
			expect("data.honeyhive_run_comparison.first", knownvalue.Int64Exact(1), "metric_delta_details", 0, "degraded_count"),
			expect("data.honeyhive_run_comparison.first", knownvalue.Int64Exact(0), "metric_delta_details", 0, "improved_count"),
			expect("data.honeyhive_run_comparison.first", knownvalue.Int64Exact(1), "metric_delta_details", 1, "improved_count"),
			expect("data.honeyhive_run_comparison.second", strs("accuracy"), "degraded_metrics"),
			expect("data.honeyhive_run_comparison.second", strs(), "improved_metrics"),
			expect("data.honeyhive_run_comparison.first", strs("accuracy"), "degraded_metrics"),
			expect("data.honeyhive_run_comparison.first", strs("accuracy"), "improved_metrics"),
			expect("data.honeyhive_run_comparison.first", strs("accuracy", "relevance"), "metric_names"),
		},
	})
}

// A comparison entry without a metric name stays out of everything keyed by
// name, as the SDK drops it, but is kept in metric_delta_details; reading
// such a comparison warns.
func TestAccRunComparison_unnamedEntries(t *testing.T) {
	srv := acceptance(t)
	summary := func(unnamed float64) []byte {
		num := strconv.FormatFloat(unnamed, 'g', -1, 64)
		return []byte(`{"status":"completed","success":true,"passed":["dp-01"],"failed":[],"metrics":{"details":[
			{"metric_name":"accuracy","event_name":"e","aggregate":1,"values":[1]},
			{"metric_name":"","event_name":"mystery","aggregate":` + num + `,"values":[` + num + `]}]},
			"datapoints":[{"datapoint_id":"dp-01","session_id":"s1","passed":true,"metrics":[
				{"name":"accuracy","event_name":"e","value":1,"passed":true},
				{"name":"","event_name":"mystery","value":` + num + `}]}]}`)
	}
	srv.PutRunSummary("unnamed-old", summary(1))
	srv.PutRunSummary("unnamed-new", summary(0))
	const addr = "data.honeyhive_run_comparison.test"
	srv.test(t, resource.TestStep{
		Config: comparisonConfig("unnamed-new", "unnamed-old"),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(addr, strs("accuracy"), "metric_names"),
			expect(addr, strs(), "degraded_metrics"),
			expect(addr, strs(), "improved_metrics"),
			expect(addr, knownvalue.MapSizeExact(1), "metric_deltas"),
			expect(addr, knownvalue.NotNull(), "metric_deltas", "accuracy"),
			expect(addr, knownvalue.ListSizeExact(2), "metric_delta_details"),
			expect(addr, knownvalue.Null(), "metric_delta_details", 1, "metric_name"),
			expect(addr, knownvalue.StringExact("mystery"), "metric_delta_details", 1, "event_name"),
			expect(addr, knownvalue.Int64Exact(1), "metric_delta_details", 1, "degraded_count"),
			expect(addr, knownvalue.StringExact("insufficient_data"), "metric_delta_details", 1, "verdict"),
		},
	})

	result := planDiagnostics(t, srv.env, comparisonConfig("unnamed-new", "unnamed-old"), nil)
	if !result.Succeeded {
		t.Fatalf("the plan failed: %v", result.Diagnostics)
	}
	warnings := result.withSummary("Comparison entries without a metric name")
	if len(warnings) != 1 || len(result.Diagnostics) != 1 {
		t.Fatalf("want one warning about the unnamed entry and nothing else, got %v", result.Diagnostics)
	}
	for _, want := range []string{"1 comparison entry without a metric_name", "at index 1 of metric_delta_details",
		`"mystery"`, "metric_names, metric_deltas, improved_metrics and degraded_metrics"} {
		if !strings.Contains(warnings[0].Detail, want) {
			t.Errorf("warning does not say %q: %s", want, warnings[0].Detail)
		}
	}
}
