package provider

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

const runAddr = "data.honeyhive_experiment_run.test"

func runConfig(runID string, extra string) string {
	return `
data "honeyhive_experiment_run" "test" {
  run_id = "` + runID + `"
  ` + extra + `
}
`
}

// The run-baseline fixture: 8 datapoints, accuracy 5/8, relevance and latency.
func TestAccExperimentRun_detailsFormat(t *testing.T) {
	srv := acceptance(t)
	srv.test(t, resource.TestStep{
		Config: runConfig(localhoneyhive.FixtureBaseline, "include_datapoints = true"),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(runAddr, knownvalue.StringExact("average"), "aggregate_function"),
			expect(runAddr, knownvalue.StringExact("average"), "aggregation_function"),
			expect(runAddr, knownvalue.StringExact("completed"), "status"),
			expect(runAddr, knownvalue.Null(), "error"),
			expect(runAddr, strs("dp-01", "dp-02", "dp-04", "dp-06", "dp-07"), "passed"),
			expect(runAddr, strs("dp-03", "dp-05", "dp-08"), "failed"),
			expect(runAddr, knownvalue.Int64Exact(5), "passed_count"),
			expect(runAddr, knownvalue.Int64Exact(3), "failed_count"),
			expect(runAddr, number(t, "0.625"), "pass_rate"),
			// Wilson score interval for 5/8 at 95 %, computed from the formula
			// with z = 1.959964 (R: qnorm(0.975)).
			expect(runAddr, approxWithin(0.305742, 1e-6), "pass_rate_ci_lower"),
			expect(runAddr, approxWithin(0.863156, 1e-6), "pass_rate_ci_upper"),
			expect(runAddr, knownvalue.Float64Exact(0.95), "confidence_level"),
			expect(runAddr, knownvalue.Int64Exact(8), "datapoint_count"),
			expect(runAddr, strs("accuracy", "relevance", "latency_ms"), "metric_names"),
			expect(runAddr, knownvalue.MapSizeExact(3), "metrics"),
			expect(runAddr, knownvalue.ObjectExact(map[string]knownvalue.Check{
				"metric_name":    knownvalue.StringExact("accuracy"),
				"metric_type":    knownvalue.StringExact("CLIENT_SIDE"),
				"event_name":     knownvalue.StringExact("predictor"),
				"event_type":     knownvalue.StringExact("chain"),
				"aggregate":      number(t, "0.625"),
				"aggregate_text": knownvalue.StringExact("0.625"),
				"passing_range": knownvalue.ObjectExact(map[string]knownvalue.Check{
					"min": number(t, "1"), "max": number(t, "1"),
				}),
				"datapoints": knownvalue.ObjectExact(map[string]knownvalue.Check{
					"passed":       strs("dp-01", "dp-02", "dp-04", "dp-06", "dp-07"),
					"failed":       strs("dp-03", "dp-05", "dp-08"),
					"passed_count": knownvalue.Int64Exact(5),
					"failed_count": knownvalue.Int64Exact(3),
					"values": knownvalue.MapExact(map[string]knownvalue.Check{
						"dp-01": number(t, "1"), "dp-02": number(t, "1"), "dp-03": number(t, "0"), "dp-04": number(t, "1"),
						"dp-05": number(t, "0"), "dp-06": number(t, "1"), "dp-07": number(t, "1"), "dp-08": number(t, "0"),
					}),
					"values_text": knownvalue.MapExact(map[string]knownvalue.Check{}),
				}),
			}), "metrics", "accuracy"),
			// Each list is stored once: metrics holds the entry of accuracy.
			expect(runAddr, knownvalue.ObjectExact(map[string]knownvalue.Check{
				"passed": knownvalue.Null(), "failed": knownvalue.Null(), "values": knownvalue.Null(), "values_text": knownvalue.Null(),
				"passed_count": knownvalue.Int64Exact(5), "failed_count": knownvalue.Int64Exact(3),
			}), "metric_details", 0, "datapoints"),
			// 1110 ms is the mean of the eight latencies in the fixture.
			expect(runAddr, number(t, "1110"), "metrics", "latency_ms", "aggregate"),
			expect(runAddr, knownvalue.ListSizeExact(3), "metric_details"),
			expect(runAddr, knownvalue.StringExact("relevance"), "metric_details", 1, "metric_name"),
			// Each datapoint's value, keyed by datapoint, under its metric.
			expect(runAddr, knownvalue.MapSizeExact(8), "metrics", "relevance", "datapoints", "values"),
			expect(runAddr, number(t, "0.64"), "metrics", "relevance", "datapoints", "values", "dp-03"),
			expect(runAddr, knownvalue.MapExact(map[string]knownvalue.Check{}), "metrics", "relevance", "datapoints", "values_text"),
			expect(runAddr, knownvalue.MapSizeExact(8), "session_ids"),
			expect(runAddr, knownvalue.NotNull(), "session_ids", "dp-03"),
			expect(runAddr, knownvalue.Null(), "metric_details", 1, "datapoints", "values"),
		},
	})
}

// aggregate_function is sent to the server and changes the aggregates; a
// value the server does not know fails at validation, before any request.
func TestAccExperimentRun_aggregateFunction(t *testing.T) {
	srv := acceptance(t)
	srv.test(t,
		resource.TestStep{
			Config:      runConfig(localhoneyhive.FixtureBaseline, `aggregate_function = "mean"`),
			PlanOnly:    true,
			ExpectError: messageLike(`aggregate_function value must be one of: ["average" "min" "max" "median" "p90" "p95" "p99" "sum" "count"], got: "mean"`),
		},
		resource.TestStep{
			PreConfig: func() {
				if n := srv.Requests(localhoneyhive.FixtureBaseline); n != 0 {
					t.Errorf("an invalid aggregate_function reached the server %d times; it must fail at validation", n)
				}
			},
			Config: runConfig(localhoneyhive.FixtureBaseline, `aggregate_function = "max"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runAddr, knownvalue.StringExact("max"), "aggregation_function"),
				expect(runAddr, number(t, "1490"), "metrics", "latency_ms", "aggregate"),
				expect(runAddr, number(t, "0.91"), "metrics", "relevance", "aggregate"),
			},
		},
	)
}

// The legacy metrics format: every key of metrics is a metric.
func TestAccExperimentRun_legacyFormat(t *testing.T) {
	srv := acceptance(t)
	srv.test(t, resource.TestStep{
		Config: runConfig(localhoneyhive.FixtureLegacy, "include_datapoints = true"),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(runAddr, strs("accuracy", "relevance"), "metric_names"),
			expect(runAddr, number(t, "0.85"), "metrics", "accuracy", "aggregate"),
			// The legacy entries carry no ID lists; their values come from the datapoints.
			expect(runAddr, knownvalue.MapExact(map[string]knownvalue.Check{"dp-01": number(t, "0.8"), "dp-02": number(t, "0.9")}),
				"metrics", "accuracy", "datapoints", "values"),
			expect(runAddr, knownvalue.Null(), "metrics", "accuracy", "datapoints", "failed_count"),
			expect(runAddr, knownvalue.Null(), "metrics", "accuracy", "metric_type"),
			expect(runAddr, knownvalue.Null(), "metrics", "accuracy", "passing_range"),
			expect(runAddr, number(t, "0.775"), "metrics", "relevance", "aggregate"),
			expect(runAddr, number(t, "1"), "pass_rate"),
		},
	})
}

// Booleans are 1/0, strings stay readable as text, nulls stay null.
func TestAccExperimentRun_awkwardValues(t *testing.T) {
	srv := acceptance(t)
	srv.test(t, resource.TestStep{
		Config: runConfig(localhoneyhive.FixtureMixed, "include_datapoints = true"),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(runAddr, number(t, "1"), "metrics", "is_safe", "aggregate"),
			expect(runAddr, knownvalue.StringExact("true"), "metrics", "is_safe", "aggregate_text"),
			expect(runAddr, knownvalue.MapExact(map[string]knownvalue.Check{
				"dp-m1": number(t, "1"), "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6": number(t, "0"),
			}), "metrics", "is_safe", "datapoints", "values"),
			expect(runAddr, knownvalue.MapExact(map[string]knownvalue.Check{}), "metrics", "is_safe", "datapoints", "values_text"),
			expect(runAddr, knownvalue.Null(), "metrics", "grade", "aggregate"),
			expect(runAddr, knownvalue.StringExact("B"), "metrics", "grade", "aggregate_text"),
			// Strings are null numbers, readable in values_text.
			expect(runAddr, knownvalue.MapExact(map[string]knownvalue.Check{
				"dp-m1": knownvalue.Null(), "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6": knownvalue.Null(),
			}), "metrics", "grade", "datapoints", "values"),
			expect(runAddr, knownvalue.MapExact(map[string]knownvalue.Check{
				"dp-m1": knownvalue.StringExact("A"), "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6": knownvalue.StringExact("B"),
			}), "metrics", "grade", "datapoints", "values_text"),
			expect(runAddr, knownvalue.Null(), "metrics", "grade", "passing_range"),
			expect(runAddr, knownvalue.Null(), "metrics", "coherence", "aggregate"),
			expect(runAddr, knownvalue.Null(), "metrics", "coherence", "aggregate_text"),
			expect(runAddr, knownvalue.Null(), "metrics", "coherence", "event_name"),
			expect(runAddr, knownvalue.Null(), "metrics", "coherence", "datapoints", "values", "dp-m1"),
			expect(runAddr, knownvalue.MapExact(map[string]knownvalue.Check{
				"dp-m1": number(t, "1200"), "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6": knownvalue.Null(),
			}), "metrics", "latency_ms", "datapoints", "values"),
			// A datapoint without an ID is keyed by its session ID; one
			// without metrics (dp-m3) has no values.
			expect(runAddr, knownvalue.MapExact(map[string]knownvalue.Check{
				"dp-m1": knownvalue.StringExact("7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d1"),
				"dp-m3": knownvalue.StringExact("7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d3"),
			}), "session_ids"),
			expect(runAddr, knownvalue.Bool(false), "success"),
		},
	})
}

// A running run with no metrics yet is read, not an error: gates decide.
func TestAccExperimentRun_runningRun(t *testing.T) {
	srv := acceptance(t)
	srv.test(t, resource.TestStep{
		Config: runConfig(localhoneyhive.FixtureRunning, ""),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(runAddr, knownvalue.StringExact("running"), "status"),
			expect(runAddr, knownvalue.Bool(false), "success"),
			expect(runAddr, knownvalue.ListSizeExact(0), "metric_names"),
			expect(runAddr, knownvalue.MapSizeExact(0), "metrics"),
			expect(runAddr, knownvalue.Null(), "pass_rate"),
		},
	})
}

// confidence_level sets the interval's level; one outside (0, 1) fails at
// validation.
func TestAccExperimentRun_confidenceLevel(t *testing.T) {
	srv := acceptance(t)
	srv.test(t,
		resource.TestStep{
			Config:      runConfig(localhoneyhive.FixtureBaseline, "confidence_level = 1.5"),
			PlanOnly:    true,
			ExpectError: messageLike("Invalid confidence level", "confidence_level must be between 0 and 1 (exclusive), such as 0.95; got 1.5"),
		},
		resource.TestStep{
			// A lower level gives a narrower interval around the same rate.
			Config: runConfig(localhoneyhive.FixtureBaseline, "confidence_level = 0.5"),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(runAddr, number(t, "0.625"), "pass_rate"),
				expect(runAddr, knownvalue.NumberFunc(func(v *big.Float) error {
					if f, _ := v.Float64(); f <= 0.305742 || f >= 0.625 {
						return fmt.Errorf("pass_rate_ci_lower %v at 50 %% should lie between the 95 %% bound and the rate", f)
					}
					return nil
				}), "pass_rate_ci_lower"),
			},
		},
	)
}
