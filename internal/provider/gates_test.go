package provider

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// The gate recipes under examples/ run as written, against the local server:
// each must pass on a good run and fail with its own message on a bad one.
// exampleCase plans one example under examples/ against the local server, as
// a user would run it.
type exampleCase struct {
	name      string
	file      []string
	setup     func(*localhoneyhive.Server) // nil: the fixtures as they are
	vars      config.Variables
	wantError *regexp.Regexp // nil: the gate passes
	checks    []statecheck.StateCheck
}

func (tc exampleCase) run(t *testing.T) {
	srv := acceptance(t)
	if tc.setup != nil {
		tc.setup(srv.Server)
	}
	srv.test(t, resource.TestStep{
		ConfigFile:        example(tc.file...),
		ConfigVariables:   tc.vars,
		ExpectError:       tc.wantError,
		ConfigStateChecks: tc.checks,
	})
}

func TestAccGates_examples(t *testing.T) {
	t.Parallel()
	cases := []exampleCase{
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
			name:      "failed-datapoints gate names the first five failed datapoints of a large run",
			file:      []string{"data-sources", "honeyhive_experiment_run", "failed-datapoints.tf"},
			setup:     func(s *localhoneyhive.Server) { s.PutSyntheticRuns(2000, 5) },
			vars:      config.Variables{"run_id": config.StringVariable("run-synthetic-2000")},
			wantError: regexp.MustCompile(`Accuracy failed on \d+ datapoints of run run-synthetic-2000 \(at most 0\s+allowed\):\s+dp-\d{6},\s+dp-\d{6},\s+dp-\d{6},\s+dp-\d{6},\s+dp-\d{6}\s+and\s+\d{2,4}\s+more\.`),
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
			wantError: messageLike("Accuracy fell by 0.250 against baseline run-baseline (tolerance 0.02)."),
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
			// Nothing the check reads may fail on a run that is not finished:
			// pass_rate is null and latency_ms missing here.
			name: "check block warns without failing on a running run",
			file: []string{"data-sources", "honeyhive_experiment_run", "check.tf"},
			vars: config.Variables{"run_id": config.StringVariable(localhoneyhive.FixtureRunning)},
			checks: []statecheck.StateCheck{
				expect("data.honeyhive_experiment_run.candidate", knownvalue.Null(), "pass_rate"),
			},
		},
		{
			name: "check block warns without failing on a failed run",
			file: []string{"data-sources", "honeyhive_experiment_run", "check.tf"},
			vars: config.Variables{"run_id": config.StringVariable(localhoneyhive.FixtureFailed)},
			checks: []statecheck.StateCheck{
				expect("data.honeyhive_experiment_run.candidate", knownvalue.StringExact("failed"), "status"),
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
		t.Run(tc.name, tc.run)
	}
}

// A check block whose assertion holds, next to a data source gated by its own
// postcondition: the passing form of the soft gate.
func TestAccGates_checkBlockPasses(t *testing.T) {
	srv := acceptance(t)
	srv.test(t, resource.TestStep{
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
	})
}

// Numbers compare exactly with the literals users write, at the boundary of a
// threshold: 0.7 read from the API is == and >= the literal 0.7.
func TestAccGates_exactNumberComparison(t *testing.T) {
	srv := acceptance(t)
	srv.test(t, resource.TestStep{
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
	})
}

// The soft gate stays soft whatever the run holds: under real Terraform the
// documented check example plans successfully, with warnings and no error,
// on a run that is still running (null pass_rate, no metrics), one that
// failed (no latency_ms metric), a completed run without metrics, and one
// whose pass_rate is null because HoneyHive sent no passed/failed lists.
func TestAccGates_checkExampleStaysSoft(t *testing.T) {
	config := readFile(t, filepath.Join("..", "..", "examples", "data-sources", "honeyhive_experiment_run", "check.tf"))
	tests := []struct {
		runID string
		// want are the messages of the failed assertions.
		want []string
	}{
		{localhoneyhive.FixtureCandidate, []string{"Only 77.8% of the datapoints of run run-candidate passed every metric (wanted 90%)."}},
		{localhoneyhive.FixtureRunning, []string{
			"Run run-running has not completed (status running): its results are partial.",
			"No datapoint of run run-running has been judged.",
			"Run run-running has no latency_ms aggregate.",
		}},
		{localhoneyhive.FixtureFailed, []string{
			"Run run-failed has not completed (status failed): its results are partial.",
			"Only 66.7% of the datapoints of run run-failed passed every metric (wanted 90%).",
			"Run run-failed has no latency_ms aggregate.",
		}},
		{localhoneyhive.FixtureEmptyMetrics, []string{"Run run-empty-metrics has no latency_ms aggregate."}},
		{"run-unjudged", []string{
			"Run run-unjudged has not completed (status null): its results are partial.",
			"No datapoint of run run-unjudged has been judged.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.runID, func(t *testing.T) {
			srv := acceptance(t)
			// No status anywhere, no passed/failed lists: pass_rate and status are null.
			srv.PutRunSummary("run-unjudged", []byte(`{"metrics":{"details":[
				{"metric_name":"latency_ms","aggregate":900}]},"datapoints":[]}`))
			result := planDiagnostics(t, srv.env, config, map[string]string{"run_id": tt.runID})
			if !result.Succeeded || len(result.withSeverity("error")) > 0 {
				t.Fatalf("the soft gate failed the plan: %v", result.Diagnostics)
			}
			failed := result.withSummary("Check block assertion failed")
			var got []string
			for _, d := range failed {
				if d.Severity != "warning" {
					t.Errorf("a check assertion is reported as %s: %v", d.Severity, d)
				}
				got = append(got, strings.Join(strings.Fields(d.Detail), " "))
			}
			// Sorted: the order of check results is the CLI's business.
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tt.want))
			if !slices.Equal(got, want) {
				t.Errorf("failed assertions:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}
