package localhoneyhive

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// jsTimeLayout is how the service (a Node.js app) prints timestamps:
// Date.prototype.toISOString, always UTC with milliseconds.
const jsTimeLayout = "2006-01-02T15:04:05.000Z"

// defaultCreatedAt stands in for a run's creation time when the Run leaves
// it zero, so bodies stay deterministic.
var defaultCreatedAt = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// localScopeID is the project every local run belongs to: on the real
// service the API key decides the project.
const localScopeID = "66a0c0ffee0000000000beef"

// Shared targets for datapointMetric.Passed; never written through.
var (
	metricPassed = true
	metricFailed = false
)

// nullable maps "" to JSON null.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// objectIDFor derives a stable 24-hex-digit, Mongo-style object ID from a
// run ID: the service's run objects carry both an "id" and a "run_id".
func objectIDFor(runID string) string {
	sum := sha256.Sum256([]byte("run-object:" + runID))
	return hex.EncodeToString(sum[:12])
}

// sessionIDFor derives a deterministic UUID-shaped session ID for the
// index-th datapoint of a run that did not name one.
func sessionIDFor(runID string, index int) string {
	sum := sha256.Sum256([]byte("session:" + runID + ":" + strconv.Itoa(index)))
	return formatUUID(sum[:16])
}

// formatUUID formats 16 bytes as a version-4-looking UUID.
func formatUUID(b []byte) string {
	var u [16]byte
	copy(u[:], b)
	u[6] = (u[6] & 0x0f) | 0x40
	u[8] = (u[8] & 0x3f) | 0x80
	h := hex.EncodeToString(u[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// normalizeRun fills the defaults PutRun promises (session IDs).
func normalizeRun(run *Run) {
	for i := range run.Datapoints {
		if run.Datapoints[i].SessionID == "" {
			run.Datapoints[i].SessionID = sessionIDFor(run.ID, i)
		}
	}
}

// buildRunObject derives the run object of a structured run. Its metrics
// map holds each metric name's average (the first event wins when a name
// repeats), as the service stores default aggregates on the run.
func buildRunObject(run *Run) *runObject {
	created := run.CreatedAt
	if created.IsZero() {
		created = defaultCreatedAt
	}
	var updated *string
	if !run.UpdatedAt.IsZero() {
		u := run.UpdatedAt.UTC().Format(jsTimeLayout)
		updated = &u
	}
	obj := completeRunObject(&runObject{
		RunID:         run.ID,
		Name:          nullable(run.Name),
		Description:   nullable(run.Description),
		Status:        nullable(run.Status),
		Metadata:      run.Metadata,
		Configuration: run.Configuration,
		IsActive:      true,
		CreatedAt:     created.UTC().Format(jsTimeLayout),
		UpdatedAt:     updated,
		DatasetID:     nullable(run.DatasetID),
		DatasetName:   nullable(run.DatasetName),
	})
	for _, dp := range run.Datapoints {
		obj.EventIDs = append(obj.EventIDs, dp.SessionID)
	}
	for i, m := range run.Metrics {
		if _, seen := obj.Metrics[m.Name]; seen {
			continue
		}
		values := make([]Value, 0, len(run.Datapoints))
		for _, dp := range run.Datapoints {
			if i < len(dp.Values) {
				values = append(values, dp.Values[i])
			}
		}
		if avg, ok := aggregate(AggregateAverage, values); ok {
			obj.Metrics[m.Name] = avg
		}
	}
	return obj
}

// metricOutcome decides whether one recorded value passes its metric:
// nil (unknown) for null values; true when there is no passing range;
// otherwise whether the numeric view (booleans as 1/0) lies in the
// inclusive range. Strings cannot lie in a numeric range and fail.
func metricOutcome(passingRange *PassingRange, v Value) *bool {
	if v.kind == kindNull || v.kind == kindMissing {
		return nil
	}
	if passingRange == nil {
		return &metricPassed
	}
	n, ok := v.Numeric()
	if ok && n >= passingRange.Min && n <= passingRange.Max {
		return &metricPassed
	}
	return &metricFailed
}

// buildSummary computes the summary body of a structured run with the
// given aggregate function, the way the service computes it on request:
//
//   - a metric value passes when it lies in the metric's passing range
//     (see metricOutcome); null values neither pass nor fail;
//   - a datapoint passes when none of its values fails (a datapoint with no
//     decided values passes vacuously);
//   - passed/failed hold datapoint IDs, or session IDs where the ID is "";
//   - success means the run completed without error and nothing failed.
func buildSummary(run *Run, obj *runObject, fn AggregateFunction) *summaryBody {
	body := &summaryBody{
		Status:       run.Status,
		Error:        nullable(run.Error),
		Passed:       []string{},
		Failed:       []string{},
		Datapoints:   make([]datapointBody, 0, len(run.Datapoints)),
		EventDetails: []eventDetail{},
		RunObject:    obj,
	}
	body.Metrics.AggregationFunction = string(fn)
	details := make([]metricDetail, len(run.Metrics))
	for i, m := range run.Metrics {
		details[i] = metricDetail{
			MetricName:   m.Name,
			MetricType:   m.Type,
			EventName:    m.EventName,
			EventType:    m.EventType,
			Values:       make([]Value, 0, len(run.Datapoints)),
			PassingRange: m.PassingRange,
			Datapoints:   &metricDatapoints{Passed: []string{}, Failed: []string{}},
		}
	}

	recorded := 0
	for _, dp := range run.Datapoints {
		recorded += len(dp.Values)
	}
	// One backing array for every datapoint's metric list keeps large runs
	// to a handful of allocations.
	allMetrics := make([]datapointMetric, 0, recorded)
	for _, dp := range run.Datapoints {
		key := dp.ID
		if key == "" {
			key = dp.SessionID
		}
		datapointPassed := true
		start := len(allMetrics)
		for i, m := range run.Metrics {
			if i >= len(dp.Values) || !dp.Values[i].Recorded() {
				continue
			}
			v := dp.Values[i]
			details[i].Values = append(details[i].Values, v)
			outcome := metricOutcome(m.PassingRange, v)
			if outcome != nil {
				if *outcome {
					details[i].Datapoints.Passed = append(details[i].Datapoints.Passed, key)
				} else {
					details[i].Datapoints.Failed = append(details[i].Datapoints.Failed, key)
					datapointPassed = false
				}
			}
			allMetrics = append(allMetrics, datapointMetric{
				Name:      m.Name,
				EventName: m.EventName,
				EventType: m.EventType,
				Value:     v,
				Passed:    outcome,
			})
		}
		entry := datapointBody{
			DatapointID: nullable(dp.ID),
			SessionID:   dp.SessionID,
			Passed:      datapointPassed,
			Metrics:     allMetrics[start:len(allMetrics):len(allMetrics)],
		}
		if dp.NullMetrics {
			entry.Metrics = nil
		}
		body.Datapoints = append(body.Datapoints, entry)
		if datapointPassed {
			body.Passed = append(body.Passed, key)
		} else {
			body.Failed = append(body.Failed, key)
		}
	}

	scratch := make([]float64, 0, len(run.Datapoints))
	for i := range details {
		scratch = scratch[:0]
		for _, v := range details[i].Values {
			if n, ok := v.Numeric(); ok {
				scratch = append(scratch, n)
			}
		}
		if agg, ok := aggregateNumbers(fn, scratch); ok {
			details[i].Aggregate = Number(agg)
		} else {
			details[i].Aggregate = Null()
		}
	}
	body.Metrics.Details = details

	seen := map[eventDetail]bool{}
	for _, m := range run.Metrics {
		ev := eventDetail{EventName: m.EventName, EventType: m.EventType}
		if ev.EventName == "" || seen[ev] {
			continue
		}
		seen[ev] = true
		body.EventDetails = append(body.EventDetails, ev)
	}
	body.Success = run.Status == "completed" && run.Error == "" && len(body.Failed) == 0
	return body
}
