package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// closestName suggests a metric within max(2, len/3) edits, else one that
// contains the name or is contained in it; nothing for a name unlike any.
func TestClosestName(t *testing.T) {
	names := []string{"accuracy", "relevance", "latency_ms", "cost"}
	for _, tt := range []struct {
		name, want string
	}{
		{"relevence", "relevance"},
		{"acuracy", "accuracy"},
		{"accuarcy", "accuracy"},
		{"Accuracy", "accuracy"},         // case is ignored
		{"latency", "latency_ms"},        // contained: 3 edits, too many for 7 letters
		{"latency_ms_p95", "latency_ms"}, // containing
		{"latncy_ms", "latency_ms"},      // 1 edit
		{"costs", "cost"},                // 1 edit
		{"faithfulness", ""},             // unlike any
		{"ms", ""},                       // contained, but too short to mean anything
		{"xyz", ""},                      // within 2 edits of nothing: "cost" is 3 away
		{"cot", "cost"},                  // 1 edit
	} {
		if got := closestName(tt.name, names); got != tt.want {
			t.Errorf("closestName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	// A tie goes to the first in the comparison's order; the nearest wins
	// over an earlier one further away.
	if got := closestName("ab", []string{"abc", "abd"}); got != "abc" {
		t.Errorf("tie: got %q, want abc", got)
	}
	if got := closestName("abcde", []string{"abxyz", "abcdf"}); got != "abcdf" {
		t.Errorf("nearest: got %q, want abcdf", got)
	}
}

// Each unknown name is one error on its argument; a known name none.
func TestUnknownMetricErrors(t *testing.T) {
	names := []string{"accuracy", "relevance", "latency_ms"}
	diags := unknownMetricErrors("gate_metrics", []string{"accuracy", "relevence", "faithfulness"}, names, "it would be lost")
	if len(diags) != 2 || diags.ErrorsCount() != 2 {
		t.Fatalf("want two errors, got %v", diags)
	}
	for i, want := range [][]string{
		{`gate_metrics names "relevence", which is not a metric of this comparison`, `Did you mean "relevance"?`,
			"The comparison's metrics are: accuracy, relevance, latency_ms.", "it would be lost", "Correct the name"},
		{`gate_metrics names "faithfulness"`, "accuracy, relevance, latency_ms"},
	} {
		if diags[i].Summary() != "Unknown metric in gate_metrics" {
			t.Errorf("summary %q", diags[i].Summary())
		}
		for _, w := range want {
			if !strings.Contains(diags[i].Detail(), w) {
				t.Errorf("error %d does not say %q:\n%s", i, w, diags[i].Detail())
			}
		}
	}
	if strings.Contains(diags[1].Detail(), "Did you mean") {
		t.Errorf("a name unlike any gets a suggestion: %s", diags[1].Detail())
	}
	if diags := unknownMetricErrors("lower_is_better", []string{"latency_ms"}, names, "x"); len(diags) != 0 {
		t.Errorf("a known name: %v", diags)
	}
	if diags := unknownMetricErrors("lower_is_better", nil, nil, "x"); len(diags) != 0 {
		t.Errorf("no names listed: %v", diags)
	}
	diags = unknownMetricErrors("lower_is_better", []string{"latency_ms"}, nil, "x")
	if len(diags) != 1 || !strings.Contains(diags[0].Detail(), "lists no metrics at all") ||
		!strings.Contains(diags[0].Detail(), "rather than gate on nothing") {
		t.Errorf("a comparison without metrics: %v", diags)
	}
}

// A misspelt name in lower_is_better or gate_metrics fails the plan with an
// error on that argument that lists the comparison's metrics and, where a
// metric is close, the one meant; a comparison that lists no metrics fails
// too. A correct name passes.
func TestAccRunComparison_unknownMetricNames(t *testing.T) {
	srv := acceptance(t)
	comparison := func(newRun, oldRun, arguments string) string {
		return fmt.Sprintf(`
data "honeyhive_run_comparison" "test" {
  new_run_id = %q
  old_run_id = %q
  %s
}
`, newRun, oldRun, arguments)
	}
	qa := func(arguments string) string {
		return comparison(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline, arguments)
	}
	metrics := "The comparison's metrics are: accuracy, relevance, latency_ms."
	for _, tc := range []struct {
		name    string
		config  string
		wantErr *regexp.Regexp
		checks  []statecheck.StateCheck
	}{
		{
			name:   "lower_is_better misspelt",
			config: qa(`lower_is_better = ["latency"]`),
			wantErr: messageLike("Unknown metric in lower_is_better", `lower_is_better names "latency", which is not a metric`,
				`Did you mean "latency_ms"?`, metrics, "would read as higher-is-better"),
		},
		{
			name:   "gate_metrics misspelt",
			config: qa(`gate_metrics = ["relevence", "accuracy"]`),
			wantErr: messageLike("Unknown metric in gate_metrics", `gate_metrics names "relevence"`,
				`Did you mean "relevance"?`, metrics, "left out of the family"),
		},
		{
			name:    "a name unlike any metric",
			config:  qa(`gate_metrics = ["faithfulness"]`),
			wantErr: messageLike(`gate_metrics names "faithfulness", which is not a metric of this comparison. ` + metrics),
		},
		{
			// Every misspelt name is reported at once, the first argument's too.
			name:   "both arguments misspelt",
			config: qa(`lower_is_better = ["latncy_ms"]` + "\n  " + `gate_metrics = ["acuracy"]`),
			wantErr: messageLike(`lower_is_better names "latncy_ms"`, `Did you mean "latency_ms"?`,
				`gate_metrics names "acuracy"`, `Did you mean "accuracy"?`),
		},
		{
			// A fresh run lists no metrics yet: no name can be right.
			name:   "a comparison without metrics",
			config: comparison(localhoneyhive.FixtureRunning, localhoneyhive.FixtureEmptyMetrics, `lower_is_better = ["latency_ms"]`),
			wantErr: messageLike(`lower_is_better names "latency_ms", but this comparison lists no metrics at all`,
				"The runs may not have completed yet (wait_for_completion = true waits for them)"),
		},
		{
			name:   "correct names pass",
			config: qa(`lower_is_better = ["latency_ms"]` + "\n  " + `gate_metrics = ["relevance", "latency_ms"]`),
			checks: []statecheck.StateCheck{
				expect(comparisonAddr, knownvalue.Bool(true), "metric_deltas", "latency_ms", "lower_is_better"),
				expect(comparisonAddr, knownvalue.Int64Exact(2), "family_size"),
				expect(comparisonAddr, knownvalue.Null(), "metric_deltas", "accuracy", "family_verdict"),
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv.test(t, resource.TestStep{
				Config:            tc.config,
				ExpectError:       tc.wantErr,
				ConfigStateChecks: tc.checks,
			})
		})
	}
}

// The misspelt name is an error, not a warning, and the error is on the
// argument: Terraform reports exactly one error per unknown name.
func TestAccRunComparison_unknownMetricIsOneErrorPerName(t *testing.T) {
	srv := acceptance(t)
	srv.PutSummarizerRuns()
	result := planDiagnostics(t, srv.env, summarizerComparison(`  gate_metrics = ["faithfullness", "coverage", "concisness"]`), nil)
	if result.Succeeded {
		t.Fatalf("the plan passed with misspelt gate_metrics:\n%s", result.Output)
	}
	errs := result.withSeverity("error")
	if len(errs) != 2 || len(result.withSummary("Unknown metric in gate_metrics")) != 2 {
		t.Fatalf("want two errors about gate_metrics, got %v", result.Diagnostics)
	}
	// Terraform orders a set's names itself: find each name's error.
	for name, suggestion := range map[string]string{"faithfullness": "faithfulness", "concisness": "conciseness"} {
		var detail string
		for _, e := range errs {
			if d := strings.Join(strings.Fields(e.Detail), " "); strings.Contains(d, fmt.Sprintf("%q,", name)) {
				detail = d
			}
		}
		for _, w := range []string{fmt.Sprintf("Did you mean %q?", suggestion), "faithfulness, coverage, conciseness, latency_ms"} {
			if !strings.Contains(detail, w) {
				t.Errorf("the error about %q does not say %q:\n%s", name, w, detail)
			}
		}
	}
}
