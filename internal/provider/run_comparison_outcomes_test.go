package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// The summarizer runs (localhoneyhive.SummarizerRuns): v1 fails doc-01,
// doc-04, doc-05 and doc-07; v2, which lists its datapoints from doc-10 down,
// fails doc-10, doc-08 and doc-05. The IDs follow v2's lists.
func TestAccRunComparison_regressionsByDatapoint(t *testing.T) {
	srv := acceptance(t)
	srv.PutSummarizerRuns()
	perMetric := func(name string, regressed, fixed int64) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			expect(comparisonAddr, knownvalue.Int64Exact(regressed), "metric_deltas", name, "regressed_count"),
			expect(comparisonAddr, knownvalue.Int64Exact(fixed), "metric_deltas", name, "fixed_count"),
		}
	}
	checks := []statecheck.StateCheck{
		expect(comparisonAddr, knownvalue.Int64Exact(2), "regressed_count"),
		expect(comparisonAddr, strs("doc-10", "doc-08"), "regressed_datapoints"),
		expect(comparisonAddr, knownvalue.Int64Exact(3), "fixed_count"),
		expect(comparisonAddr, strs("doc-07", "doc-04", "doc-01"), "fixed_datapoints"),
	}
	// faithfulness fails doc-08 now; coverage passed nothing of doc-01,
	// doc-04, doc-07 before and everything now; conciseness fails doc-05 in
	// both and doc-08 now; latency failed doc-04 (2400 ms) and fails doc-10
	// (2350 ms) now.
	checks = append(checks, perMetric("faithfulness", 1, 0)...)
	checks = append(checks, perMetric("coverage", 0, 3)...)
	checks = append(checks, perMetric("conciseness", 1, 0)...)
	checks = append(checks, perMetric("latency_ms", 1, 1)...)
	checks = append(checks, expect(comparisonAddr, knownvalue.Int64Exact(1), "metric_delta_details", 3, "fixed_count"))
	srv.test(t,
		resource.TestStep{
			Config:            comparisonConfig(localhoneyhive.FixtureSummarizerV2, localhoneyhive.FixtureSummarizerV1, "include_datapoints = true"),
			ConfigStateChecks: checks,
		},
		resource.TestStep{
			// The other way round, regressions and fixes swap, in v1's order.
			Config: comparisonConfig(localhoneyhive.FixtureSummarizerV1, localhoneyhive.FixtureSummarizerV2, "include_datapoints = true"),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(comparisonAddr, strs("doc-01", "doc-04", "doc-07"), "regressed_datapoints"),
				expect(comparisonAddr, strs("doc-08", "doc-10"), "fixed_datapoints"),
				expect(comparisonAddr, knownvalue.Int64Exact(3), "metric_deltas", "coverage", "regressed_count"),
			},
		},
		resource.TestStep{
			// run-regressed fails dp-02 and dp-07, which run-baseline passed.
			Config: comparisonConfig(localhoneyhive.FixtureRegressed, localhoneyhive.FixtureBaseline, "include_datapoints = true"),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(comparisonAddr, knownvalue.Int64Exact(2), "regressed_count"),
				expect(comparisonAddr, strs("dp-02", "dp-07"), "regressed_datapoints"),
				expect(comparisonAddr, knownvalue.Int64Exact(0), "fixed_count"),
				expect(comparisonAddr, strs(), "fixed_datapoints"),
				expect(comparisonAddr, knownvalue.Int64Exact(2), "metric_deltas", "accuracy", "regressed_count"),
				expect(comparisonAddr, knownvalue.Int64Exact(0), "metric_deltas", "accuracy", "fixed_count"),
			},
		},
		resource.TestStep{
			// With the defaults, the counts and not the IDs (per-datapoint data).
			Config: comparisonConfig(localhoneyhive.FixtureRegressed, localhoneyhive.FixtureBaseline),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(comparisonAddr, knownvalue.Int64Exact(2), "regressed_count"),
				expect(comparisonAddr, knownvalue.Null(), "regressed_datapoints"),
				expect(comparisonAddr, knownvalue.Int64Exact(0), "fixed_count"),
				expect(comparisonAddr, knownvalue.Null(), "fixed_datapoints"),
				expect(comparisonAddr, knownvalue.Int64Exact(2), "metric_deltas", "accuracy", "regressed_count"),
			},
		},
	)
}

// Missing lists give null counts and lists, never 0: a gate on them fails.
// A repeated ID counts once; a datapoint in both lists of a run is an error
// (issue 21; it counted as failed before).
func TestAccRunComparison_regressionsFailClosed(t *testing.T) {
	srv := acceptance(t)
	// Old: a, b, d passed; c failed.
	srv.PutRunSummary("lists-old", []byte(`{"status":"completed","passed":["a","b","d"],"failed":["c"],
		"metrics":{"details":[
			{"metric_name":"accuracy","aggregate":0.5,"datapoints":{"passed":["a","b"],"failed":["c"]}},
			{"metric_name":"tone","aggregate":0.5},
			{"metric_name":"length","aggregate":0.5,"datapoints":{"passed":["a"],"failed":null}}]},
		"datapoints":[]}`))
	// New: b fails now (listed twice in accuracy's failed list); c passes now.
	srv.PutRunSummary("lists-new", []byte(`{"status":"completed","passed":["a","c","d"],"failed":["b"],
		"metrics":{"details":[
			{"metric_name":"accuracy","aggregate":0.5,"datapoints":{"passed":["a","c"],"failed":["b","b"]}},
			{"metric_name":"tone","aggregate":0.5,"datapoints":{"passed":["a"],"failed":[]}},
			{"metric_name":"length","aggregate":0.5,"datapoints":{"passed":["a"],"failed":[]}}]},
		"datapoints":[]}`))
	// A summary without a failed list.
	srv.PutRunSummary("lists-none", []byte(`{"status":"completed","passed":["a"],
		"metrics":{"details":[{"metric_name":"accuracy","aggregate":1}]},"datapoints":[]}`))
	// A summary listing b as both passed and failed.
	srv.PutRunSummary("lists-both", []byte(`{"status":"completed","passed":["a","b"],"failed":["b"],
		"metrics":{"details":[{"metric_name":"accuracy","aggregate":1}]},"datapoints":[]}`))
	srv.test(t,
		resource.TestStep{
			Config: comparisonConfig("lists-new", "lists-old", "include_datapoints = true"),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(comparisonAddr, knownvalue.Int64Exact(1), "regressed_count"),
				expect(comparisonAddr, strs("b"), "regressed_datapoints"),
				expect(comparisonAddr, strs("c"), "fixed_datapoints"),
				expect(comparisonAddr, knownvalue.Int64Exact(1), "metric_deltas", "accuracy", "regressed_count"),
				expect(comparisonAddr, knownvalue.Int64Exact(1), "metric_deltas", "accuracy", "fixed_count"),
				// No datapoints lists in the old run; a null failed list.
				expect(comparisonAddr, knownvalue.Null(), "metric_deltas", "tone", "regressed_count"),
				expect(comparisonAddr, knownvalue.Null(), "metric_deltas", "tone", "fixed_count"),
				expect(comparisonAddr, knownvalue.Null(), "metric_deltas", "length", "regressed_count"),
			},
		},
		resource.TestStep{
			Config: comparisonConfig("lists-none", "lists-old", "include_datapoints = true"),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(comparisonAddr, knownvalue.Null(), "regressed_count"),
				expect(comparisonAddr, knownvalue.Null(), "fixed_count"),
				expect(comparisonAddr, knownvalue.Null(), "regressed_datapoints"),
				expect(comparisonAddr, knownvalue.Null(), "fixed_datapoints"),
				expect(comparisonAddr, knownvalue.Null(), "metric_deltas", "accuracy", "regressed_count"),
			},
		},
		resource.TestStep{
			Config:      comparisonConfig("lists-both", "lists-old", "include_datapoints = true"),
			ExpectError: messageLike("HoneyHive result contradicts itself", `"lists-both"`, `in both passed and failed ("b")`),
		},
	)
}
