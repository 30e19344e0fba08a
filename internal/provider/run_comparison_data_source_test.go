package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

const comparisonAddr = "data.honeyhive_run_comparison.test"

func comparisonConfig(newRunID, oldRunID string, extra ...string) string {
	return fmt.Sprintf(`
data "honeyhive_run_comparison" "test" {
  new_run_id = %q
  old_run_id = %q
  %s
}
`, newRunID, oldRunID, strings.Join(extra, "\n  "))
}

// approx checks a number within 1e-9 of want, for values the server computes
// in floating point (differences of averages).
func approx(want float64) knownvalue.Check { return approxWithin(want, 1e-9) }

// run-candidate against run-baseline: dp-08 dropped, dp-09 and dp-10 added;
// accuracy up on dp-03 and dp-05, down on dp-07.
func TestAccRunComparison_candidateAgainstBaseline(t *testing.T) {
	srv := acceptance(t)
	srv.test(t, resource.TestStep{
		Config: comparisonConfig(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline, "include_datapoints = true"),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(comparisonAddr, knownvalue.StringExact("average"), "aggregate_function"),
			expect(comparisonAddr, knownvalue.StringExact("completed"), "new_run_status"),
			expect(comparisonAddr, knownvalue.StringExact("completed"), "old_run_status"),
			expect(comparisonAddr, knownvalue.Int64Exact(7), "common_datapoints"),
			expect(comparisonAddr, strs("dp-01", "dp-02", "dp-03", "dp-04", "dp-05", "dp-06", "dp-07"), "common_datapoint_ids"),
			expect(comparisonAddr, knownvalue.Int64Exact(2), "new_only_datapoints"),
			expect(comparisonAddr, knownvalue.Int64Exact(1), "old_only_datapoints"),
			expect(comparisonAddr, strs("accuracy", "relevance", "latency_ms"), "metric_names"),
			expect(comparisonAddr, strs("accuracy", "relevance", "latency_ms"), "improved_metrics"),
			expect(comparisonAddr, strs("accuracy", "relevance", "latency_ms"), "degraded_metrics"),
			expect(comparisonAddr, knownvalue.ObjectExact(map[string]knownvalue.Check{
				"metric_name":       knownvalue.StringExact("accuracy"),
				"metric_type":       knownvalue.StringExact("CLIENT_SIDE"),
				"event_name":        knownvalue.StringExact("predictor"),
				"event_type":        knownvalue.StringExact("chain"),
				"old_aggregate":     number(t, "0.625"),
				"new_aggregate":     approx(8.0 / 9),
				"difference":        approx(8.0/9 - 0.625),
				"percentage_change": approx((8.0/9 - 0.625) / 0.625 * 100),
				"found_count":       knownvalue.Int64Exact(7),
				"improved_count":    knownvalue.Int64Exact(2),
				"degraded_count":    knownvalue.Int64Exact(1),
				"same_count":        knownvalue.Int64Exact(4),
				"improved":          strs("dp-03", "dp-05"),
				"degraded":          strs("dp-07"),
				"same":              strs("dp-01", "dp-02", "dp-04", "dp-06"),
				"old_values":        knownvalue.ListSizeExact(8),
				"new_values":        knownvalue.ListSizeExact(9),
				// Paired on dp-01..dp-07: d = 0 0 +1 0 +1 0 -1. Interval from
				// mean ± t·sd/√7 with t(0.975, 6) = 2.446912 (R: qt(0.975, 6));
				// sign test: 1 down, 2 up, p = 2·P(Bin(3, ½) ≤ 1) = 1.
				"lower_is_better": knownvalue.Bool(false),
				"paired_count":    knownvalue.Int64Exact(7),
				"skipped_count":   knownvalue.Int64Exact(0),
				"mean_difference": approx(1.0 / 7),
				"ci_lower":        approxWithin(-0.495347, 1e-5),
				"ci_upper":        approxWithin(0.781061, 1e-5),
				"p_value":         number(t, "1"),
				"verdict":         knownvalue.StringExact("inconclusive"),
				// R 4.2.2: power.t.test(n = 7, sd = sd(c(0, 0, 1, 0, 1, 0, -1)),
				// sig.level = 0.05, power = 0.8, type = "paired", tol = 1e-12)$delta
				// (R's default tol, 1.2e-4, leaves it off by 5e-7).
				"minimum_detectable_difference": approxWithin(0.878154920592813, 1e-6),
				// accuracy passed dp-07 in the baseline and fails it now;
				// it failed dp-03 and dp-05 and passes them now.
				"regressed_count": knownvalue.Int64Exact(1),
				"fixed_count":     knownvalue.Int64Exact(2),
				// The default family: the 3 metrics, 7 pairs each. R 4.2.2:
				// t.test(new, old, paired = TRUE, conf.level = 1 - 0.05/3)
				// gives [-0.714577783964, 1.000292069678]; the sign tests'
				// p-values 1, 0.21875, 0.125 (binom.test) adjust by Holm
				// (p.adjust(p, "holm")) to 1, 0.4375, 0.375.
				"family_ci_lower": approxWithin(-0.714577783964, 1e-9),
				"family_ci_upper": approxWithin(1.000292069678, 1e-9),
				"family_verdict":  knownvalue.StringExact("inconclusive"),
				"p_value_holm":    number(t, "1"),
			}), "metric_deltas", "accuracy"),
			expect(comparisonAddr, number(t, "0.4375"), "metric_deltas", "relevance", "p_value_holm"),
			expect(comparisonAddr, number(t, "0.375"), "metric_deltas", "latency_ms", "p_value_holm"),
			expect(comparisonAddr, knownvalue.Int64Exact(3), "family_size"),
			// Latency went up, which is higher-is-better by default here.
			expect(comparisonAddr, strs(), "family_regressed_metrics"),
			// The run as a whole: dp-07 passed and fails now, dp-03 failed
			// and passes now (dp-05 fails relevance in both runs).
			expect(comparisonAddr, knownvalue.Int64Exact(1), "regressed_count"),
			expect(comparisonAddr, knownvalue.Int64Exact(1), "fixed_count"),
			expect(comparisonAddr, strs("dp-07"), "regressed_datapoints"),
			expect(comparisonAddr, strs("dp-03"), "fixed_datapoints"),
			expect(comparisonAddr, knownvalue.Int64Exact(5), "metric_deltas", "relevance", "improved_count"),
			expect(comparisonAddr, knownvalue.Int64Exact(6), "metric_deltas", "latency_ms", "improved_count"),
			expect(comparisonAddr, number(t, "60"), "metric_deltas", "latency_ms", "difference"),
			expect(comparisonAddr, knownvalue.ListSizeExact(3), "metric_delta_details"),
			// Each list is stored once: metric_deltas holds the entry of accuracy.
			expect(comparisonAddr, knownvalue.Null(), "metric_delta_details", 0, "degraded"),
			expect(comparisonAddr, knownvalue.Null(), "metric_delta_details", 0, "old_values"),
			expect(comparisonAddr, knownvalue.Int64Exact(1), "metric_delta_details", 0, "degraded_count"),
		},
	})
}

// run-regressed against run-baseline: nothing improved but latency.
func TestAccRunComparison_regressed(t *testing.T) {
	srv := acceptance(t)
	srv.test(t, resource.TestStep{
		Config: comparisonConfig(localhoneyhive.FixtureRegressed, localhoneyhive.FixtureBaseline, "include_datapoints = true"),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(comparisonAddr, knownvalue.Int64Exact(8), "common_datapoints"),
			expect(comparisonAddr, knownvalue.Int64Exact(0), "new_only_datapoints"),
			expect(comparisonAddr, knownvalue.Int64Exact(0), "old_only_datapoints"),
			expect(comparisonAddr, strs("latency_ms"), "improved_metrics"),
			expect(comparisonAddr, strs("accuracy", "relevance", "latency_ms"), "degraded_metrics"),
			expect(comparisonAddr, number(t, "-0.25"), "metric_deltas", "accuracy", "difference"),
			expect(comparisonAddr, strs("dp-02", "dp-07"), "metric_deltas", "accuracy", "degraded"),
		},
	})
}

// A metric computed on two events: each data source's map holds the first
// entry, its details list both.
func TestAccBothDataSources_repeatedMetricName(t *testing.T) {
	srv := acceptance(t)
	srv.test(t, resource.TestStep{
		Config: runConfig(localhoneyhive.FixtureRepeated, "") +
			comparisonConfig(localhoneyhive.FixtureRepeated, localhoneyhive.FixtureRepeated),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(runAddr, strs("accuracy", "accuracy"), "metric_names"),
			expect(runAddr, knownvalue.MapSizeExact(1), "metrics"),
			expect(runAddr, knownvalue.StringExact("retriever"), "metrics", "accuracy", "event_name"),
			expect(runAddr, number(t, "0.75"), "metrics", "accuracy", "aggregate"),
			expect(runAddr, knownvalue.ListSizeExact(2), "metric_details"),
			expect(runAddr, knownvalue.StringExact("generator"), "metric_details", 1, "event_name"),
			expect(runAddr, number(t, "0.5"), "metric_details", 1, "aggregate"),

			expect(comparisonAddr, strs("accuracy"), "metric_names"),
			expect(comparisonAddr, knownvalue.MapSizeExact(1), "metric_deltas"),
			expect(comparisonAddr, knownvalue.StringExact("retriever"), "metric_deltas", "accuracy", "event_name"),
			expect(comparisonAddr, knownvalue.ListSizeExact(2), "metric_delta_details"),
			expect(comparisonAddr, knownvalue.StringExact("generator"), "metric_delta_details", 1, "event_name"),
			expect(comparisonAddr, number(t, "0"), "metric_delta_details", 1, "difference"),
		},
	})
}

// A deployment with only the older routes (/result, /compare-with/): both data
// sources fall back to them.
func TestAccBothDataSources_legacyRoutes(t *testing.T) {
	srv := acceptance(t, localhoneyhive.WithRoutes(localhoneyhive.RoutesLegacyOnly))
	srv.test(t, resource.TestStep{
		Config: runConfig(localhoneyhive.FixtureBaseline, "") +
			comparisonConfig(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(runAddr, number(t, "0.625"), "metrics", "accuracy", "aggregate"),
			expect(comparisonAddr, knownvalue.Int64Exact(7), "common_datapoints"),
		},
	})
	var sawResult, sawCompareWith bool
	for _, r := range srv.RequestLog() {
		sawResult = sawResult || (strings.HasSuffix(r.Path, "/result") && r.Status == 200)
		sawCompareWith = sawCompareWith || (strings.Contains(r.Path, "/compare-with/") && r.Status == 200)
	}
	if !sawResult || !sawCompareWith {
		t.Errorf("expected successful reads on the older routes (result: %v, compare-with: %v)", sawResult, sawCompareWith)
	}
}

// The provider identifies itself and Terraform's version to the server.
func TestAccProvider_userAgent(t *testing.T) {
	srv := acceptance(t)
	srv.test(t, resource.TestStep{Config: runConfig(localhoneyhive.FixtureBaseline, "")})
	log := srv.RequestLog()
	if len(log) == 0 {
		t.Fatal("no request reached the server")
	}
	for _, r := range log {
		if !strings.HasPrefix(r.UserAgent, "terraform-provider-honeyhive/test (Terraform/") || !r.HasAuthorization {
			t.Errorf("request %s: User-Agent %q, Authorization sent: %v", r.Path, r.UserAgent, r.HasAuthorization)
		}
	}
}
