package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// By default (include_datapoints = false) no per-datapoint list is in state:
// not the datapoints, not the ID lists, not the comparison's lists. Every
// count and statistic is, computed from the full bodies.
func TestAccIncludeDatapoints_default(t *testing.T) {
	srv := acceptance(t)
	srv.test(t, resource.TestStep{
		Config: runConfig(localhoneyhive.FixtureBaseline, "") +
			comparisonConfig(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(runAddr, knownvalue.Bool(false), "include_datapoints"),
			expect(runAddr, knownvalue.Null(), "session_ids"),
			expect(runAddr, knownvalue.Null(), "passed"),
			expect(runAddr, knownvalue.Null(), "failed"),
			expect(runAddr, knownvalue.Int64Exact(8), "datapoint_count"),
			expect(runAddr, knownvalue.Int64Exact(5), "passed_count"),
			expect(runAddr, knownvalue.Int64Exact(3), "failed_count"),
			expect(runAddr, number(t, "0.625"), "pass_rate"),
			expect(runAddr, approxWithin(0.305742, 1e-6), "pass_rate_ci_lower"),
			expect(runAddr, number(t, "0.625"), "metrics", "accuracy", "aggregate"),
			expect(runAddr, knownvalue.ObjectExact(map[string]knownvalue.Check{
				"passed": knownvalue.Null(), "failed": knownvalue.Null(), "values": knownvalue.Null(), "values_text": knownvalue.Null(),
				"passed_count": knownvalue.Int64Exact(5), "failed_count": knownvalue.Int64Exact(3),
			}), "metrics", "accuracy", "datapoints"),
			expect(runAddr, knownvalue.Null(), "metric_details", 1, "datapoints", "failed"),
			expect(runAddr, knownvalue.Int64Exact(3), "metric_details", 1, "datapoints", "failed_count"),
			expect(runAddr, knownvalue.NotNull(), "metric_details", 0, "passing_range"),

			expect(comparisonAddr, knownvalue.Bool(false), "include_datapoints"),
			expect(comparisonAddr, knownvalue.Null(), "common_datapoint_ids"),
			expect(comparisonAddr, knownvalue.Int64Exact(7), "common_datapoints"),
			expect(comparisonAddr, knownvalue.Int64Exact(2), "new_only_datapoints"),
			expect(comparisonAddr, knownvalue.Int64Exact(1), "old_only_datapoints"),
			expect(comparisonAddr, strs("accuracy", "relevance", "latency_ms"), "degraded_metrics"),
			expect(comparisonAddr, knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"improved": knownvalue.Null(), "degraded": knownvalue.Null(), "same": knownvalue.Null(),
				"old_values": knownvalue.Null(), "new_values": knownvalue.Null(),
				"found_count": knownvalue.Int64Exact(7), "improved_count": knownvalue.Int64Exact(2),
				"degraded_count": knownvalue.Int64Exact(1), "same_count": knownvalue.Int64Exact(4),
				"paired_count": knownvalue.Int64Exact(7), "mean_difference": approx(1.0 / 7),
				"ci_lower": approxWithin(-0.495347, 1e-5), "verdict": knownvalue.StringExact("inconclusive"),
			}), "metric_deltas", "accuracy"),
			expect(comparisonAddr, knownvalue.Null(), "metric_delta_details", 2, "improved"),
			expect(comparisonAddr, knownvalue.Int64Exact(6), "metric_delta_details", 2, "improved_count"),
		},
	})
}

// With include_datapoints = true each per-datapoint list is stored once: the
// entry a by-name map holds has its lists there, and the other entries of a
// repeated name have theirs in the details list.
func TestAccIncludeDatapoints_eachListOnce(t *testing.T) {
	srv := acceptance(t)
	srv.test(t, resource.TestStep{
		Config: runConfig(localhoneyhive.FixtureRepeated, "include_datapoints = true") +
			comparisonConfig(localhoneyhive.FixtureRepeated, localhoneyhive.FixtureRepeated, "include_datapoints = true"),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(runAddr, knownvalue.Bool(true), "include_datapoints"),
			// accuracy on retriever fails dp-04; on generator, dp-02 and dp-03.
			expect(runAddr, strs("dp-04"), "metrics", "accuracy", "datapoints", "failed"),
			expect(runAddr, knownvalue.Null(), "metric_details", 0, "datapoints", "failed"),
			expect(runAddr, knownvalue.Int64Exact(1), "metric_details", 0, "datapoints", "failed_count"),
			expect(runAddr, strs("dp-02", "dp-03"), "metric_details", 1, "datapoints", "failed"),
			expect(runAddr, strs("dp-01"), "passed"),
			// Values by event: dp-02 is 1 on retriever, 0 on generator.
			expect(runAddr, number(t, "1"), "metrics", "accuracy", "datapoints", "values", "dp-02"),
			expect(runAddr, knownvalue.Null(), "metric_details", 0, "datapoints", "values"),
			expect(runAddr, number(t, "0"), "metric_details", 1, "datapoints", "values", "dp-02"),
			expect(runAddr, knownvalue.MapSizeExact(4), "metric_details", 1, "datapoints", "values"),

			expect(comparisonAddr, knownvalue.Bool(true), "include_datapoints"),
			expect(comparisonAddr, strs("dp-01", "dp-02", "dp-03", "dp-04"), "common_datapoint_ids"),
			expect(comparisonAddr, strs("dp-01", "dp-02", "dp-03", "dp-04"), "metric_deltas", "accuracy", "same"),
			expect(comparisonAddr, knownvalue.ListSizeExact(4), "metric_deltas", "accuracy", "old_values"),
			expect(comparisonAddr, knownvalue.Null(), "metric_delta_details", 0, "same"),
			expect(comparisonAddr, knownvalue.Null(), "metric_delta_details", 0, "new_values"),
			expect(comparisonAddr, strs("dp-01", "dp-02", "dp-03", "dp-04"), "metric_delta_details", 1, "same"),
			expect(comparisonAddr, knownvalue.ListSizeExact(4), "metric_delta_details", 1, "new_values"),
		},
	})
}
