package localhoneyhive

import (
	"embed"
	"fmt"
	"time"
)

// Run IDs of the built-in fixtures (see the package documentation for what
// each one is for).
const (
	FixtureBaseline     = "run-baseline"
	FixtureCandidate    = "run-candidate"
	FixtureRegressed    = "run-regressed"
	FixtureLegacy       = "run-legacy"
	FixtureMixed        = "run-mixed"
	FixtureRepeated     = "run-repeated"
	FixtureRunning      = "run-running"
	FixtureFailed       = "run-failed"
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
