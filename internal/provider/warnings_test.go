package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// A repeated metric name is reported once per name, saying which entry the
// map holds and where the others are.
func TestRepeatedMetricNameWarnings(t *testing.T) {
	body := []byte(`{"status":"completed","passed":[],"failed":[],"metrics":{"details":[
		{"metric_name":"accuracy","event_name":"retriever","aggregate":1},
		{"metric_name":"accuracy","event_name":"generator","aggregate":0.5},
		{"metric_name":"latency","aggregate":3},
		{"metric_name":"accuracy","aggregate":0}]}}`)
	summary, err := models.DecodeExperimentResultSummary("r", body)
	if err != nil {
		t.Fatal(err)
	}
	var m experimentRunModel
	runDiags := setExperimentRun(&m, summary)

	comparison, err := models.DecodeRunComparisonResult("n", "o", []byte(`{"metrics":[
		{"metric_name":"accuracy","event_name":"retriever"},{"metric_name":"accuracy","event_name":"generator"},
		{"metric_name":"latency"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var c runComparisonModel
	empty := &models.ExperimentResultSummary{}
	comparisonDiags := setRunComparison(&c, comparison, pairing{
		newRun: empty, oldRun: empty, confidenceLevel: 0.95, lowerIsBetter: []string{"latency"},
	})

	for _, tc := range []struct {
		name  string
		diags diag.Diagnostics
		want  []string
	}{
		{"run", runDiags, []string{`"accuracy" appears 3 times`, `"retriever", "generator", (unnamed)`,
			`metrics["accuracy"] holds the first (event "retriever")`, "metric_details"}},
		{"comparison", comparisonDiags, []string{`"accuracy" appears 2 times`, `metric_deltas["accuracy"]`, "metric_delta_details"}},
	} {
		if tc.diags.HasError() || tc.diags.WarningsCount() != 1 {
			t.Fatalf("%s: want exactly one warning, got %v", tc.name, tc.diags)
		}
		detail := tc.diags[0].Detail()
		for _, w := range tc.want {
			if !strings.Contains(detail, w) {
				t.Errorf("%s: warning %q does not say %q", tc.name, detail, w)
			}
		}
	}
}
