package localhoneyhive

import (
	"encoding/json"
	"slices"
	"testing"
)

// The summarizer runs' summaries say what SummarizerRuns documents: which
// datapoints pass, in each run's own order, and which fail each metric.
func TestSummarizerRunsOutcomes(t *testing.T) {
	v1, v2 := SummarizerRuns()
	type lists struct {
		Passed  []string `json:"passed"`
		Failed  []string `json:"failed"`
		Metrics struct {
			Details []struct {
				MetricName string `json:"metric_name"`
				Datapoints lists  `json:"datapoints"`
			} `json:"details"`
		} `json:"metrics"`
	}
	read := func(run Run) lists {
		body, err := SummaryBody(run, AggregateAverage)
		if err != nil {
			t.Fatal(err)
		}
		var l lists
		if err := json.Unmarshal(body, &l); err != nil {
			t.Fatal(err)
		}
		return l
	}
	old, cur := read(v1), read(v2)
	for _, c := range []struct {
		what      string
		got, want []string
	}{
		{"v1 passed", old.Passed, []string{"doc-02", "doc-03", "doc-06", "doc-08", "doc-09", "doc-10"}},
		{"v1 failed", old.Failed, []string{"doc-01", "doc-04", "doc-05", "doc-07"}},
		{"v2 passed", cur.Passed, []string{"doc-09", "doc-07", "doc-06", "doc-04", "doc-03", "doc-02", "doc-01"}},
		{"v2 failed", cur.Failed, []string{"doc-10", "doc-08", "doc-05"}},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
	wantFailed := map[string][2][]string{ // v1, v2
		"faithfulness": {{}, {"doc-08"}},
		"coverage":     {{"doc-01", "doc-04", "doc-07"}, {}},
		"conciseness":  {{"doc-05"}, {"doc-08", "doc-05"}},
		"latency_ms":   {{"doc-04"}, {"doc-10"}},
	}
	for i, run := range []lists{old, cur} {
		if len(run.Metrics.Details) != 4 {
			t.Fatalf("run %d has %d metrics", i+1, len(run.Metrics.Details))
		}
		for _, d := range run.Metrics.Details {
			if want := wantFailed[d.MetricName][i]; !slices.Equal(d.Datapoints.Failed, want) ||
				len(d.Datapoints.Passed)+len(want) != 10 {
				t.Errorf("v%d %s: failed %v (of %d judged), want %v", i+1, d.MetricName, d.Datapoints.Failed,
					len(d.Datapoints.Passed)+len(d.Datapoints.Failed), want)
			}
		}
	}
}
