package provider

import (
	"regexp"

	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// The gate recipes under examples/ run as written, against the local server:
// each must pass on a good run and fail with its own message on a bad one.
func TestAccGates_examples(t *testing.T) {
	cases := []struct {
		name      string
		file      []string
		vars      config.Variables
		wantError *regexp.Regexp // nil: the gate passes
		checks    []statecheck.StateCheck
	}{
		{
			name: "postcondition passes on a good run",
			file: []string{"data-sources", "honeyhive_experiment_run", "postcondition.tf"},
			vars: config.Variables{"run_id": config.StringVariable(localhoneyhive.FixtureCandidate)},
			checks: []statecheck.StateCheck{
				expect("data.honeyhive_experiment_run.candidate", knownvalue.StringExact("completed"), "status"),
			},
		},
		{
			name:      "postcondition fails on low accuracy with the user's message",
			file:      []string{"data-sources", "honeyhive_experiment_run", "postcondition.tf"},
			vars:      config.Variables{"run_id": config.StringVariable(localhoneyhive.FixtureRegressed)},
			wantError: messageLike("Accuracy of run run-regressed is 0.375, below the required 0.8."),
		},
		{
			name: "postcondition threshold is a variable",
			file: []string{"data-sources", "honeyhive_experiment_run", "postcondition.tf"},
			vars: config.Variables{
				"run_id":       config.StringVariable(localhoneyhive.FixtureRegressed),
				"min_accuracy": config.FloatVariable(0.375),
			},
		},
		{
			name:      "postcondition fails on a run that has not completed",
			file:      []string{"data-sources", "honeyhive_experiment_run", "postcondition.tf"},
			vars:      config.Variables{"run_id": config.StringVariable(localhoneyhive.FixtureRunning)},
			wantError: messageLike("Run run-running is running, not completed"),
		},
		{
			name: "large-run gate passes without per-datapoint data",
			file: []string{"data-sources", "honeyhive_experiment_run", "large-run.tf"},
			vars: config.Variables{"run_id": config.StringVariable(localhoneyhive.FixtureCandidate)},
			checks: []statecheck.StateCheck{
				expect("data.honeyhive_experiment_run.nightly", knownvalue.Null(), "session_ids"),
				expect("data.honeyhive_experiment_run.nightly", knownvalue.Null(), "failed"),
				expect("data.honeyhive_experiment_run.nightly", knownvalue.Null(), "metrics", "accuracy", "datapoints", "failed"),
				expect("data.honeyhive_experiment_run.nightly", knownvalue.Int64Exact(1), "metrics", "accuracy", "datapoints", "failed_count"),
			},
		},
		{
			name:      "large-run gate counts the failed datapoints",
			file:      []string{"data-sources", "honeyhive_experiment_run", "large-run.tf"},
			vars:      config.Variables{"run_id": config.StringVariable(localhoneyhive.FixtureRegressed)},
			wantError: messageLike("Only 3 of 8 datapoints passed run run-regressed (5 failed)."),
		},
		{
			name: "failed-datapoints gate passes within the allowance",
			file: []string{"data-sources", "honeyhive_experiment_run", "failed-datapoints.tf"},
			vars: config.Variables{
				"run_id":     config.StringVariable(localhoneyhive.FixtureBaseline),
				"max_failed": config.IntegerVariable(3),
			},
			checks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValueAtPath("failed_accuracy", jsonPath("dp-03"), number(t, "0")),
				statecheck.ExpectKnownOutputValue("failed_accuracy", knownvalue.MapSizeExact(3)),
			},
		},
		{
			name:      "failed-datapoints gate names the failed datapoints",
			file:      []string{"data-sources", "honeyhive_experiment_run", "failed-datapoints.tf"},
			vars:      config.Variables{"run_id": config.StringVariable(localhoneyhive.FixtureBaseline)},
			wantError: messageLike("Accuracy failed on 3 datapoints of run run-baseline (at most 0 allowed): dp-03, dp-05, dp-08."),
		},
		{
			name: "degraded-datapoints gate passes when nothing went down",
			file: []string{"data-sources", "honeyhive_run_comparison", "degraded-datapoints.tf"},
			vars: config.Variables{
				"candidate_run_id": config.StringVariable(localhoneyhive.FixtureBaseline),
				"baseline_run_id":  config.StringVariable(localhoneyhive.FixtureBaseline),
			},
			checks: []statecheck.StateCheck{
				expect("data.honeyhive_run_comparison.release", knownvalue.ListSizeExact(8), "metric_deltas", "accuracy", "same"),
			},
		},
		{
			name: "degraded-datapoints gate names the datapoints that went down",
			file: []string{"data-sources", "honeyhive_run_comparison", "degraded-datapoints.tf"},
			vars: config.Variables{
				"candidate_run_id": config.StringVariable(localhoneyhive.FixtureRegressed),
				"baseline_run_id":  config.StringVariable(localhoneyhive.FixtureBaseline),
			},
			wantError: messageLike("Accuracy went down on 2 datapoints against baseline run-baseline: dp-02, dp-07."),
		},
		{
			name: "precondition passes against the pinned baseline",
			file: []string{"data-sources", "honeyhive_run_comparison", "precondition.tf"},
			vars: config.Variables{
				"candidate_run_id": config.StringVariable(localhoneyhive.FixtureCandidate),
				"baseline_run_id":  config.StringVariable(localhoneyhive.FixtureBaseline),
			},
			checks: []statecheck.StateCheck{
				expect("terraform_data.deploy", knownvalue.StringExact(localhoneyhive.FixtureCandidate), "input"),
			},
		},
		{
			name: "precondition fails on a regression with the user's message",
			file: []string{"data-sources", "honeyhive_run_comparison", "precondition.tf"},
			vars: config.Variables{
				"candidate_run_id": config.StringVariable(localhoneyhive.FixtureRegressed),
				"baseline_run_id":  config.StringVariable(localhoneyhive.FixtureBaseline),
			},
			wantError: messageLike("Accuracy fell by 0.25 against baseline run-baseline (tolerance 0.02)."),
		},
		{
			name: "pinned baseline must not be blank",
			file: []string{"data-sources", "honeyhive_run_comparison", "precondition.tf"},
			vars: config.Variables{
				"candidate_run_id": config.StringVariable(localhoneyhive.FixtureCandidate),
				"baseline_run_id":  config.StringVariable("  "),
			},
			wantError: messageLike("baseline_run_id must name the approved baseline run"),
		},
		{
			// pass_rate 7/9 misses the check's 90 %: a check block warns and
			// the run goes on; that is what makes it a soft gate.
			name: "check block warns without failing",
			file: []string{"data-sources", "honeyhive_experiment_run", "check.tf"},
			vars: config.Variables{"run_id": config.StringVariable(localhoneyhive.FixtureCandidate)},
			checks: []statecheck.StateCheck{
				expect("data.honeyhive_experiment_run.candidate", knownvalue.Int64Exact(7), "passed_count"),
				expect("data.honeyhive_experiment_run.candidate", knownvalue.Int64Exact(2), "failed_count"),
				expect("data.honeyhive_experiment_run.candidate", number(t, "0.7777777777777778"), "pass_rate"),
			},
		},
		{
			name: "run data source example",
			file: []string{"data-sources", "honeyhive_experiment_run", "data-source.tf"},
			vars: config.Variables{"run_id": config.StringVariable(localhoneyhive.FixtureBaseline)},
			checks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("status", knownvalue.StringExact("completed")),
				statecheck.ExpectKnownOutputValueAtPath("aggregates", jsonPath("accuracy"), number(t, "0.625")),
			},
		},
		{
			name: "comparison data source example",
			file: []string{"data-sources", "honeyhive_run_comparison", "data-source.tf"},
			vars: config.Variables{
				"candidate_run_id": config.StringVariable(localhoneyhive.FixtureRegressed),
				"baseline_run_id":  config.StringVariable(localhoneyhive.FixtureBaseline),
			},
			checks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("accuracy_change", number(t, "-0.25")),
				statecheck.ExpectKnownOutputValueAtPath("datapoints", jsonPath("common"), number(t, "8")),
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: srv.factories(),
				Steps: []resource.TestStep{{
					ConfigFile:        example(tc.file...),
					ConfigVariables:   tc.vars,
					ExpectError:       tc.wantError,
					ConfigStateChecks: tc.checks,
				}},
			})
		})
	}
}

// A check block whose assertion holds, next to a data source gated by its own
// postcondition: the passing form of the soft gate.
func TestAccGates_checkBlockPasses(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: srv.factories(),
		Steps: []resource.TestStep{{
			Config: `
data "honeyhive_experiment_run" "baseline" {
  run_id = "run-baseline"
}

check "baseline_accuracy" {
  assert {
    condition     = data.honeyhive_experiment_run.baseline.metrics["accuracy"].aggregate == 0.625
    error_message = "unexpected accuracy"
  }
}

output "checked" {
  value = data.honeyhive_experiment_run.baseline.metrics["accuracy"].aggregate
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("checked", number(t, "0.625")),
			},
		}},
	})
}

// Numbers compare exactly with the literals users write, at the boundary of a
// threshold: 0.7 read from the API is == and >= the literal 0.7.
func TestAccGates_exactNumberComparison(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: srv.factories(),
		Steps: []resource.TestStep{{
			Config: `
data "honeyhive_experiment_run" "baseline" {
  run_id             = "run-baseline"
  include_datapoints = true

  lifecycle {
    postcondition {
      # relevance of dp-08 is 0.69 and its passing range starts at 0.7.
      condition     = self.metrics["relevance"].passing_range.min == 0.7 && self.metrics["relevance"].passing_range.min >= 0.7
      error_message = "passing_range.min is ${self.metrics["relevance"].passing_range.min}, not exactly 0.7"
    }
    postcondition {
      condition     = self.metrics["relevance"].datapoints.values["dp-08"] == 0.69
      error_message = "value is ${self.metrics["relevance"].datapoints.values["dp-08"]}, not exactly 0.69"
    }
  }
}
`,
		}},
	})
}
