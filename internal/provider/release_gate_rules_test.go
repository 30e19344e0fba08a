package provider

import (
	"strings"
	"testing"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/policy"
)

// Each unknown name of a rule is one error, on the rule's field, naming the
// comparison's metrics and the one meant; other errors keep their message.
func TestEvaluationErrors(t *testing.T) {
	names := []string{"accuracy", "relevance", "latency_ms"}
	rules := []policy.Rule{
		{Kind: policy.Family, Metrics: []string{"acuracy", "relevance", "latency"}},
		{Kind: policy.Threshold, Metric: "grade"},
	}
	// What Evaluate reports: one error per unknown member; grade is known
	// here, so its error is the policy's own (not numeric, say).
	errs := []policy.RuleError{
		{Index: 0, Field: "metrics", Message: `the comparison has no metric "acuracy"`},
		{Index: 0, Field: "metrics", Message: `the comparison has no metric "latency"`},
		{Index: 1, Field: "metric", Message: `metric "grade" is not numeric in these runs`},
	}
	diags := evaluationErrors(errs, rules, append(names, "grade"))
	if len(diags) != 3 {
		t.Fatalf("got %d diagnostics, want 3: %v", len(diags), diags)
	}
	want := []struct{ summary, detail string }{
		{"Unknown metric in a release gate rule", `rules[0].metrics names "acuracy", which is not a metric of this comparison. Did you mean "accuracy"?`},
		{"Unknown metric in a release gate rule", `rules[0].metrics names "latency", which is not a metric of this comparison. Did you mean "latency_ms"?`},
		{"Invalid release gate rule", `rules[1].metric: metric "grade" is not numeric in these runs.`},
	}
	for i, w := range want {
		if diags[i].Summary() != w.summary || !strings.HasPrefix(diags[i].Detail(), w.detail) {
			t.Errorf("diagnostic %d: %q: %q\nwant %q: %q...", i, diags[i].Summary(), diags[i].Detail(), w.summary, w.detail)
		}
	}
}
