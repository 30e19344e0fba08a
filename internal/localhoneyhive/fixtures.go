package localhoneyhive

import (
	"embed"
	"fmt"
	"time"
)

// Run IDs of the built-in fixtures. All but run-legacy and run-mixed are
// structured runs; those two are raw bodies from fixtures/*.json. created_at
// is 2026-05-01T12:00:00.000Z for run-baseline and a day later for each run
// down the list. The runs a CI pipeline started have metadata {"git_sha",
// "branch", "build" (a number), "triggered_by": "ci"}.
const (
	// FixtureBaseline: dataset ds-support-qa, name nightly-main, dp-01..dp-08;
	// accuracy (0/1, range [1,1]) 0.625, relevance ([0.7,1]) 0.7525,
	// latency_ms ([0,2000]) 1110.
	FixtureBaseline = "run-baseline"
	// FixtureCandidate: dp-08 dropped, dp-09 and dp-10 added; accuracy 8/9
	// (dp-03, dp-05 improved, dp-07 degraded), relevance ≈ 0.793, latency 1170.
	FixtureCandidate = "run-candidate"
	// FixtureRegressed: the baseline's datapoints, accuracy 0.375.
	FixtureRegressed = "run-regressed"
	// FixtureLegacy: the legacy metrics format (no details), whatever the
	// aggregate_function.
	FixtureLegacy = "run-legacy"
	// FixtureMixed: a boolean, a string and a null metric, a datapoint whose
	// datapoint_id is null (its session ID is listed) and one whose metrics
	// are null.
	FixtureMixed = "run-mixed"
	// FixtureRepeated: accuracy on retriever/tool (0.75) and on
	// generator/model (0.5).
	FixtureRepeated = "run-repeated"
	// FixtureRunning: running, no metrics, no datapoints.
	FixtureRunning = "run-running"
	// FixtureFailed: failed with an error message, 3 partial datapoints.
	FixtureFailed = "run-failed"
	// FixtureEmptyMetrics: completed, dp-01..dp-08 with no metrics yet (they
	// pass vacuously).
	FixtureEmptyMetrics = "run-empty-metrics"
)

// FixtureRunIDs lists every built-in fixture run ID in load order.
func FixtureRunIDs() []string {
	return []string{
		FixtureBaseline, FixtureCandidate, FixtureRegressed, FixtureLegacy, FixtureMixed,
		FixtureRepeated, FixtureRunning, FixtureFailed, FixtureEmptyMetrics,
	}
}

// rawFixtures holds the summaries that are served verbatim because a
// structured Run cannot (or should not) express them.
//
//go:embed fixtures/*.json
var rawFixtures embed.FS

// The metrics the "support QA" fixtures share.
var (
	accuracyMetric = Metric{
		Name: "accuracy", Type: "CLIENT_SIDE", EventName: "predictor", EventType: "chain",
		PassingRange: &PassingRange{Min: 1, Max: 1},
	}
	relevanceMetric = Metric{
		Name: "relevance", Type: "LLM", EventName: "responder", EventType: "model",
		PassingRange: &PassingRange{Min: 0.7, Max: 1},
	}
	latencyMetric = Metric{
		Name: "latency_ms", Type: "PYTHON", EventName: "predictor", EventType: "chain",
		PassingRange: &PassingRange{Min: 0, Max: 2000},
	}
	supportQAMetrics = []Metric{accuracyMetric, relevanceMetric, latencyMetric}
)

// fixtureTime spaces fixture creation times a day apart from 2026-05-01
// 12:00 UTC, so sorting by created_at is meaningful.
func fixtureTime(day int) time.Time {
	return time.Date(2026, 5, 1+day, 12, 0, 0, 0, time.UTC)
}

// qaRow is one support-QA datapoint: accuracy, relevance, latency.
type qaRow struct {
	id                  string
	accuracy, relevance float64
	latencyMilliseconds float64
}

func qaDatapoints(rows ...qaRow) []Datapoint {
	out := make([]Datapoint, len(rows))
	for i, row := range rows {
		out[i] = Datapoint{
			ID:     row.id,
			Values: []Value{Number(row.accuracy), Number(row.relevance), Number(row.latencyMilliseconds)},
		}
	}
	return out
}

// supportQARun fills what the support-QA fixtures share; the metadata is what
// a CI pipeline attaches: the commit, the branch and the build number (a
// JSON number, to exercise filters that compare values as strings).
func supportQARun(id, name string, day int, model string, meta ciMetadata, rows ...qaRow) Run {
	return Run{
		ID:          id,
		Name:        name,
		Description: "Nightly evaluation of the support assistant on the support QA set",
		Status:      "completed",
		DatasetID:   "ds-support-qa",
		DatasetName: "support-qa",
		Metadata:    meta.object(),
		Configuration: map[string]any{
			"model": model, "temperature": 0.2, "prompt_version": fmt.Sprintf("v%d", day+1),
		},
		CreatedAt:  fixtureTime(day),
		UpdatedAt:  fixtureTime(day).Add(17 * time.Minute),
		Metrics:    supportQAMetrics,
		Datapoints: qaDatapoints(rows...),
	}
}

// ciMetadata is the run metadata of the fixtures a CI pipeline started.
type ciMetadata struct {
	gitSHA, branch string
	build          int
}

func (m ciMetadata) object() map[string]any {
	return map[string]any{"git_sha": m.gitSHA, "branch": m.branch, "build": m.build, "triggered_by": "ci"}
}

// loadFixtures stores the built-in runs in s. The support-QA runs of branch
// main are the baseline (the oldest), run-running and run-failed: so the
// newest completed run on main of ds-support-qa is run-baseline, five
// completed runs down the newest-first list.
func loadFixtures(s *Server) {
	// Baseline: accuracy 5/8 = 0.625, relevance 0.7525, latency 1110 ms.
	s.PutRun(supportQARun(FixtureBaseline, "nightly-main", 0, "gpt-4o-mini",
		ciMetadata{gitSHA: "3f9c2ab", branch: "main", build: 101},
		qaRow{"dp-01", 1, 0.82, 820},
		qaRow{"dp-02", 1, 0.91, 1130},
		qaRow{"dp-03", 0, 0.64, 1490},
		qaRow{"dp-04", 1, 0.77, 960},
		qaRow{"dp-05", 0, 0.58, 1210},
		qaRow{"dp-06", 1, 0.88, 880},
		qaRow{"dp-07", 1, 0.73, 1340},
		qaRow{"dp-08", 0, 0.69, 1050},
	))

	// Candidate: dp-08 dropped, dp-09/dp-10 added. Accuracy 8/9 ≈ 0.889
	// (dp-03, dp-05 improved; dp-07 degraded), relevance ≈ 0.793 (a bit
	// better), latency 1170 ms (a bit worse).
	candidate := supportQARun(FixtureCandidate, "nightly-candidate", 1, "gpt-4o",
		ciMetadata{gitSHA: "8d41e07", branch: "feature/gpt-4o", build: 102},
		qaRow{"dp-01", 1, 0.85, 910},
		qaRow{"dp-02", 1, 0.91, 1180},
		qaRow{"dp-03", 1, 0.72, 1520},
		qaRow{"dp-04", 1, 0.80, 1010},
		qaRow{"dp-05", 1, 0.66, 1290},
		qaRow{"dp-06", 1, 0.86, 870},
		qaRow{"dp-07", 0, 0.75, 1400},
		qaRow{"dp-09", 1, 0.81, 1230},
		qaRow{"dp-10", 1, 0.78, 1120},
	)
	s.PutRun(candidate)

	// Regressed: baseline's datapoints, accuracy 3/8 = 0.375.
	s.PutRun(supportQARun(FixtureRegressed, "nightly-regressed", 2, "gpt-4o-mini-2",
		ciMetadata{gitSHA: "c0ffee1", branch: "feature/smaller-model", build: 103},
		qaRow{"dp-01", 1, 0.80, 840},
		qaRow{"dp-02", 0, 0.86, 1100},
		qaRow{"dp-03", 0, 0.61, 1510},
		qaRow{"dp-04", 1, 0.75, 990},
		qaRow{"dp-05", 0, 0.55, 1230},
		qaRow{"dp-06", 1, 0.84, 900},
		qaRow{"dp-07", 0, 0.70, 1320},
		qaRow{"dp-08", 0, 0.66, 1080},
	))

	for _, raw := range []struct{ id, file string }{
		{FixtureLegacy, "fixtures/run-legacy.json"},
		{FixtureMixed, "fixtures/run-mixed.json"},
	} {
		body, err := rawFixtures.ReadFile(raw.file)
		if err != nil {
			panic("localhoneyhive: embedded fixture missing: " + err.Error())
		}
		s.PutRunSummary(raw.id, body)
	}

	// Repeated: accuracy evaluated on two events with different results.
	s.PutRun(Run{
		ID:          FixtureRepeated,
		Name:        "rag-two-step",
		Status:      "completed",
		DatasetID:   "ds-support-qa",
		DatasetName: "support-qa",
		CreatedAt:   fixtureTime(5),
		Metrics: []Metric{
			{Name: "accuracy", Type: "PYTHON", EventName: "retriever", EventType: "tool", PassingRange: &PassingRange{Min: 1, Max: 1}},
			{Name: "accuracy", Type: "LLM", EventName: "generator", EventType: "model", PassingRange: &PassingRange{Min: 1, Max: 1}},
		},
		Datapoints: []Datapoint{
			{ID: "dp-01", Values: []Value{Number(1), Number(1)}},
			{ID: "dp-02", Values: []Value{Number(1), Number(0)}},
			{ID: "dp-03", Values: []Value{Number(1), Number(0)}},
			{ID: "dp-04", Values: []Value{Number(0), Number(1)}},
		},
	})

	s.PutRun(Run{
		ID:          FixtureRunning,
		Name:        "nightly-in-progress",
		Status:      "running",
		Metadata:    ciMetadata{gitSHA: "5e6f7a8", branch: "main", build: 106}.object(),
		DatasetID:   "ds-support-qa",
		DatasetName: "support-qa",
		CreatedAt:   fixtureTime(6),
	})

	s.PutRun(Run{
		ID:          FixtureFailed,
		Name:        "nightly-broken",
		Status:      "failed",
		Metadata:    ciMetadata{gitSHA: "9b0c1d2", branch: "main", build: 107}.object(),
		Error:       "Evaluator 'relevance' failed: upstream LLM provider timed out after 300s",
		DatasetID:   "ds-support-qa",
		DatasetName: "support-qa",
		CreatedAt:   fixtureTime(7),
		Metrics:     []Metric{accuracyMetric},
		Datapoints: []Datapoint{
			{ID: "dp-01", Values: []Value{Number(1)}},
			{ID: "dp-02", Values: []Value{Number(0)}},
			{ID: "dp-03", Values: []Value{Number(1)}},
		},
	})

	emptyMetrics := Run{
		ID:          FixtureEmptyMetrics,
		Name:        "nightly-just-finished",
		Status:      "completed",
		DatasetID:   "ds-support-qa",
		DatasetName: "support-qa",
		CreatedAt:   fixtureTime(8),
	}
	for i := 1; i <= 8; i++ {
		emptyMetrics.Datapoints = append(emptyMetrics.Datapoints, Datapoint{ID: fmt.Sprintf("dp-%02d", i)})
	}
	s.PutRun(emptyMetrics)
}

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
			run.Datapoints = append(run.Datapoints, Datapoint{ID: fmt.Sprintf("doc-%02d", i+1), Values: values})
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

// PutSummarizerRuns stores the summarizer runs (see SummarizerRuns). They are
// not among the built-in fixtures, so that lists of the built-in runs stay as
// they are; tests and demos that compare many metrics add them.
func (s *Server) PutSummarizerRuns() {
	v1, v2 := SummarizerRuns()
	s.PutRun(v1)
	s.PutRun(v2)
}

// FinishingRun is run-finishing once completed: the support-QA set's
// dp-01..dp-10 with 9 of them passing (pass rate 0.9, 95% Wilson interval
// from 0.596), so examples/gates/wait_for_run.tf passes on it with its
// defaults once the wait is over.
func FinishingRun() Run {
	run := supportQARun(FixtureFinishing, "nightly-finishing", 9, "gpt-4o",
		ciMetadata{gitSHA: "a1b2c3d", branch: "feature/gpt-4o", build: 110},
		qaRow{"dp-01", 1, 0.86, 900},
		qaRow{"dp-02", 1, 0.92, 1150},
		qaRow{"dp-03", 1, 0.74, 1480},
		qaRow{"dp-04", 1, 0.81, 990},
		qaRow{"dp-05", 1, 0.71, 1260},
		qaRow{"dp-06", 1, 0.88, 860},
		qaRow{"dp-07", 0, 0.76, 1390},
		qaRow{"dp-08", 1, 0.79, 1040},
		qaRow{"dp-09", 1, 0.83, 1210},
		qaRow{"dp-10", 1, 0.80, 1100},
	)
	run.Description = "Evaluation started by the pipeline moments ago"
	return run
}
