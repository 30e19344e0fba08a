package provider

import (
	"strings"
	"testing"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// Each status that is not "completed", and a completed run without metrics,
// gets one warning naming the run, its status and what to do about it.
func TestRunResultWarnings(t *testing.T) {
	summary := func(status models.ExperimentRunStatus, body string) *models.ExperimentResultSummary {
		s, err := models.DecodeExperimentResultSummary("run-x", []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		s.Status = status
		return s
	}
	withMetrics := `{"passed":["a"],"failed":["b"],"metrics":{"details":[{"metric_name":"accuracy","aggregate":0.5}]}}`
	noMetrics := `{"passed":["a","b","c"],"failed":[],"metrics":{"details":[]}}`
	tests := []struct {
		name    string
		role    runRole
		summary *models.ExperimentResultSummary
		waited  bool
		want    []string // fragments of the one warning; nil: no warning
		notWant []string
	}{
		{name: "completed with metrics", role: roleRun, summary: summary("completed", withMetrics)},
		{name: "running", role: roleRun, summary: summary("running", withMetrics),
			want: []string{`HoneyHive run "run-x" has not completed`, `Run "run-x" has status "running", not "completed"`,
				"partial", "wait_for_completion = true", `status == "completed"`}},
		{name: "pending, already waited", role: roleRun, summary: summary("pending", withMetrics), waited: true,
			want: []string{`has status "pending"`, `status == "completed"`}, notWant: []string{"wait_for_completion"}},
		{name: "failed with its error", role: roleRun,
			summary: summary("failed", `{"error":"evaluator crashed","passed":[],"failed":[]}`),
			want: []string{`has status "failed"`, `HoneyHive reports the error "evaluator crashed"`,
				"waiting does not help", `status == "completed"`}, notWant: []string{"wait_for_completion = true"}},
		{name: "cancelled", role: roleRun, summary: summary("cancelled", withMetrics),
			want: []string{`has status "cancelled"`, "waiting does not help"}},
		{name: "a status HoneyHive adds later", role: roleRun, summary: summary("archived", withMetrics),
			want: []string{`has status "archived", not "completed"`, "wait_for_completion = true"}},
		{name: "no status", role: roleRun, summary: summary("", withMetrics),
			want: []string{`HoneyHive run "run-x" has no status`, "in its summary or its run object", "fails closed"}},
		{name: "completed without metrics", role: roleRun, summary: summary("completed", noMetrics),
			want: []string{`HoneyHive run "run-x" has no metrics`, "no evaluator has judged it",
				"Its 3 datapoints pass vacuously, so pass_rate is 1 with nothing judged", "wait_for_completion = true"}},
		{name: "completed without metrics or datapoints", role: roleRun, summary: summary("completed", `{"metrics":{}}`),
			want: []string{"has no metrics", "judges nothing"}, notWant: []string{"vacuously"}},
		{name: "new run of a comparison, running", role: roleNew, summary: summary("running", withMetrics),
			want: []string{`HoneyHive new run "run-x" has not completed`, `The new run "run-x" (new_run_id) has status "running"`,
				"metric_deltas", `new_run_status == "completed"`}},
		{name: "old run of a comparison, without metrics", role: roleOld, summary: summary("completed", noMetrics),
			want: []string{`HoneyHive old run "run-x" has no metrics`, `The old run "run-x" (old_run_id) completed`,
				"nothing of it to compare"}, notWant: []string{"pass_rate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diags := runResultWarnings(tt.role, tt.summary, tt.waited)
			if tt.want == nil {
				if len(diags) != 0 {
					t.Fatalf("want no diagnostic, got %v", diags)
				}
				return
			}
			if len(diags) != 1 || diags.WarningsCount() != 1 {
				t.Fatalf("want exactly one warning, got %v", diags)
			}
			text := diags[0].Summary() + ": " + diags[0].Detail()
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("warning does not say %q:\n%s", w, text)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(text, w) {
					t.Errorf("warning says %q:\n%s", w, text)
				}
			}
		})
	}
}

// Under real Terraform, reading a run that has not completed (alone or on
// either side of a comparison), or a completed one without metrics, plans
// with a warning, and a finished run plans without any.
func TestAccWarnings_runsNotToTrust(t *testing.T) {
	tests := []struct {
		name   string
		config string
		want   [][]string // per expected warning, fragments of its summary and detail
	}{
		{name: "completed run", config: runConfig(localhoneyhive.FixtureBaseline, "")},
		{name: "running run", config: runConfig(localhoneyhive.FixtureRunning, ""),
			want: [][]string{{`run "run-running" has not completed`, `has status "running"`, "wait_for_completion = true"}}},
		{name: "failed run", config: runConfig(localhoneyhive.FixtureFailed, ""),
			want: [][]string{{`run "run-failed" has not completed`, `has status "failed"`,
				"upstream LLM provider timed out", "waiting does not help"}}},
		{name: "completed run without metrics", config: runConfig(localhoneyhive.FixtureEmptyMetrics, ""),
			want: [][]string{{`run "run-empty-metrics" has no metrics`, "Its 8 datapoints pass vacuously"}}},
		{name: "comparison with a running new run", config: comparisonConfig(localhoneyhive.FixtureRunning, localhoneyhive.FixtureBaseline),
			want: [][]string{{`new run "run-running" has not completed`, "(new_run_id)", `new_run_status == "completed"`}}},
		{name: "comparison with a failed old run", config: comparisonConfig(localhoneyhive.FixtureCandidate, localhoneyhive.FixtureFailed),
			want: [][]string{{`old run "run-failed" has not completed`, "(old_run_id)", `old_run_status == "completed"`}}},
		{name: "comparison of two unfinished runs", config: comparisonConfig(localhoneyhive.FixtureRunning, localhoneyhive.FixtureEmptyMetrics),
			want: [][]string{{`new run "run-running" has not completed`}, {`old run "run-empty-metrics" has no metrics`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := acceptance(t)
			result := planDiagnostics(t, srv.env, tt.config, nil)
			if !result.Succeeded || len(result.withSeverity("error")) > 0 {
				t.Fatalf("the plan failed: %v", result.Diagnostics)
			}
			warnings := result.withSeverity("warning")
			if len(warnings) != len(tt.want) {
				t.Fatalf("want %d warnings, got %d: %v", len(tt.want), len(warnings), warnings)
			}
			for i, fragments := range tt.want {
				text := warnings[i].Summary + ": " + warnings[i].Detail
				for _, f := range fragments {
					if !strings.Contains(text, f) {
						t.Errorf("warning %d does not say %q:\n%s", i, f, text)
					}
				}
			}
		})
	}
}
