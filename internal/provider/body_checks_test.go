package provider

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// A result over the provider's limits, or one listing a datapoint as both
// passed and failed, fails the read with an error that names the setting or
// the lists (issue 21).
func TestAccBodyChecks_errors(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(srv *testServer)
		config    string
		wantError *regexp.Regexp
	}{
		{
			name:   "more metric entries than the default",
			setup:  func(srv *testServer) { srv.InjectFaults("run-wide", localhoneyhive.HostileMetricsSummary(1001)) },
			config: runConfig("run-wide", ""),
			wantError: messageLike("HoneyHive result exceeds max_metrics", `run "run-wide"`,
				"metrics.details holds more than 1000 metric entries", "raise max_metrics in the provider \"honeyhive\" block"),
		},
		{
			name:   "more metric entries than max_metrics",
			setup:  func(srv *testServer) { srv.InjectFaults("run-wide", localhoneyhive.HostileMetricsSummary(11)) },
			config: `provider "honeyhive" { max_metrics = 10 }` + runConfig("run-wide", ""),
			wantError: messageLike("HoneyHive result exceeds max_metrics", "metrics.details holds more than 10 metric entries",
				"The provider reads at most 10 metric entries"),
		},
		{
			name: "a list longer than max_datapoints",
			setup: func(srv *testServer) {
				srv.PutRunSummary("run-long", []byte(`{"status":"completed","passed":["a","b","c"],"failed":[]}`))
			},
			config:    `provider "honeyhive" { max_datapoints = 2 }` + runConfig("run-long", ""),
			wantError: messageLike("HoneyHive result exceeds max_datapoints", "passed holds more than 2 entries", "raise max_datapoints"),
		},
		{
			name: "a comparison over max_datapoints",
			setup: func(srv *testServer) {
				srv.InjectFaults(localhoneyhive.FixtureCandidate, localhoneyhive.OnlyComparisons(localhoneyhive.StatusFault(200,
					"application/json", `{"commonDatapoints":["a","b","c"],"metrics":[]}`)))
			},
			config: `provider "honeyhive" { max_datapoints = 2 }` +
				comparisonConfig(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline),
			wantError: messageLike("HoneyHive result exceeds max_datapoints", "commonDatapoints holds more than 2 entries"),
		},
		{
			name:   "a datapoint both passed and failed",
			setup:  func(srv *testServer) { srv.InjectFaults("run-contradicts", localhoneyhive.ContradictorySummary()) },
			config: runConfig("run-contradicts", ""),
			wantError: messageLike("HoneyHive result contradicts itself", `run "run-contradicts"`,
				`1 datapoint ID is in both passed and failed ("b")`, "the read fails rather than let a gate pass on it"),
		},
		{
			name: "a baseline with a datapoint both passed and failed",
			setup: func(srv *testServer) {
				srv.PutRunSummary("run-contradicts", []byte(localhoneyhive.ContradictorySummaryBody))
			},
			config: comparisonConfig(localhoneyhive.FixtureCandidate, "run-contradicts"),
			wantError: messageLike("HoneyHive result contradicts itself", `"run-contradicts"`,
				"passed and failed", "cannot both pass and fail"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := acceptance(t)
			tt.setup(srv)
			srv.test(t, resource.TestStep{Config: tt.config, ExpectError: tt.wantError})
		})
	}
}

// Null or empty IDs are skipped, repeats counted once and counts follow
// their lists, with a warning that lists each correction; the state holds
// the corrected values.
func TestAccBodyChecks_corrected(t *testing.T) {
	srv := acceptance(t)
	srv.PutRunSummary("run-null-ids", []byte(localhoneyhive.NullIDsSummaryBody))
	const runAddr = "data.honeyhive_experiment_run.test"
	srv.test(t, resource.TestStep{
		Config: runConfig("run-null-ids", ""),
		ConfigStateChecks: []statecheck.StateCheck{
			expect(runAddr, knownvalue.Int64Exact(2), "passed_count"),
			expect(runAddr, knownvalue.Int64Exact(1), "failed_count"),
			expect(runAddr, knownvalue.Int64Exact(3), "datapoint_count"),
			expect(runAddr, knownvalue.Int64Exact(2), "metrics", "accuracy", "datapoints", "passed_count"),
		},
	})
	// Every comparison read gets the inconsistent body, with or without its
	// lists decoded.
	for _, include := range []string{"", "include_datapoints = true"} {
		srv.InjectFaults(localhoneyhive.FixtureCandidate, localhoneyhive.InconsistentComparison(),
			localhoneyhive.InconsistentComparison(), localhoneyhive.InconsistentComparison(),
			localhoneyhive.InconsistentComparison(), localhoneyhive.InconsistentComparison())
		srv.test(t, resource.TestStep{
			Config: comparisonConfig(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline, include),
			ConfigStateChecks: []statecheck.StateCheck{
				expect(comparisonAddr, knownvalue.Int64Exact(3), "common_datapoints"),
				expect(comparisonAddr, knownvalue.Int64Exact(1), "metric_deltas", "accuracy", "degraded_count"),
				expect(comparisonAddr, knownvalue.Int64Exact(1), "metric_deltas", "accuracy", "improved_count"),
				expect(comparisonAddr, knownvalue.Int64Exact(3), "metric_deltas", "accuracy", "found_count"),
				expect(comparisonAddr, strs("accuracy"), "degraded_metrics"),
				expect(comparisonAddr, strs("accuracy"), "improved_metrics"),
			},
		})
	}
}

// The warnings a user sees for corrected results.
func TestAccBodyChecks_warnings(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(srv *testServer)
		config string
		want   []string // fragments of the one warning's summary and detail
	}{
		{
			name:   "null, empty and repeated IDs in a run",
			setup:  func(srv *testServer) { srv.PutRunSummary("run-null-ids", []byte(localhoneyhive.NullIDsSummaryBody)) },
			config: runConfig("run-null-ids", ""),
			want: []string{`run "run-null-ids" has inconsistent datapoint lists`, "a null or empty datapoint ID is skipped",
				"datapoints: 1 null or empty datapoint ID skipped", "passed: 2 null or empty datapoint IDs skipped",
				"failed: 1 repeated datapoint ID counted once", `metric "accuracy" datapoints.passed: 1 null or empty`},
		},
		{
			name: "counts that disagree with their lists",
			setup: func(srv *testServer) {
				srv.InjectFaults(localhoneyhive.FixtureCandidate, localhoneyhive.InconsistentComparison())
			},
			config: comparisonConfig(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline),
			want: []string{"HoneyHive comparison has inconsistent datapoint lists",
				`run "run-candidate" (new_run_id) with run "run-baseline" (old_run_id)`,
				"commonDatapoints: 1 null or empty datapoint ID skipped", "commonDatapoints: 1 repeated datapoint ID counted once",
				`metric "accuracy": improved_count is 2 but the list holds 1; 1 is used`,
				`metric "accuracy" degraded: 1 repeated datapoint ID counted once`,
				`metric "accuracy": degraded_count is 0 but the list holds 1; 1 is used`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := acceptance(t)
			tt.setup(srv)
			result := planDiagnostics(t, srv.env, tt.config, nil)
			if !result.Succeeded || len(result.withSeverity("error")) > 0 {
				t.Fatalf("the plan failed: %v", result.Diagnostics)
			}
			var found []string
			for _, w := range result.withSeverity("warning") {
				if strings.Contains(w.Summary, "inconsistent") {
					found = append(found, w.Summary+": "+w.Detail)
				}
			}
			if len(found) != 1 {
				t.Fatalf("want one warning about inconsistent lists, got %d: %v", len(found), result.Diagnostics)
			}
			for _, f := range tt.want {
				if !strings.Contains(found[0], f) {
					t.Errorf("the warning does not say %q:\n%s", f, found[0])
				}
			}
		})
	}
}
