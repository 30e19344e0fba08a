package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// The comparison recipes on datapoint regressions and on many metrics at
// once, run as written against the local server (as TestAccGates_examples).
func TestAccGates_comparisonExamples(t *testing.T) {
	t.Parallel()
	const release = "data.honeyhive_run_comparison.release"
	runs := func(candidate, baseline string) config.Variables {
		return config.Variables{
			"candidate_run_id": config.StringVariable(candidate),
			"baseline_run_id":  config.StringVariable(baseline),
		}
	}
	with := func(v config.Variables, name string, value config.Variable) config.Variables {
		v[name] = value
		return v
	}
	noNewFailures := []string{"gates", "no_new_failures.tf"}
	manyMetrics := []string{"gates", "many_metrics.tf"}
	cases := []exampleCase{
		{
			name: "no new failures: one is allowed",
			file: noNewFailures,
			vars: runs(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline),
			checks: []statecheck.StateCheck{
				expect(release, knownvalue.Int64Exact(1), "regressed_count"),
				expect("terraform_data.promote", knownvalue.StringExact(localhoneyhive.FixtureCandidate), "input"),
			},
		},
		{
			name:      "no new failures: two fail the gate, named",
			file:      noNewFailures,
			vars:      runs(localhoneyhive.FixtureRegressed, localhoneyhive.FixtureBaseline),
			wantError: messageLike("Run run-regressed fails 2 datapoints that passed in baseline run-baseline (at most 1 allowed): dp-02, dp-07."),
		},
		{
			name: "no new failures: none allowed",
			file: noNewFailures,
			vars: with(runs(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline),
				"max_new_failures", config.IntegerVariable(0)),
			wantError: messageLike("Run run-candidate fails 1 datapoint that passed in baseline run-baseline (at most 0 allowed): dp-07."),
		},
		{
			name: "no new failures: the count alone without include_datapoints",
			file: noNewFailures,
			vars: with(runs(localhoneyhive.FixtureRegressed, localhoneyhive.FixtureBaseline),
				"name_datapoints", config.BoolVariable(false)),
			wantError: regexp.MustCompile(`Run run-regressed fails 2 datapoints that passed in baseline run-baseline\s+\(at\s+most\s+1\s+allowed\)\.`),
		},
		{
			name:  "no new failures: the first five of many",
			file:  noNewFailures,
			setup: func(s *localhoneyhive.Server) { s.PutSyntheticRuns(2000, 5) },
			vars:  runs("run-synthetic-2000-candidate", "run-synthetic-2000"),
			wantError: regexp.MustCompile(`Run\s+run-synthetic-2000-candidate\s+fails\s+\d{2,4}\s+datapoints\s+that\s+passed\s+in\s+baseline\s+` +
				`run-synthetic-2000\s+\(at\s+most\s+1\s+allowed\):\s+dp-\d{6},\s+dp-\d{6},\s+dp-\d{6},\s+dp-\d{6},\s+` +
				`dp-\d{6}\s+and\s+\d{2,4}\s+more\.`),
		},
		{
			name: "no new failures: fails closed without passed/failed lists",
			file: noNewFailures,
			setup: func(s *localhoneyhive.Server) {
				s.PutRunSummary("unjudged", []byte(`{"status":"completed","metrics":{"details":[
					{"metric_name":"accuracy","aggregate":1}]},"datapoints":[]}`))
			},
			vars:      runs("unjudged", localhoneyhive.FixtureBaseline),
			wantError: messageLike("Cannot tell which datapoints fail now: run unjudged or baseline run-baseline has no passed/failed lists"),
		},
		{
			// Faithfulness regressed at 95% on its own, but not as one of the
			// four metrics gated together: the family gate passes.
			name:  "many metrics: the family does not flag what chance explains",
			file:  manyMetrics,
			setup: func(s *localhoneyhive.Server) { s.PutSummarizerRuns() },
			vars:  runs(localhoneyhive.FixtureSummarizerV2, localhoneyhive.FixtureSummarizerV1),
			checks: []statecheck.StateCheck{
				expect(release, knownvalue.Int64Exact(4), "family_size"),
				expect(release, knownvalue.StringExact("regressed"), "metric_deltas", "faithfulness", "verdict"),
				expect(release, knownvalue.StringExact("inconclusive"), "metric_deltas", "faithfulness", "family_verdict"),
				expect("terraform_data.promote", knownvalue.StringExact(localhoneyhive.FixtureSummarizerV2), "input"),
			},
		},
		{
			// Two metrics gated: 1 - 0.05/2 still leaves faithfulness
			// regressed (R: t.test(..., conf.level = 0.975) gives
			// [-0.0477, -0.0023]).
			name:  "many metrics: a smaller family flags it",
			file:  manyMetrics,
			setup: func(s *localhoneyhive.Server) { s.PutSummarizerRuns() },
			vars: with(runs(localhoneyhive.FixtureSummarizerV2, localhoneyhive.FixtureSummarizerV1),
				"gate_metrics", config.SetVariable(config.StringVariable("faithfulness"), config.StringVariable("coverage"))),
			wantError: messageLike("Run run-summarizer-v2 regressed against baseline run-summarizer-v1 with 95% confidence over " +
				"the 2 metrics gated together: faithfulness (mean paired change -0.025, interval [-0.048, -0.002])."),
		},
		{
			// Relevance fell on every datapoint: regressed in the family of
			// three too (R: t.test(..., conf.level = 1 - 0.05/3) gives
			// [-0.0422, -0.0203]).
			name: "many metrics: a clear regression fails the gate",
			file: manyMetrics,
			vars: runs(localhoneyhive.FixtureRegressed, localhoneyhive.FixtureBaseline),
			wantError: messageLike("Run run-regressed regressed against baseline run-baseline with 95% confidence over the 3 " +
				"metrics gated together: relevance (mean paired change -0.031, interval [-0.042, -0.020])."),
		},
		{
			// A misspelt gate_metrics variable cannot drop the regressed metric
			// from the family: the plan fails, naming the metrics there are.
			name: "many metrics: a misspelt metric fails the plan",
			file: manyMetrics,
			vars: with(runs(localhoneyhive.FixtureRegressed, localhoneyhive.FixtureBaseline),
				"gate_metrics", config.SetVariable(config.StringVariable("relevence"), config.StringVariable("accuracy"))),
			wantError: messageLike(`gate_metrics names "relevence", which is not a metric of this comparison.`,
				`Did you mean "relevance"?`, "The comparison's metrics are: accuracy, relevance, latency_ms."),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, tc.run)
	}
}
