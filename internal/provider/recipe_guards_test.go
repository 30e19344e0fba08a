package provider

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// A recipe that indexes metric_deltas by a variable's metric name meets a
// misspelt name with one error of its own that lists the comparison's
// metrics: not Terraform's bare "Invalid index", and not a second error from
// a check that read the missing name as a regression.
func TestAccGates_failClosedMisspeltMetric(t *testing.T) {
	srv := acceptance(t)
	recipe := readFile(t, filepath.Join("..", "..", "examples", "gates", "fail_closed.tf"))
	result := planDiagnostics(t, srv.env, recipe, map[string]string{
		"candidate_run_id": localhoneyhive.FixtureCandidate,
		"baseline_run_id":  localhoneyhive.FixtureBaseline,
		"gated_metrics":    `["acuracy", "relevance"]`,
	})
	if result.Succeeded {
		t.Fatalf("the gate passed with a misspelt metric:\n%s", result.Output)
	}
	errs := result.withSeverity("error")
	if len(errs) != 1 {
		t.Fatalf("want one error, got %d: %v", len(errs), errs)
	}
	detail := strings.Join(strings.Fields(errs[0].Detail), " ")
	want := "Metrics missing from the comparison: acuracy. Its metrics are: accuracy, relevance, latency_ms."
	if !strings.Contains(detail, want) || strings.Contains(detail, "Invalid index") {
		t.Errorf("the error does not say %q:\n%s", want, detail)
	}
}
