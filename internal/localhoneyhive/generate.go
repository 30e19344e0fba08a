package localhoneyhive

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
)

// metricTemplate is one kind of synthetic metric GenerateRun cycles
// through, so large runs mix integers, floats, booleans and ranges.
type metricTemplate struct {
	name, metricType, eventName, eventType string
	passingRange                           PassingRange
	value                                  func(*rand.Rand) Value
}

var syntheticMetrics = []metricTemplate{
	{"accuracy", "CLIENT_SIDE", "predictor", "chain", PassingRange{1, 1}, func(r *rand.Rand) Value {
		if r.Float64() < 0.8 {
			return Number(1)
		}
		return Number(0)
	}},
	{"relevance", "LLM", "responder", "model", PassingRange{0.7, 1}, func(r *rand.Rand) Value {
		return Number(float64(int(500+r.Float64()*500)) / 1000) // 0.5–1.0, 3 decimals
	}},
	{"latency_ms", "PYTHON", "predictor", "chain", PassingRange{0, 2000}, func(r *rand.Rand) Value {
		return Number(float64(200 + r.IntN(2300)))
	}},
	{"is_safe", "HUMAN", "responder", "model", PassingRange{1, 1}, func(r *rand.Rand) Value {
		return Bool(r.Float64() < 0.95)
	}},
	{"faithfulness", "COMPOSITE", "retriever", "tool", PassingRange{0.5, 1}, func(r *rand.Rand) Value {
		return Number(float64(int(r.Float64()*1000)) / 1000)
	}},
}

// nullEvery makes roughly one synthetic value in this many a JSON null, so
// big runs also exercise null handling.
const nullEvery = 200

// GenerateRun builds a deterministic synthetic completed run for load and
// benchmark tests: the same arguments always give the same run. Datapoint
// IDs are dp-000001, dp-000002, … in every run (so two generated runs
// share datapoints and compare meaningfully); values depend only on seed,
// session IDs on runID. Metrics cycle through accuracy (0/1), relevance
// (float), latency_ms (integer ms), is_safe (boolean) and faithfulness
// (float), suffixed _2, _3, … once the cycle repeats; about one value in
// 200 is null. All values live in one backing array, so 50k datapoints
// cost a few allocations.
func GenerateRun(runID string, datapoints, metrics int, seed int64) Run {
	datapoints, metrics = max(datapoints, 0), max(metrics, 0)
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	run := Run{
		ID:          runID,
		Name:        "synthetic-" + runID,
		Status:      "completed",
		DatasetID:   "ds-synthetic",
		DatasetName: "synthetic",
		CreatedAt:   defaultCreatedAt,
		Metadata:    map[string]any{"generator": "localhoneyhive.GenerateRun", "seed": seed},
		Metrics:     make([]Metric, metrics),
		Datapoints:  make([]Datapoint, datapoints),
	}
	for i := range run.Metrics {
		tmpl := syntheticMetrics[i%len(syntheticMetrics)]
		name := tmpl.name
		if cycle := i / len(syntheticMetrics); cycle > 0 {
			name += "_" + strconv.Itoa(cycle+1)
		}
		pr := tmpl.passingRange
		run.Metrics[i] = Metric{
			Name: name, Type: tmpl.metricType,
			EventName: tmpl.eventName, EventType: tmpl.eventType,
			PassingRange: &pr,
		}
	}
	values := make([]Value, datapoints*metrics)
	for d := range run.Datapoints {
		row := values[d*metrics : (d+1)*metrics : (d+1)*metrics]
		for m := range row {
			if rng.IntN(nullEvery) == 0 {
				row[m] = Null()
				continue
			}
			row[m] = syntheticMetrics[m%len(syntheticMetrics)].value(rng)
		}
		run.Datapoints[d] = Datapoint{
			ID:        fmt.Sprintf("dp-%06d", d+1),
			SessionID: sessionIDFor(runID, d),
			Values:    row,
		}
	}
	return run
}

// SummaryBody returns the summary body the server sends for run (GET
// /v1/runs/{id}/summary?aggregate_function=fn), without HTTP: benchmarks of
// the client's decoding and the provider's conversion start from these bytes.
func SummaryBody(run Run, fn AggregateFunction) ([]byte, error) {
	s := New(WithoutFixtures())
	s.PutRun(run)
	view, err := s.lookup(run.ID).summaryView(fn)
	if err != nil {
		return nil, err
	}
	return json.Marshal(view)
}

// ComparisonBody returns the comparison body the server sends for newRun
// against oldRun (GET /v1/runs/{new}/compare/{old}?aggregate_function=fn),
// without HTTP, for benchmarks as SummaryBody.
func ComparisonBody(newRun, oldRun Run, fn AggregateFunction) ([]byte, error) {
	s := New(WithoutFixtures())
	s.PutRun(newRun)
	s.PutRun(oldRun)
	return s.comparisonJSON(s.lookup(newRun.ID), s.lookup(oldRun.ID), fn)
}

// SyntheticRunIDs names the pair of synthetic runs PutSyntheticRuns stores
// for a size: run-synthetic-<N> and run-synthetic-<N>-candidate.
func SyntheticRunIDs(datapoints int) (baseline, candidate string) {
	baseline = "run-synthetic-" + strconv.Itoa(datapoints)
	return baseline, baseline + "-candidate"
}

// PutSyntheticRuns stores two generated runs of the given size (see
// GenerateRun), for trying large runs by hand (honeyhive-local -synthetic):
// a baseline (seed 1, the runs `make bench` plans) and a candidate (seed 2)
// on the same datapoint IDs, so the two compare with every datapoint paired.
// Their values are independent draws from the same distributions, so most
// metrics' verdicts are inconclusive. It returns the two run IDs.
func (s *Server) PutSyntheticRuns(datapoints, metrics int) (baseline, candidate string) {
	baseline, candidate = SyntheticRunIDs(datapoints)
	s.PutRun(GenerateRun(baseline, datapoints, metrics, 1))
	s.PutRun(GenerateRun(candidate, datapoints, metrics, 2))
	return baseline, candidate
}
