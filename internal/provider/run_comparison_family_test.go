package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// The family values are checked against R 4.2.2, an implementation that
// shares nothing with this provider's (gonum's quantiles, the stats
// package). For the summarizer runs (localhoneyhive.SummarizerRuns), with
// new and old each metric's ten values of run-summarizer-v2 and
// run-summarizer-v1 in doc-01..doc-10 order:
//
//	t.test(new, old, paired = TRUE)$conf.int                          # ci_lower, ci_upper
//	t.test(new, old, paired = TRUE, conf.level = 1 - 0.05/m)$conf.int # family_ci_lower, family_ci_upper
//	d <- new - old; binom.test(min(sum(d < 0), sum(d > 0)), sum(d != 0))$p.value  # p_value
//	p.adjust(p, "holm")                                                # p_value_holm
//
// printed with options(digits = 15); the bounds are given to 12 significant
// digits, so they are checked within 1e-10. The sign-test p-values are exact
// (k/1024, by hand: faithfulness 8 down 2 up, 2·56/1024; coverage 10 up,
// 2/1024; conciseness 5 and 5, 1; latency 7 down 3 up, 2·176/1024), and so are
// Holm's (sorted, times 4, 3, 2, 1, running maximum).

func summarizerComparison(extra string) string {
	return fmt.Sprintf(`
data "honeyhive_run_comparison" "test" {
  new_run_id      = %q
  old_run_id      = %q
  lower_is_better = ["latency_ms"]
%s
}
`, localhoneyhive.FixtureSummarizerV2, localhoneyhive.FixtureSummarizerV1, extra)
}

func within(want float64) knownvalue.Check { return approxWithin(want, 1e-10) }

// Four metrics gated at once by default: faithfulness regressed on its own
// at 95%, but its interval at 1 - 0.05/4 reaches above 0, so as one of four
// metrics judged together it is inconclusive.
func TestAccRunComparison_familyDefault(t *testing.T) {
	srv := acceptance(t)
	srv.PutSummarizerRuns()
	metric := func(name string) func(checks map[string]knownvalue.Check) []statecheck.StateCheck {
		return func(checks map[string]knownvalue.Check) []statecheck.StateCheck {
			var out []statecheck.StateCheck
			for attribute, check := range checks {
				out = append(out, expect(comparisonAddr, check, "metric_deltas", name, attribute))
			}
			return out
		}
	}
	checks := []statecheck.StateCheck{
		expect(comparisonAddr, knownvalue.Null(), "gate_metrics"),
		expect(comparisonAddr, knownvalue.Int64Exact(4), "family_size"),
		expect(comparisonAddr, strs(), "family_regressed_metrics"),
	}
	checks = append(checks, metric("faithfulness")(map[string]knownvalue.Check{
		"paired_count":    knownvalue.Int64Exact(10),
		"mean_difference": within(-0.025),
		"ci_lower":        within(-0.0441505555296),
		"ci_upper":        within(-0.00584944447039),
		"verdict":         knownvalue.StringExact("regressed"),
		"family_ci_lower": within(-0.0513359818938),
		"family_ci_upper": within(0.00133598189376),
		"family_verdict":  knownvalue.StringExact("inconclusive"),
		"p_value":         number(t, "0.109375"),
		"p_value_holm":    number(t, "0.328125"),
	})...)
	checks = append(checks, metric("coverage")(map[string]knownvalue.Check{
		"ci_lower":        within(0.0676032279772),
		"ci_upper":        within(0.0843967720228),
		"verdict":         knownvalue.StringExact("improved"),
		"family_ci_lower": within(0.0644526986376),
		"family_ci_upper": within(0.0875473013624),
		"family_verdict":  knownvalue.StringExact("improved"),
		"p_value":         number(t, "0.001953125"),
		"p_value_holm":    number(t, "0.0078125"),
	})...)
	checks = append(checks, metric("conciseness")(map[string]knownvalue.Check{
		"family_ci_lower": within(-0.0415893195789),
		"family_ci_upper": within(0.0315893195789),
		"family_verdict":  knownvalue.StringExact("inconclusive"),
		"p_value":         number(t, "1"),
		"p_value_holm":    number(t, "1"),
	})...)
	checks = append(checks, metric("latency_ms")(map[string]knownvalue.Check{
		"lower_is_better": knownvalue.Bool(true),
		"ci_lower":        within(-78.6358252009),
		"ci_upper":        within(10.6358252009),
		"family_ci_lower": approxWithin(-95.3835083002, 1e-8),
		"family_ci_upper": approxWithin(27.3835083002, 1e-8),
		"family_verdict":  knownvalue.StringExact("inconclusive"),
		"p_value":         number(t, "0.34375"),
		"p_value_holm":    number(t, "0.6875"),
	})...)
	srv.test(t, resource.TestStep{
		Config:            summarizerComparison(""),
		ConfigStateChecks: checks,
	})
}

// Two metrics gated: the family interval at 1 - 0.05/2 still excludes 0 for
// faithfulness, which is then in family_regressed_metrics; the metrics left
// out have null family values.
func TestAccRunComparison_familyGateMetrics(t *testing.T) {
	srv := acceptance(t)
	srv.PutSummarizerRuns()
	srv.test(t, resource.TestStep{
		Config: summarizerComparison(`  gate_metrics = ["faithfulness", "coverage"]`),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(comparisonAddr, knownvalue.SetExact([]knownvalue.Check{
				knownvalue.StringExact("faithfulness"), knownvalue.StringExact("coverage"),
			}), "gate_metrics"),
			expect(comparisonAddr, knownvalue.Int64Exact(2), "family_size"),
			expect(comparisonAddr, strs("faithfulness"), "family_regressed_metrics"),
			expect(comparisonAddr, within(-0.0477302727526), "metric_deltas", "faithfulness", "family_ci_lower"),
			expect(comparisonAddr, within(-0.00226972724744), "metric_deltas", "faithfulness", "family_ci_upper"),
			expect(comparisonAddr, knownvalue.StringExact("regressed"), "metric_deltas", "faithfulness", "family_verdict"),
			// p.adjust(c(0.109375, 0.001953125), "holm")
			expect(comparisonAddr, number(t, "0.109375"), "metric_deltas", "faithfulness", "p_value_holm"),
			expect(comparisonAddr, within(0.0660336615289), "metric_deltas", "coverage", "family_ci_lower"),
			expect(comparisonAddr, within(0.0859663384711), "metric_deltas", "coverage", "family_ci_upper"),
			expect(comparisonAddr, number(t, "0.00390625"), "metric_deltas", "coverage", "p_value_holm"),
			// Outside the family: null, and the single values unchanged.
			expect(comparisonAddr, knownvalue.Null(), "metric_deltas", "conciseness", "family_ci_lower"),
			expect(comparisonAddr, knownvalue.Null(), "metric_deltas", "conciseness", "family_ci_upper"),
			expect(comparisonAddr, knownvalue.Null(), "metric_deltas", "conciseness", "family_verdict"),
			expect(comparisonAddr, knownvalue.Null(), "metric_deltas", "conciseness", "p_value_holm"),
			expect(comparisonAddr, knownvalue.Null(), "metric_deltas", "latency_ms", "family_verdict"),
			expect(comparisonAddr, within(-78.6358252009), "metric_deltas", "latency_ms", "ci_lower"),
			expect(comparisonAddr, knownvalue.Null(), "metric_delta_details", 3, "p_value_holm"),
			expect(comparisonAddr, number(t, "0.109375"), "metric_delta_details", 0, "p_value_holm"),
		},
	})
}

// A family of one is the metric alone; an empty family has no values.
func TestAccRunComparison_familyOfOneAndEmpty(t *testing.T) {
	srv := acceptance(t)
	srv.PutSummarizerRuns()
	srv.test(t,
		resource.TestStep{
			Config: summarizerComparison(`  gate_metrics = ["faithfulness"]`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(comparisonAddr, knownvalue.Int64Exact(1), "family_size"),
				expect(comparisonAddr, within(-0.0441505555296), "metric_deltas", "faithfulness", "family_ci_lower"),
				expect(comparisonAddr, within(-0.00584944447039), "metric_deltas", "faithfulness", "family_ci_upper"),
				expect(comparisonAddr, knownvalue.StringExact("regressed"), "metric_deltas", "faithfulness", "family_verdict"),
				expect(comparisonAddr, number(t, "0.109375"), "metric_deltas", "faithfulness", "p_value_holm"),
				expect(comparisonAddr, strs("faithfulness"), "family_regressed_metrics"),
			},
		},
		resource.TestStep{
			Config: summarizerComparison(`  gate_metrics = []`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(comparisonAddr, knownvalue.Int64Exact(0), "family_size"),
				expect(comparisonAddr, strs(), "family_regressed_metrics"),
				expect(comparisonAddr, knownvalue.Null(), "metric_deltas", "faithfulness", "family_verdict"),
				expect(comparisonAddr, knownvalue.Null(), "metric_deltas", "coverage", "p_value_holm"),
				expect(comparisonAddr, knownvalue.StringExact("regressed"), "metric_deltas", "faithfulness", "verdict"),
			},
		},
	)
}

// A metric on two events is two members of the family: each entry is a
// hypothesis. Pairs and outcomes are read per event.
//
// R 4.2.2: t.test(new, old, paired = TRUE, conf.level = 1 - 0.05/m) on
// accuracy@retriever (old 1 1 0 1, new 0 1 1 1), accuracy@generator (old
// 0 1 1 1, new 1 1 1 1) and relevance (old 0.5 0.6 0.7 0.8, new 0.6 0.8 0.7
// 0.9): m = 3 gives [-1.98272202898, 1.98272202898], [-0.964164318192,
// 1.46416431819], [-0.0982722028977, 0.298272202898]; m = 2 (the accuracy
// entries only) [-1.70506321098, 1.70506321098] and [-0.794133711526,
// 1.29413371153]. Sign tests: 1 down 1 up, p = 1; 1 up, p = 1; 3 up (and a
// tie), p = 2·(½)³ = 0.25; Holm over (1, 1, 0.25): 1, 1, 0.75.
func TestAccRunComparison_familyRepeatedNames(t *testing.T) {
	srv := acceptance(t)
	metrics := []localhoneyhive.Metric{
		{Name: "accuracy", EventName: "retriever", EventType: "tool", PassingRange: &localhoneyhive.PassingRange{Min: 1, Max: 1}},
		{Name: "accuracy", EventName: "generator", EventType: "model", PassingRange: &localhoneyhive.PassingRange{Min: 1, Max: 1}},
		{Name: "relevance", EventName: "generator", EventType: "model"},
	}
	put := func(id string, rows [4][3]float64) {
		run := localhoneyhive.Run{ID: id, Status: "completed", Metrics: metrics}
		for i, row := range rows {
			run.Datapoints = append(run.Datapoints, localhoneyhive.Datapoint{
				ID:     fmt.Sprintf("q%d", i+1),
				Values: []localhoneyhive.Value{localhoneyhive.Number(row[0]), localhoneyhive.Number(row[1]), localhoneyhive.Number(row[2])},
			})
		}
		srv.PutRun(run)
	}
	put("two-steps-old", [4][3]float64{{1, 0, 0.5}, {1, 1, 0.6}, {0, 1, 0.7}, {1, 1, 0.8}})
	put("two-steps-new", [4][3]float64{{0, 1, 0.6}, {1, 1, 0.8}, {1, 1, 0.7}, {1, 1, 0.9}})
	config := func(extra string) string {
		return fmt.Sprintf(`
data "honeyhive_run_comparison" "test" {
  new_run_id = "two-steps-new"
  old_run_id = "two-steps-old"
  include_datapoints = true
  %s
}
`, extra)
	}
	srv.test(t,
		resource.TestStep{
			Config: config(""),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(comparisonAddr, knownvalue.Int64Exact(3), "family_size"),
				expect(comparisonAddr, knownvalue.StringExact("retriever"), "metric_delta_details", 0, "event_name"),
				expect(comparisonAddr, within(-1.98272202898), "metric_delta_details", 0, "family_ci_lower"),
				expect(comparisonAddr, within(1.98272202898), "metric_delta_details", 0, "family_ci_upper"),
				expect(comparisonAddr, within(-0.964164318192), "metric_delta_details", 1, "family_ci_lower"),
				expect(comparisonAddr, within(1.46416431819), "metric_delta_details", 1, "family_ci_upper"),
				expect(comparisonAddr, within(-0.0982722028977), "metric_delta_details", 2, "family_ci_lower"),
				expect(comparisonAddr, within(0.298272202898), "metric_delta_details", 2, "family_ci_upper"),
				expect(comparisonAddr, number(t, "0.25"), "metric_delta_details", 2, "p_value"),
				expect(comparisonAddr, number(t, "0.75"), "metric_delta_details", 2, "p_value_holm"),
				expect(comparisonAddr, number(t, "1"), "metric_delta_details", 0, "p_value_holm"),
				// Outcomes per event: on the retriever, q1 passed and
				// fails, q3 failed and passes; on the generator, q1 is
				// fixed and nothing regressed. Relevance has no passing
				// range, so every value passes and nothing changes.
				expect(comparisonAddr, knownvalue.Int64Exact(1), "metric_delta_details", 0, "regressed_count"),
				expect(comparisonAddr, knownvalue.Int64Exact(1), "metric_delta_details", 0, "fixed_count"),
				expect(comparisonAddr, knownvalue.Int64Exact(0), "metric_delta_details", 1, "regressed_count"),
				expect(comparisonAddr, knownvalue.Int64Exact(1), "metric_delta_details", 1, "fixed_count"),
				expect(comparisonAddr, knownvalue.Int64Exact(0), "metric_delta_details", 2, "regressed_count"),
				expect(comparisonAddr, knownvalue.Int64Exact(0), "metric_delta_details", 2, "fixed_count"),
				// The map holds the first entry, the retriever's.
				expect(comparisonAddr, knownvalue.Int64Exact(1), "metric_deltas", "accuracy", "regressed_count"),
				// Datapoints: q1 failed (generator) and fails (retriever);
				// q3 failed and passes.
				expect(comparisonAddr, knownvalue.Int64Exact(0), "regressed_count"),
				expect(comparisonAddr, strs("q3"), "fixed_datapoints"),
			},
		},
		resource.TestStep{
			Config: config(`gate_metrics = ["accuracy"]`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(comparisonAddr, knownvalue.Int64Exact(2), "family_size"),
				expect(comparisonAddr, within(-1.70506321098), "metric_delta_details", 0, "family_ci_lower"),
				expect(comparisonAddr, within(1.29413371153), "metric_delta_details", 1, "family_ci_upper"),
				expect(comparisonAddr, knownvalue.Null(), "metric_delta_details", 2, "family_ci_lower"),
			},
		},
	)
}

// The default family leaves out the metrics with fewer than 2 pairs; naming
// one brings it in, where it counts in family_size and reads
// insufficient_data, so a gate on it fails closed.
func TestAccRunComparison_familyTooFewPairs(t *testing.T) {
	srv := acceptance(t)
	// grade is paired on one datapoint only: the other values are null.
	for id, values := range map[string][2]localhoneyhive.Value{
		"few-old": {localhoneyhive.Number(0.5), localhoneyhive.Null()},
		"few-new": {localhoneyhive.Number(0.75), localhoneyhive.Null()},
	} {
		srv.PutRun(localhoneyhive.Run{
			ID: id, Status: "completed",
			Metrics: []localhoneyhive.Metric{{Name: "score"}, {Name: "grade"}},
			Datapoints: []localhoneyhive.Datapoint{
				{ID: "a", Values: []localhoneyhive.Value{localhoneyhive.Number(0.5), values[0]}},
				{ID: "b", Values: []localhoneyhive.Value{localhoneyhive.Number(0.7), values[1]}},
				{ID: "c", Values: []localhoneyhive.Value{localhoneyhive.Number(0.9), localhoneyhive.Null()}},
			},
		})
	}
	config := func(extra string) string {
		return `
data "honeyhive_run_comparison" "test" {
  new_run_id = "few-new"
  old_run_id = "few-old"
  ` + extra + `
}
`
	}
	srv.test(t,
		resource.TestStep{
			Config: config(""),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(comparisonAddr, knownvalue.Int64Exact(1), "metric_deltas", "grade", "paired_count"),
				expect(comparisonAddr, knownvalue.Int64Exact(1), "family_size"),
				expect(comparisonAddr, knownvalue.Null(), "metric_deltas", "grade", "family_verdict"),
				expect(comparisonAddr, knownvalue.StringExact("unchanged"), "metric_deltas", "score", "family_verdict"),
			},
		},
		resource.TestStep{
			Config: config(`gate_metrics = ["score", "grade"]`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(comparisonAddr, knownvalue.Int64Exact(2), "family_size"),
				expect(comparisonAddr, knownvalue.StringExact("insufficient_data"), "metric_deltas", "grade", "family_verdict"),
				expect(comparisonAddr, knownvalue.Null(), "metric_deltas", "grade", "family_ci_lower"),
				// One pair, up: p = 1 (a sign test of one), and Holm keeps 1.
				expect(comparisonAddr, number(t, "1"), "metric_deltas", "grade", "p_value_holm"),
			},
		},
	)
}
