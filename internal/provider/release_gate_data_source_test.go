package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

const gateAddr = "data.honeyhive_release_gate.test"

// gateConfig is a release gate on two runs with the given rules (HCL list
// elements) and extra arguments.
func gateConfig(newRunID, oldRunID string, rules []string, extra ...string) string {
	return fmt.Sprintf(`
data "honeyhive_release_gate" "test" {
  new_run_id = %q
  old_run_id = %q
  rules = [
    %s
  ]
  %s
}
`, newRunID, oldRunID, strings.Join(rules, ",\n    "), strings.Join(extra, "\n  "))
}

// Reference numbers: relevance, run-candidate against run-baseline, paired on
// dp-01..dp-07: d = .03 0 .08 .03 .08 -.02 .02 (gates_statistics_test.go),
// sd 0.0376069902316805. R 4.2.2, with tol = 1e-12 (power.t.test's default
// tol, .Machine$double.eps^0.25, leaves the root off by 2e-5):
//
//	power.t.test(n = 7, sd = sd(d), sig.level = 0.05, power = 0.8, type = "paired", tol = 1e-12)$delta
//	  = 0.0478574290131351
//	ceiling(power.t.test(delta = 0.02, sd = sd(d), sig.level = 0.05, power = 0.8, type = "paired", tol = 1e-12)$n)
//	  = ceiling(29.7293053824788) = 30
const (
	relevanceMDD          = 0.0478574290131351
	relevancePairsFor0p02 = 30
)

// The recipes examples/gates/release_policy.tf and the data source's example,
// as written: passing on a good candidate, stopped by the postcondition with
// the summary on a bad one.
func TestAccReleaseGate_examples(t *testing.T) {
	t.Parallel()
	policy := []string{"gates", "release_policy.tf"}
	basic := []string{"data-sources", "honeyhive_release_gate", "data-source.tf"}
	release := "data.honeyhive_release_gate.release"
	runs := func(candidate, baseline string) config.Variables {
		return config.Variables{
			"candidate_run_id": config.StringVariable(candidate),
			"baseline_run_id":  config.StringVariable(baseline),
		}
	}
	cases := []exampleCase{
		{
			name: "the policy passes on the candidate",
			file: policy,
			vars: runs(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline),
			checks: []statecheck.StateCheck{
				expect(release, knownvalue.Bool(true), "passed"),
				expect(release, knownvalue.ListSizeExact(0), "violations"),
				expect(release, knownvalue.ListSizeExact(5), "rule_results"),
				expect(release, knownvalue.StringExact("completed"), "new_run_status"),
				expect(release, knownvalue.StringExact("completed"), "old_run_status"),
				expect(release, knownvalue.StringRegexp(regexp.MustCompile(`^Release gate passed: 5 of 5 rules hold`)), "summary"),
				expect(release, knownvalue.ObjectExact(map[string]knownvalue.Check{
					"rule":                          knownvalue.Int64Exact(1),
					"kind":                          knownvalue.StringExact("non_inferiority"),
					"metric":                        knownvalue.StringExact("relevance"),
					"reason":                        knownvalue.Null(),
					"observed":                      approxWithin(-0.003352, 1e-5),
					"required":                      knownvalue.StringExact(">= -0.05"),
					"message":                       knownvalue.StringRegexp(regexp.MustCompile(`holds`)),
					"passed":                        knownvalue.Bool(true),
					"minimum_detectable_difference": approxWithin(relevanceMDD, 1e-6),
					"underpowered":                  knownvalue.Bool(false),
					"pairs_needed":                  knownvalue.Null(),
					"regressed_count":               knownvalue.Null(),
					"regressed_datapoints":          knownvalue.Null(),
				}), "rule_results", 1),
				// One datapoint (dp-07) passed in the baseline and fails now: allowed.
				expect(release, knownvalue.Int64Exact(1), "rule_results", 3, "regressed_count"),
				expect(release, strs("dp-07"), "rule_results", 3, "regressed_datapoints"),
				// The report has the metric table.
				expect(release, knownvalue.StringRegexp(regexp.MustCompile(`(?m)^\|.*relevance.*\|$`)), "report_markdown"),
			},
		},
		{
			// A margin below what 7 pairs can detect: the rule still holds,
			// but says it is too weak, and how many pairs it would need.
			name: "a margin below the minimum detectable difference is underpowered",
			file: policy,
			vars: func() config.Variables {
				v := runs(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline)
				v["relevance_margin"] = config.FloatVariable(0.02)
				return v
			}(),
			checks: []statecheck.StateCheck{
				expect(release, knownvalue.Bool(true), "passed"),
				expect(release, knownvalue.Bool(true), "rule_results", 1, "underpowered"),
				expect(release, knownvalue.Int64Exact(relevancePairsFor0p02), "rule_results", 1, "pairs_needed"),
				expect(release, knownvalue.StringRegexp(regexp.MustCompile(`(?s)Warnings:.*0\.02.*30`)), "summary"),
			},
		},
		{
			name: "the policy stops the plan on the regressed run with its summary",
			file: policy,
			vars: runs(localhoneyhive.FixtureRegressed, localhoneyhive.FixtureBaseline),
			// As the data source's page quotes it (templates/data-sources/release_gate.md.tmpl).
			wantError: messageLike("Release gate FAILED: 3 of 5 rules failed (run-regressed vs baseline run-baseline, 95% confidence).",
				"rule 0 (threshold, accuracy): aggregate 0.375 < 0.8 required: the new run's accuracy is below the minimum",
				"rule 3 (no_new_failures): 2 datapoints regressed, at most 1 allowed: dp-02, dp-07 passed in the old run and fail in the new one",
				"rule 4 (min_pass_rate): pass rate lower bound 13.7% < 45% required: the new run's pass rate may be below the minimum (3 of 8 passed, 37.5%, 95% CI [13.7%, 69.4%])"),
		},
		{
			name: "the data source's example passes on the candidate",
			file: basic,
			vars: runs(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline),
			checks: []statecheck.StateCheck{
				expect(release, knownvalue.Bool(true), "passed"),
				expect(release, knownvalue.ListSizeExact(0), "violations"),
			},
		},
		{
			name: "the data source's example fails on the regressed run",
			file: basic,
			vars: runs(localhoneyhive.FixtureRegressed, localhoneyhive.FixtureBaseline),
			wantError: messageLike("Release gate FAILED: 1 of 2 rules failed",
				"rule 1 (no_new_failures, accuracy): 2 datapoints regressed, at most 1 allowed: dp-02, dp-07"),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, tc.run)
	}
}

// A failing policy's verdict in state: violations in order with their
// numbers, every rule's result, the summary and the report.
func TestAccReleaseGate_failingPolicy(t *testing.T) {
	srv := acceptance(t)
	srv.test(t, resource.TestStep{
		Config: gateConfig(localhoneyhive.FixtureRegressed, localhoneyhive.FixtureBaseline, []string{
			`{ kind = "threshold", metric = "accuracy", min = 0.5 }`,
			`{ kind = "non_inferiority", metric = "relevance", margin = 0.02 }`,
			`{ kind = "threshold", metric = "latency_ms", max = 5000 }`,
			`{ kind = "no_new_failures" }`,
		}),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(gateAddr, knownvalue.Bool(false), "passed"),
			expect(gateAddr, knownvalue.ListSizeExact(3), "violations"),
			expect(gateAddr, knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"rule":     knownvalue.Int64Exact(0),
				"kind":     knownvalue.StringExact("threshold"),
				"metric":   knownvalue.StringExact("accuracy"),
				"reason":   knownvalue.StringExact("violated"),
				"observed": number(t, "0.375"),
				"required": knownvalue.StringExact(">= 0.5"),
			}), "violations", 0),
			expect(gateAddr, knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"rule":   knownvalue.Int64Exact(1),
				"reason": knownvalue.StringExact("violated"),
			}), "violations", 1),
			expect(gateAddr, knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"rule":   knownvalue.Int64Exact(3),
				"kind":   knownvalue.StringExact("no_new_failures"),
				"metric": knownvalue.Null(),
				"reason": knownvalue.StringExact("violated"),
			}), "violations", 2),
			expect(gateAddr, knownvalue.Bool(true), "rule_results", 2, "passed"),
			expect(gateAddr, knownvalue.StringRegexp(regexp.MustCompile(
				`^Release gate FAILED: 3 of 4 rules failed \(run-regressed vs baseline run-baseline, 95% confidence\)\.\n`+
					`rule 0 \(threshold, accuracy\): `)), "summary"),
			expect(gateAddr, knownvalue.StringRegexp(regexp.MustCompile(`(?m)^\|.*accuracy.*\|$`)), "report_markdown"),
		},
	})
}

// A rule fails closed, with its reason, when the data cannot show it holds.
func TestAccReleaseGate_failsClosed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, newRun, oldRun string
		rule                 string
		reason               string
		message              string
	}{
		{
			// run-mixed has no accuracy: the comparison lists the baseline's,
			// with no new aggregate.
			name: "missing metric", newRun: localhoneyhive.FixtureMixed, oldRun: localhoneyhive.FixtureBaseline,
			rule:   `{ kind = "threshold", metric = "accuracy", min = 0.5 }`,
			reason: "missing_metric", message: "rule 0 (threshold, accuracy)",
		},
		{
			name: "incomplete run", newRun: localhoneyhive.FixtureRunning, oldRun: localhoneyhive.FixtureBaseline,
			rule:   `{ kind = "threshold", metric = "accuracy", min = 0.5 }`,
			reason: "incomplete_run", message: `the new run run-running has status "running"`,
		},
		{
			name: "too few pairs", newRun: localhoneyhive.FixtureCandidate, oldRun: localhoneyhive.FixtureBaseline,
			rule:   `{ kind = "non_inferiority", metric = "relevance", margin = 0.05, min_pairs = 8 }`,
			reason: "too_few_pairs", message: "7 pairs, at least 8 required",
		},
		{
			// The legacy metrics format has no per-metric pass/fail lists.
			name: "no pass/fail outcomes", newRun: localhoneyhive.FixtureLegacy, oldRun: localhoneyhive.FixtureBaseline,
			rule:   `{ kind = "no_new_failures", metric = "accuracy" }`,
			reason: "outcomes_unknown", message: "the runs carry no pass/fail outcomes for accuracy",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := acceptance(t)
			srv.test(t, resource.TestStep{
				Config: gateConfig(tc.newRun, tc.oldRun, []string{tc.rule}),
				ConfigStateChecks: []statecheck.StateCheck{
					expect(gateAddr, knownvalue.Bool(false), "passed"),
					expect(gateAddr, knownvalue.StringExact(tc.reason), "violations", 0, "reason"),
					expect(gateAddr, knownvalue.Null(), "violations", 0, "observed"),
					// Nothing was counted: a rule that failed closed has no count.
					expect(gateAddr, knownvalue.Null(), "rule_results", 0, "regressed_count"),
					expect(gateAddr, knownvalue.StringRegexp(regexp.MustCompile(regexp.QuoteMeta(tc.message))), "violations", 0, "message"),
					expect(gateAddr, knownvalue.StringRegexp(regexp.MustCompile(regexp.QuoteMeta(tc.message))), "summary"),
				},
			})
		})
	}
}

// Rules that cannot be judged fail the plan with an error naming the rule's
// index and field. Those the configuration alone shows are refused before
// anything is read: their runs do not exist, and the error is the rule's,
// not "not found".
func TestAccReleaseGate_invalidRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name           string
		newRun, oldRun string
		rules          []string
		extra          []string
		want           []string
	}{
		{
			name: "unknown kind", newRun: "no-such-run", oldRun: "no-such-baseline",
			rules: []string{`{ kind = "threshold", metric = "accuracy", min = 0.5 }`, `{ kind = "non_inferior", metric = "relevance" }`},
			want:  []string{"rules[1].kind:", "non_inferior"},
		},
		{
			name: "negative margin", newRun: "no-such-run", oldRun: "no-such-baseline",
			rules: []string{`{ kind = "threshold", metric = "accuracy", min = 0.5 }`, `{ kind = "threshold", metric = "latency_ms", max = 2000 }`,
				`{ kind = "non_inferiority", metric = "relevance", margin = -0.02 }`},
			want: []string{"rules[2].margin:"},
		},
		{
			name: "a field the kind does not take", newRun: "no-such-run", oldRun: "no-such-baseline",
			rules: []string{`{ kind = "threshold", metric = "accuracy", min = 0.5, max_regressed = 1 }`},
			want:  []string{"rules[0].max_regressed:"},
		},
		{
			name: "a field the kind lacks", newRun: "no-such-run", oldRun: "no-such-baseline",
			rules: []string{`{ kind = "non_inferiority", metric = "relevance" }`},
			want:  []string{"rules[0].margin:"},
		},
		{
			name: "unknown metric, with the one meant", newRun: localhoneyhive.FixtureCandidate, oldRun: localhoneyhive.FixtureBaseline,
			rules: []string{`{ kind = "threshold", metric = "accuracy", min = 0.5 }`, `{ kind = "non_inferiority", metric = "relevence", margin = 0.02 }`},
			want: []string{`rules[1].metric names "relevence", which is not a metric of this comparison. Did you mean "relevance"?`,
				"The comparison's metrics are: accuracy, relevance, latency_ms."},
		},
		{
			name: "unknown family member", newRun: localhoneyhive.FixtureCandidate, oldRun: localhoneyhive.FixtureBaseline,
			rules: []string{`{ kind = "family", metrics = ["accuracy", "latency"] }`},
			want:  []string{`rules[0].metrics names "latency"`, `Did you mean "latency_ms"?`},
		},
		{
			// grade is "A", "B": a string metric.
			name: "threshold on a string metric", newRun: localhoneyhive.FixtureMixed, oldRun: localhoneyhive.FixtureBaseline,
			rules: []string{`{ kind = "threshold", metric = "grade", min = 0.5 }`},
			want:  []string{"rules[0].metric:", `metric "grade" is not numeric`},
		},
		{
			// accuracy is on two events in run-repeated: a rule cannot tell which.
			name: "a metric of several events", newRun: localhoneyhive.FixtureRepeated, oldRun: localhoneyhive.FixtureRepeated,
			rules: []string{`{ kind = "non_inferiority", metric = "accuracy", margin = 0.02 }`},
			want:  []string{`rules[0].metric names "accuracy", which this comparison has on 2 events`},
		},
		{
			name: "unknown lower_is_better name", newRun: localhoneyhive.FixtureCandidate, oldRun: localhoneyhive.FixtureBaseline,
			rules: []string{`{ kind = "threshold", metric = "accuracy", min = 0.5 }`},
			extra: []string{`lower_is_better = ["latency"]`},
			want:  []string{`lower_is_better names "latency"`, `Did you mean "latency_ms"?`},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := acceptance(t)
			srv.test(t, resource.TestStep{
				Config:      gateConfig(tc.newRun, tc.oldRun, tc.rules, tc.extra...),
				ExpectError: messageLike(tc.want...),
			})
		})
	}
}

// A rule whose values are not known until apply is checked when they are: the
// plan checks the known rules (and names their index among all the rules),
// and the gate reads once the unknown value is known.
func TestAccReleaseGate_unknownRuleValues(t *testing.T) {
	t.Parallel()
	// timestamp() is unknown until apply, so the margin is too.
	const unknownMargin = `
resource "terraform_data" "margin" {
  input = timestamp()
}
`
	margin := `length(terraform_data.margin.output) > 0 ? 0.05 : 0.05`
	t.Run("known rules are checked at plan time", func(t *testing.T) {
		srv := acceptance(t)
		srv.test(t, resource.TestStep{
			Config: unknownMargin + gateConfig(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline, []string{
				`{ kind = "non_inferiority", metric = "relevance", margin = ` + margin + ` }`,
				`{ kind = "threshold", metric = "accuracy", min = 0.5, margin = 1 }`,
			}),
			ExpectError: messageLike("rules[1].margin:"),
		})
	})
	t.Run("the gate reads once the value is known", func(t *testing.T) {
		srv := acceptance(t)
		srv.test(t, resource.TestStep{
			Config: unknownMargin + gateConfig(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline, []string{
				`{ kind = "non_inferiority", metric = "relevance", margin = ` + margin + ` }`,
			}),
			// timestamp() changes on every plan.
			ExpectNonEmptyPlan: true,
			ConfigStateChecks: []statecheck.StateCheck{
				expect(gateAddr, knownvalue.Bool(true), "passed"),
				expect(gateAddr, knownvalue.StringExact(">= -0.05"), "rule_results", 0, "required"),
			},
		})
	})
}

// A run that cannot be read fails the gate with the comparison's error, not
// a verdict.
func TestAccReleaseGate_readFailure(t *testing.T) {
	srv := acceptance(t)
	srv.test(t, resource.TestStep{
		Config: gateConfig("run-does-not-exist", localhoneyhive.FixtureBaseline, []string{
			`{ kind = "threshold", metric = "accuracy", min = 0.5 }`,
		}),
		ExpectError: messageLike("run-does-not-exist"),
	})
}

// The gate reads the numbers honeyhive_run_comparison gives for the same runs:
// the same interval bound, power, aggregate and regressed datapoints, equal
// as Terraform compares them.
func TestAccReleaseGate_sameNumbersAsTheComparison(t *testing.T) {
	srv := acceptance(t)
	cfg := gateConfig(localhoneyhive.FixtureRegressed, localhoneyhive.FixtureBaseline, []string{
		`{ kind = "non_inferiority", metric = "relevance", margin = 0.1 }`,
		`{ kind = "threshold", metric = "latency_ms", max = 5000 }`,
		`{ kind = "no_new_failures" }`,
		`{ kind = "non_inferiority", metric = "latency_ms", margin = 100 }`,
	}, `lower_is_better = ["latency_ms"]`) + comparisonConfig(localhoneyhive.FixtureRegressed, localhoneyhive.FixtureBaseline,
		`lower_is_better = ["latency_ms"]`) + `
locals {
  gate  = data.honeyhive_release_gate.test.rule_results
  delta = data.honeyhive_run_comparison.test.metric_deltas
}

resource "terraform_data" "same" {
  input = "same"
  lifecycle {
    precondition {
      condition     = local.gate[0].observed == local.delta["relevance"].ci_lower
      error_message = "relevance: ${local.gate[0].observed} != ${local.delta["relevance"].ci_lower}"
    }
    precondition {
      condition     = local.gate[0].minimum_detectable_difference == local.delta["relevance"].minimum_detectable_difference
      error_message = "power: ${local.gate[0].minimum_detectable_difference} != ${local.delta["relevance"].minimum_detectable_difference}"
    }
    precondition {
      condition     = local.gate[1].observed == local.delta["latency_ms"].new_aggregate
      error_message = "latency: ${local.gate[1].observed} != ${local.delta["latency_ms"].new_aggregate}"
    }
    precondition {
      condition     = local.gate[2].regressed_count == data.honeyhive_run_comparison.test.regressed_count
      error_message = "regressed: ${local.gate[2].regressed_count} != ${data.honeyhive_run_comparison.test.regressed_count}"
    }
    precondition {
      # Lower is better: the bound on the worse side is the upper one.
      condition     = local.gate[3].observed == local.delta["latency_ms"].ci_upper
      error_message = "latency interval: ${local.gate[3].observed} != ${local.delta["latency_ms"].ci_upper}"
    }
  }
}
`
	srv.test(t, resource.TestStep{
		Config: cfg,
		ConfigStateChecks: []statecheck.StateCheck{
			expect(gateAddr, knownvalue.Bool(true), "rule_results", 0, "passed"),
			expect("terraform_data.same", knownvalue.StringExact("same"), "input"),
		},
	})
}
