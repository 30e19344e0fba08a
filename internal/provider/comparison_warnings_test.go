package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// Which datasets are known to differ, and how a message names them.
func TestDatasetDiffers(t *testing.T) {
	qa := dataset{id: "ds-1", name: "support-qa"}
	for _, tt := range []struct {
		name string
		a, b dataset
		want bool
	}{
		{"same ID", qa, dataset{id: "ds-1"}, false},
		{"other ID, same name", qa, dataset{id: "ds-2", name: "support-qa"}, true},
		{"same ID, renamed", qa, dataset{id: "ds-1", name: "support-qa-v2"}, false},
		{"names only, other", dataset{name: "a"}, dataset{name: "b"}, true},
		{"an ID against a name: unknown", dataset{id: "ds-1"}, dataset{name: "support-qa"}, false},
		{"nothing known", dataset{}, qa, false},
	} {
		if got := tt.a.differsFrom(tt.b); got != tt.want {
			t.Errorf("%s: differsFrom = %v, want %v", tt.name, got, tt.want)
		}
		if got := tt.b.differsFrom(tt.a); got != tt.want {
			t.Errorf("%s (swapped): differsFrom = %v, want %v", tt.name, got, tt.want)
		}
	}
	for d, want := range map[dataset]string{
		qa:                   `"support-qa" (ID ds-1)`,
		{name: "support-qa"}: `"support-qa"`,
		{id: "ds-1"}:         "ID ds-1",
		{}:                   "an unknown dataset",
	} {
		if got := d.String(); got != want {
			t.Errorf("%+v: %q, want %q", d, got, want)
		}
	}
}

// A summary body with a run object on the given dataset (null where "").
func summaryOnDataset(t *testing.T, runID, datasetID, datasetName string) *models.ExperimentResultSummary {
	t.Helper()
	field := func(v string) string {
		if v == "" {
			return "null"
		}
		return fmt.Sprintf("%q", v)
	}
	s, err := models.DecodeExperimentResultSummary(runID, fmt.Appendf(nil,
		`{"status":"completed","run_object":{"run_id":%q,"dataset_id":%s,"dataset_name":%s}}`,
		runID, field(datasetID), field(datasetName)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestComparisonWarnings(t *testing.T) {
	for _, tt := range []struct {
		name             string
		common           int
		newOnly, oldOnly int
		newDataset       [2]string // ID, name
		oldDataset       [2]string
		wantNoCommon     bool
		wantDifferentSet bool
	}{
		{"shared datapoints, one dataset", 8, 4, 6, [2]string{"ds-1", "qa"}, [2]string{"ds-1", "qa"}, false, false},
		{"no common datapoint", 0, 4, 6, [2]string{"ds-1", "qa"}, [2]string{"ds-1", "qa"}, true, false},
		// A run without datapoints (just started) shares none by itself.
		{"a new run without datapoints", 0, 0, 6, [2]string{"ds-1", "qa"}, [2]string{"ds-1", "qa"}, false, false},
		{"an old run without datapoints", 0, 4, 0, [2]string{"ds-1", "qa"}, [2]string{"ds-1", "qa"}, false, false},
		{"different datasets sharing datapoints", 3, 4, 6, [2]string{"ds-2", "qa-v2"}, [2]string{"ds-1", "qa"}, false, true},
		{"both", 0, 4, 6, [2]string{"ds-2", "news"}, [2]string{"ds-1", "qa"}, true, true},
		{"datasets unknown", 5, 4, 6, [2]string{}, [2]string{"ds-1", "qa"}, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &models.RunComparisonResult{NewRunID: "run-new", OldRunID: "run-old", CommonDatapoints: tt.common,
				NewOnlyDatapoints: tt.newOnly, OldOnlyDatapoints: tt.oldOnly}
			diags := comparisonWarnings(c,
				summaryOnDataset(t, "run-new", tt.newDataset[0], tt.newDataset[1]),
				summaryOnDataset(t, "run-old", tt.oldDataset[0], tt.oldDataset[1]))
			if diags.HasError() {
				t.Fatalf("errors: %v", diags)
			}
			var noCommon, different string
			for _, d := range diags {
				switch d.Summary() {
				case `HoneyHive runs "run-new" and "run-old" share no datapoint`:
					noCommon = d.Detail()
				case `HoneyHive runs "run-new" and "run-old" are on different datasets`:
					different = d.Detail()
				default:
					t.Errorf("unexpected diagnostic %q", d.Summary())
				}
			}
			if (noCommon != "") != tt.wantNoCommon || (different != "") != tt.wantDifferentSet {
				t.Fatalf("warnings %v; want no-common %v, different datasets %v", diags, tt.wantNoCommon, tt.wantDifferentSet)
			}
			for _, want := range []string{`The new run "run-new" (new_run_id) and the old run "run-old" (old_run_id)`,
				"common_datapoints is 0", "the new run has 4 datapoints of its own, the old run 6",
				"ci_lower and ci_upper are null", "Check old_run_id", "common_datapoints > 0"} {
				if noCommon != "" && !strings.Contains(noCommon, want) {
					t.Errorf("the no-common warning does not say %q:\n%s", want, noCommon)
				}
			}
			wantDatasets := fmt.Sprintf("the new run on %q (ID %s), the old run on %q (ID %s)",
				tt.newDataset[1], tt.newDataset[0], tt.oldDataset[1], tt.oldDataset[0])
			for _, want := range []string{wantDatasets, fmt.Sprintf("common_datapoints is %d", tt.common), "not comparable"} {
				if different != "" && !strings.Contains(different, want) {
					t.Errorf("the different-datasets warning does not say %q:\n%s", want, different)
				}
			}
		})
	}
}

// A run compared with itself is reported: every difference is 0.
func TestComparisonWarnings_sameRun(t *testing.T) {
	run := summaryOnDataset(t, "run-x", "ds-1", "qa")
	diags := comparisonWarnings(&models.RunComparisonResult{NewRunID: "run-x", OldRunID: "run-x", CommonDatapoints: 8}, run, run)
	if len(diags) != 1 || diags.WarningsCount() != 1 || diags[0].Summary() != `HoneyHive run "run-x" is compared with itself` ||
		!strings.Contains(diags[0].Detail(), "new_run_id != old_run_id") {
		t.Fatalf("want one warning about the run compared with itself, got %v", diags)
	}
}

// Against the local server: a baseline with no datapoint of the candidate's
// warns of that; a baseline on another dataset warns of that, naming both.
func TestAccRunComparison_mismatchWarnings(t *testing.T) {
	srv := acceptance(t)
	srv.PutSummarizerRuns()
	// Support-QA runs: one on other datapoints of the same dataset, one on
	// the baseline's datapoints (dp-01 … dp-08) of a new version of it.
	otherRows := nightlyRun("run-other-rows", "completed", 20, 1, 1, 1, 1)
	for i := range otherRows.Datapoints {
		otherRows.Datapoints[i].ID = fmt.Sprintf("dp-%02d", 101+i)
	}
	srv.PutRun(otherRows)
	otherDataset := nightlyRun("run-qa-v2", "completed", 21, 1, 1, 1, 1, 1, 1, 1, 1)
	otherDataset.DatasetID, otherDataset.DatasetName = "ds-support-qa-v2", "support-qa-v2"
	srv.PutRun(otherDataset)

	noCommon := "share no datapoint"
	different := "are on different datasets"
	for _, tc := range []struct {
		name, newRun, oldRun string
		want                 map[string][]string // summary part => detail parts; nil: no such warning
	}{
		{"one dataset, shared datapoints", localhoneyhive.FixtureCandidate, localhoneyhive.FixtureBaseline, nil},
		{"no common datapoint", "run-other-rows", localhoneyhive.FixtureBaseline, map[string][]string{
			noCommon: {`The new run "run-other-rows" (new_run_id) and the old run "run-baseline" (old_run_id) have no datapoint in common`,
				"the new run has 4 datapoints of its own, the old run 8", "Check old_run_id"},
		}},
		{"different datasets", "run-qa-v2", localhoneyhive.FixtureBaseline, map[string][]string{
			different: {`the new run on "support-qa-v2" (ID ds-support-qa-v2), the old run on "support-qa" (ID ds-support-qa)`,
				"common_datapoints is 8"},
		}},
		{"different datasets, nothing shared", localhoneyhive.FixtureSummarizerV2, localhoneyhive.FixtureBaseline, map[string][]string{
			noCommon:  {"the new run has 10 datapoints of its own, the old run 8"},
			different: {`the new run on "news-summaries" (ID ds-news-summaries), the old run on "support-qa" (ID ds-support-qa)`},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			result := planDiagnostics(t, srv.env, fmt.Sprintf(`
data "honeyhive_run_comparison" "test" {
  new_run_id = %q
  old_run_id = %q
}
`, tc.newRun, tc.oldRun), nil)
			if !result.Succeeded || len(result.withSeverity("error")) != 0 {
				t.Fatalf("the plan failed: %v", result.Diagnostics)
			}
			for _, summary := range []string{noCommon, different} {
				got := result.withSummary(summary)
				parts, wanted := tc.want[summary]
				if !wanted {
					if len(got) != 0 {
						t.Errorf("unexpected warning: %v", got)
					}
					continue
				}
				if len(got) != 1 || got[0].Severity != "warning" {
					t.Fatalf("want one warning %q, got %v", summary, result.Diagnostics)
				}
				detail := strings.Join(strings.Fields(got[0].Detail), " ")
				for _, p := range parts {
					if !strings.Contains(detail, p) {
						t.Errorf("the warning %q does not say %q:\n%s", summary, p, detail)
					}
				}
			}
		})
	}
}
