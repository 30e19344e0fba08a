package provider

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// The guide's recipes under examples/gates/, each run as written: passing on
// evidence that should pass, failing with its message on evidence that should
// not.
//
// Reference numbers (relevance, paired on dp-01..dp-07, t(0.975, 6) = 2.446912):
// candidate - baseline: d = .03 0 .08 .03 .08 -.02 .02, mean 0.031429,
// 95 % interval [-0.003352, 0.066209]: inconclusive, but within a 0.02 margin.
// regressed - baseline: every pair went down: regressed.
func TestAccGates_statisticalRecipes(t *testing.T) {
	runs := func(candidate, baseline string) config.Variables {
		return config.Variables{
			"candidate_run_id": config.StringVariable(candidate),
			"baseline_run_id":  config.StringVariable(baseline),
		}
	}
	cases := []struct {
		name      string
		file      string
		vars      config.Variables
		setup     func(*localhoneyhive.Server) // nil: the fixtures as they are
		wantError []string                     // nil: the gate passes
	}{
		{
			name: "non-inferiority passes within the margin",
			file: "non_inferiority.tf",
			vars: runs(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline),
		},
		{
			name:      "non-inferiority fails on a regression",
			file:      "non_inferiority.tf",
			vars:      runs(localhoneyhive.FixtureRegressed, localhoneyhive.FixtureBaseline),
			wantError: []string{"Relevance may have dropped by more than 0.02", "over 8 datapoints"},
		},
		{
			name: "non-inferiority fails when the interval reaches past a tighter margin",
			file: "non_inferiority.tf",
			vars: func() config.Variables {
				v := runs(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline)
				v["margin"] = config.FloatVariable(0.001)
				return v
			}(),
			wantError: []string{"Relevance may have dropped by more than 0.001: the 95% interval of the paired difference is [-0.003, 0.066] over 7 datapoints."},
		},
		{
			name: "superiority passes when the whole interval is above zero",
			file: "superiority.tf",
			vars: runs(localhoneyhive.FixtureBaseline, localhoneyhive.FixtureRegressed),
		},
		{
			name:      "superiority fails on an inconclusive change",
			file:      "superiority.tf",
			vars:      runs(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline),
			wantError: []string{"Relevance is inconclusive, not improved: mean paired change 0.031, 95% interval [-0.003, 0.066], sign test p = 0.2188."},
		},
		{
			name: "fail closed passes on complete evidence",
			file: "fail_closed.tf",
			vars: runs(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline),
		},
		{
			name:      "fail closed blocks a regression",
			file:      "fail_closed.tf",
			vars:      runs(localhoneyhive.FixtureRegressed, localhoneyhive.FixtureBaseline),
			wantError: []string{"Regressed with 95% confidence: relevance."},
		},
		{
			name:      "fail closed blocks a run that has not completed",
			file:      "fail_closed.tf",
			vars:      runs(localhoneyhive.FixtureRunning, localhoneyhive.FixtureBaseline),
			wantError: []string{"Both runs must be completed (candidate: running, baseline: completed)."},
		},
		{
			name: "fail closed blocks a missing metric",
			file: "fail_closed.tf",
			vars: func() config.Variables {
				v := runs(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline)
				v["gated_metrics"] = config.ListVariable(config.StringVariable("accuracy"), config.StringVariable("coherence"))
				return v
			}(),
			wantError: []string{"Metrics missing from the comparison: coherence. Its metrics are: accuracy, relevance, latency_ms."},
		},
		{
			name: "fail closed blocks too few pairs",
			file: "fail_closed.tf",
			vars: func() config.Variables {
				v := runs(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline)
				v["min_pairs"] = config.IntegerVariable(8)
				return v
			}(),
			wantError: []string{"Too few paired datapoints (under 8) for: accuracy, relevance."},
		},
		{
			name:      "waiting for a run that fails reports why",
			file:      "wait_for_run.tf",
			vars:      config.Variables{"candidate_run_id": config.StringVariable(localhoneyhive.FixtureFailed)},
			wantError: []string{"Evaluation run run-failed ended failed: Evaluator 'relevance' failed: upstream LLM provider timed out after 300s."},
		},
		{
			// 7 of 9 passed: the Wilson 95 % interval starts at 0.4526.
			name: "waiting for a run that completes passes",
			file: "wait_for_run.tf",
			vars: config.Variables{
				"candidate_run_id": config.StringVariable(localhoneyhive.FixtureCandidate),
				"min_pass_rate":    config.FloatVariable(0.45),
			},
		},
		{
			name:      "a pass rate that may be below the bar fails",
			file:      "wait_for_run.tf",
			vars:      config.Variables{"candidate_run_id": config.StringVariable(localhoneyhive.FixtureCandidate)},
			wantError: []string{"The pass rate of run run-candidate may be below 50.0%: 7 of 9 datapoints passed (95% interval from 0.453)."},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := acceptance(t)
			step := resource.TestStep{
				ConfigFile:      example("gates", tc.file),
				ConfigVariables: tc.vars,
			}
			if tc.wantError != nil {
				step.ExpectError = messageLike(tc.wantError...)
			}
			srv.test(t, step)
		})
	}
}

// wait_for_run.tf on honeyhive-local's run-finishing, as the README's "Try it
// locally" suggests: the run is running when first read, the plan waits, and
// passes with the recipe's defaults once the run has completed (9 of 10
// passed: the 95% interval starts at 0.596).
func TestAccGates_waitForRunFinishing(t *testing.T) {
	srv := acceptance(t)
	srv.PutFinishingRun(2 * time.Second)
	start := time.Now()
	srv.test(t, resource.TestStep{
		ConfigFile:      example("gates", "wait_for_run.tf"),
		ConfigVariables: config.Variables{"candidate_run_id": config.StringVariable(localhoneyhive.FixtureFinishing)},
		ConfigStateChecks: []statecheck.StateCheck{
			expect("data.honeyhive_experiment_run.candidate", knownvalue.StringExact("completed"), "status"),
			expect("data.honeyhive_experiment_run.candidate", knownvalue.Int64Exact(9), "passed_count"),
		},
	})
	if waited := time.Since(start); waited < 2*time.Second {
		t.Errorf("the plan took %s: it cannot have waited for the run to complete", waited)
	}
}

// The verdict reads in the metric's direction; the numbers do not change.
func TestAccRunComparison_lowerIsBetter(t *testing.T) {
	srv := acceptance(t)
	// Latency, paired: d = 90 50 30 50 80 -10 60 ms, mean 50, interval
	// [19.33, 80.67] (t(0.975, 6) = 2.446912): it went up.
	latency := func(verdict string, lowerIsBetter bool) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			expect(comparisonAddr, knownvalue.StringExact(verdict), "metric_deltas", "latency_ms", "verdict"),
			expect(comparisonAddr, knownvalue.Bool(lowerIsBetter), "metric_deltas", "latency_ms", "lower_is_better"),
			expect(comparisonAddr, number(t, "50"), "metric_deltas", "latency_ms", "mean_difference"),
			expect(comparisonAddr, approxWithin(19.326337, 1e-5), "metric_deltas", "latency_ms", "ci_lower"),
			expect(comparisonAddr, approxWithin(80.673663, 1e-5), "metric_deltas", "latency_ms", "ci_upper"),
			// 1 down, 6 up: p = 2·P(Bin(7, ½) ≤ 1) = 2·8/128 = 0.125.
			expect(comparisonAddr, number(t, "0.125"), "metric_deltas", "latency_ms", "p_value"),
			// HoneyHive's own per-datapoint lists stay as the server sends them.
			expect(comparisonAddr, knownvalue.Int64Exact(6), "metric_deltas", "latency_ms", "improved_count"),
		}
	}
	srv.test(t,
		resource.TestStep{
			Config:            comparisonConfig(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline),
			ConfigStateChecks: latency("improved", false),
		},
		resource.TestStep{
			Config: `
data "honeyhive_run_comparison" "test" {
  new_run_id      = "run-candidate"
  old_run_id      = "run-baseline"
  lower_is_better = ["latency_ms"]
}
`,
			ConfigStateChecks: latency("regressed", true),
		},
	)
}

// Values that cannot pair (strings, nulls) are skipped and counted; too few
// pairs give insufficient_data and null intervals, never a made-up number.
func TestAccRunComparison_insufficientData(t *testing.T) {
	srv := acceptance(t)
	srv.test(t, resource.TestStep{
		Config: comparisonConfig(localhoneyhive.FixtureMixed, localhoneyhive.FixtureMixed),
		ConfigStateChecks: []statecheck.StateCheck{
			// grade: "A", "B" and a missing value: nothing numeric to pair.
			expect(comparisonAddr, knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"paired_count":    knownvalue.Int64Exact(0),
				"skipped_count":   knownvalue.Int64Exact(2),
				"mean_difference": knownvalue.Null(),
				"ci_lower":        knownvalue.Null(),
				"ci_upper":        knownvalue.Null(),
				"p_value":         number(t, "1"),
				"verdict":         knownvalue.StringExact("insufficient_data"),
			}), "metric_deltas", "grade"),
			// is_safe: booleans pair as 1/0 with themselves: unchanged.
			expect(comparisonAddr, knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"paired_count":    knownvalue.Int64Exact(2),
				"mean_difference": number(t, "0"),
				"ci_lower":        number(t, "0"),
				"ci_upper":        number(t, "0"),
				"verdict":         knownvalue.StringExact("unchanged"),
			}), "metric_deltas", "is_safe"),
		},
	})
}
