package localhoneyhive

import (
	"encoding/json"
	"strings"
	"testing"
)

// A comparison-only fault waits in the queue while summaries of the run are
// served normally, and answers the next comparison.
func TestOnlyComparisons(t *testing.T) {
	srv := New()
	srv.InjectFaults("run-candidate", InconsistentComparison())
	steps := []struct {
		path    string
		faulted bool
	}{
		{"/v1/runs/run-candidate/summary", false},
		{"/v1/runs/run-candidate", false},
		{"/v1/runs/run-candidate/compare/run-baseline", true},
		{"/v1/runs/run-candidate/compare/run-baseline", false}, // consumed
	}
	for i, step := range steps {
		rec := get(t, srv, step.path)
		if rec.Code != 200 {
			t.Fatalf("step %d: status %d", i, rec.Code)
		}
		faulted := strings.Contains(rec.Body.String(), `"improved_count":2,"degraded_count":0`)
		if faulted != step.faulted {
			t.Fatalf("step %d %s: faulted %v, body %.200s", i, step.path, faulted, rec.Body)
		}
	}
}

// The hostile bodies are valid JSON of the shape they claim.
func TestFaultBodies(t *testing.T) {
	var wide struct {
		Metrics struct {
			Details []json.RawMessage `json:"details"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal(HostileMetricsSummaryBody(1234), &wide); err != nil || len(wide.Metrics.Details) != 1234 {
		t.Fatalf("HostileMetricsSummaryBody: %v, %d entries", err, len(wide.Metrics.Details))
	}
	for name, body := range map[string]string{
		"NullIDsSummaryBody": NullIDsSummaryBody, "ContradictorySummaryBody": ContradictorySummaryBody,
		"InconsistentComparisonBody": InconsistentComparisonBody,
	} {
		if !json.Valid([]byte(body)) {
			t.Errorf("%s is not valid JSON", name)
		}
	}
	for _, f := range []Fault{HostileMetricsSummary(3), NullIDsSummary(), ContradictorySummary()} {
		if f.status != 200 || f.comparisonsOnly {
			t.Errorf("%s: status %d, comparisons only %v", f, f.status, f.comparisonsOnly)
		}
	}
}
