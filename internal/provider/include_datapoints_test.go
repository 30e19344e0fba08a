package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// With include_datapoints = false the per-datapoint data (the datapoints list
// and each metric's values) stays out of state, and everything a gate reads
// (counts, ID lists, aggregates) stays in.
func TestAccExperimentRun_IncludeDatapointsFalse(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: srv.factories(),
		Steps: []resource.TestStep{{
			Config: runConfig(localhoneyhive.FixtureBaseline, "include_datapoints = false"),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runAddr, knownvalue.Bool(false), "include_datapoints"),
				expect(runAddr, knownvalue.Null(), "datapoints"),
				expect(runAddr, knownvalue.Int64Exact(8), "datapoint_count"),
				expect(runAddr, strs("dp-01", "dp-02", "dp-04", "dp-06", "dp-07"), "passed"),
				expect(runAddr, strs("dp-03", "dp-05", "dp-08"), "failed"),
				expect(runAddr, knownvalue.Int64Exact(5), "passed_count"),
				expect(runAddr, number(t, "0.625"), "pass_rate"),
				expect(runAddr, knownvalue.MapSizeExact(3), "metrics"),
				expect(runAddr, number(t, "0.625"), "metrics", "accuracy", "aggregate"),
				expect(runAddr, knownvalue.StringExact("0.625"), "metrics", "accuracy", "aggregate_text"),
				expect(runAddr, knownvalue.Null(), "metrics", "accuracy", "values"),
				expect(runAddr, knownvalue.Null(), "metrics", "accuracy", "values_text"),
				expect(runAddr, strs("dp-03", "dp-05", "dp-08"), "metrics", "accuracy", "datapoints", "failed"),
				expect(runAddr, knownvalue.ListSizeExact(3), "metric_details"),
				expect(runAddr, knownvalue.Null(), "metric_details", 0, "values"),
				expect(runAddr, knownvalue.Null(), "metric_details", 0, "values_text"),
				expect(runAddr, knownvalue.NotNull(), "metric_details", 0, "passing_range"),
			},
		}},
	})
}

// The default keeps the datapoints, and says so in state.
func TestAccExperimentRun_IncludeDatapointsDefault(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: srv.factories(),
		Steps: []resource.TestStep{
			{
				Config: runConfig(localhoneyhive.FixtureBaseline, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					expect(runAddr, knownvalue.Bool(true), "include_datapoints"),
					expect(runAddr, knownvalue.ListSizeExact(8), "datapoints"),
					expect(runAddr, knownvalue.Int64Exact(8), "datapoint_count"),
					expect(runAddr, knownvalue.ListSizeExact(8), "metrics", "accuracy", "values"),
					expect(runAddr, knownvalue.ListSizeExact(8), "metric_details", 0, "values_text"),
				},
			},
			{
				Config: runConfig(localhoneyhive.FixtureBaseline, "include_datapoints = true"),
				ConfigStateChecks: []statecheck.StateCheck{
					expect(runAddr, knownvalue.Bool(true), "include_datapoints"),
					expect(runAddr, knownvalue.ListSizeExact(8), "datapoints"),
				},
			},
		},
	})
}
