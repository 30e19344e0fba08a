package localhoneyhive

import "time"

// Run IDs of the summarizer runs PutSummarizerRuns stores: a document
// summarizer scored on four metrics, before and after a prompt change.
const (
	FixtureSummarizerV1 = "run-summarizer-v1"
	FixtureSummarizerV2 = "run-summarizer-v2"
)

// SummarizerRunIDs lists the summarizer runs, baseline first.
func SummarizerRunIDs() []string { return []string{FixtureSummarizerV1, FixtureSummarizerV2} }

// The summarizer's metrics, in the order of each datapoint's values.
var summarizerMetrics = []Metric{
	{Name: "faithfulness", Type: "LLM", EventName: "summarize", EventType: "model", PassingRange: &PassingRange{Min: 0.8, Max: 1}},
	{Name: "coverage", Type: "LLM", EventName: "summarize", EventType: "model", PassingRange: &PassingRange{Min: 0.6, Max: 1}},
	{Name: "conciseness", Type: "PYTHON", EventName: "summarize", EventType: "model", PassingRange: &PassingRange{Min: 0.6, Max: 1}},
	{Name: "latency_ms", Type: "PYTHON", EventName: "summarize", EventType: "model", PassingRange: &PassingRange{Min: 0, Max: 2300}},
}

// summarizerRows are doc-01..doc-10's values: faithfulness, coverage,
// conciseness, latency_ms; v1 then v2.
var summarizerRows = [10][2][4]float64{
	{{0.92, 0.55, 0.80, 1800}, {0.87, 0.63, 0.84, 1750}},
	{{0.88, 0.70, 0.65, 2100}, {0.87, 0.78, 0.61, 2000}},
	{{0.95, 0.62, 0.72, 1650}, {0.89, 0.70, 0.75, 1700}},
	{{0.81, 0.58, 0.90, 2400}, {0.82, 0.66, 0.86, 2300}},
	{{0.90, 0.75, 0.55, 1950}, {0.86, 0.80, 0.58, 1900}},
	{{0.86, 0.66, 0.78, 2250}, {0.83, 0.74, 0.74, 2200}},
	{{0.93, 0.52, 0.83, 1700}, {0.95, 0.61, 0.85, 1600}},
	{{0.84, 0.71, 0.61, 2050}, {0.79, 0.79, 0.57, 2010}},
	{{0.89, 0.64, 0.70, 1900}, {0.88, 0.70, 0.73, 1950}},
	{{0.91, 0.69, 0.76, 2300}, {0.88, 0.77, 0.72, 2350}},
}

// SummarizerRuns returns the two summarizer runs (dataset ds-news-summaries),
// built so that gating four metrics at once matters. Paired over doc-01..
// doc-10 (v2 − v1), at 95%:
//
//   - faithfulness drops by 0.025 on average (8 down, 2 up): its own interval
//     is below 0 (regressed), but the family's, at 1 − 0.05/4, reaches above
//     0 (inconclusive);
//   - coverage rises by 0.076, on every document (improved either way);
//   - conciseness moves by −0.005, 5 down and 5 up (inconclusive);
//   - latency_ms falls by 34 ms on average, 7 down and 3 up (inconclusive).
//
// Outcomes (each metric's passing range): v1 fails doc-01, doc-04, doc-05
// and doc-07; v2 fails doc-05, doc-08 (faithfulness and conciseness) and
// doc-10 (latency). So doc-08 and doc-10 regressed, doc-01, doc-04 and doc-07
// were fixed. v2 lists its datapoints newest first (doc-10 down to doc-01),
// so its passed and failed lists run in the opposite order to v1's.
func SummarizerRuns() (v1, v2 Run) {
	build := func(id, name string, version int) Run {
		run := Run{
			ID:          id,
			Name:        name,
			Description: "Summaries of news articles, scored by an LLM judge and two Python checks",
			Status:      "completed",
			DatasetID:   "ds-news-summaries",
			DatasetName: "news-summaries",
			Metadata:    map[string]any{"prompt_version": name, "triggered_by": "ci"},
			CreatedAt:   time.Date(2026, 6, 1+version, 9, 0, 0, 0, time.UTC),
			Metrics:     summarizerMetrics,
		}
		for i, row := range summarizerRows {
			values := make([]Value, len(row[version]))
			for k, v := range row[version] {
				values[k] = Number(v)
			}
			run.Datapoints = append(run.Datapoints, Datapoint{ID: summarizerDatapointID(i), Values: values})
		}
		if version == 1 {
			for i, j := 0, len(run.Datapoints)-1; i < j; i, j = i+1, j-1 {
				run.Datapoints[i], run.Datapoints[j] = run.Datapoints[j], run.Datapoints[i]
			}
		}
		return run
	}
	return build(FixtureSummarizerV1, "summarizer-v1", 0), build(FixtureSummarizerV2, "summarizer-v2", 1)
}

func summarizerDatapointID(i int) string {
	return "doc-" + string(rune('0'+(i+1)/10)) + string(rune('0'+(i+1)%10))
}

// PutSummarizerRuns stores the summarizer runs (see SummarizerRuns). They are
// not among the built-in fixtures, so that lists of the built-in runs stay as
// they are; tests and demos that compare many metrics add them.
func (s *Server) PutSummarizerRuns() {
	v1, v2 := SummarizerRuns()
	s.PutRun(v1)
	s.PutRun(v2)
}
