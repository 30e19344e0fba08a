package models

import (
	"encoding/json"
	"fmt"
	"math"
)

// MetricDelta is one metric's comparison between two runs. The SDK keeps only
// some of these fields in its metric_deltas dicts; every field the API sends is
// kept here. Counts are nil when the server left them out.
type MetricDelta struct {
	MetricName       string
	MetricType       *string
	EventName        *string
	EventType        *string
	OldAggregate     Value
	NewAggregate     Value
	Difference       Value
	PercentageChange Value
	FoundCount       *int64
	ImprovedCount    *int64
	DegradedCount    *int64
	SameCount        *int64
	Improved         []string
	Degraded         []string
	Same             []string
	OldValues        []Value
	NewValues        []Value
}

// metricDeltaWire is the wire form; counts are read as Values so that a float
// such as 3.0 or a null is accepted and checked rather than failing the body.
type metricDeltaWire struct {
	MetricName       string   `json:"metric_name"`
	MetricType       *string  `json:"metric_type"`
	EventName        *string  `json:"event_name"`
	EventType        *string  `json:"event_type"`
	OldAggregate     Value    `json:"old_aggregate"`
	NewAggregate     Value    `json:"new_aggregate"`
	Difference       Value    `json:"difference"`
	PercentageChange Value    `json:"percentage_change"`
	FoundCount       Value    `json:"found_count"`
	ImprovedCount    Value    `json:"improved_count"`
	DegradedCount    Value    `json:"degraded_count"`
	SameCount        Value    `json:"same_count"`
	Improved         []string `json:"improved"`
	Degraded         []string `json:"degraded"`
	Same             []string `json:"same"`
	OldValues        []Value  `json:"old_values"`
	NewValues        []Value  `json:"new_values"`
}

type comparisonWire struct {
	CommonDatapoints []string          `json:"commonDatapoints"`
	Metrics          []metricDeltaWire `json:"metrics"`
	// Only the status and identity of the run objects are read, leniently
	// (embeddedRun).
	NewRun json.RawMessage `json:"new_run"`
	OldRun json.RawMessage `json:"old_run"`
}

// comparisonCountingWire reads past the per-datapoint lists: it counts the
// common datapoints and keeps none of the lists of each entry, whose own
// fields are shallower than metricDeltaWire's, so encoding/json uses them.
type comparisonCountingWire struct {
	CommonDatapoints countedIDs `json:"commonDatapoints"`
	Metrics          []struct {
		metricDeltaWire
		Improved  countedIDs  `json:"improved"`
		Degraded  countedIDs  `json:"degraded"`
		Same      countedIDs  `json:"same"`
		OldValues skippedJSON `json:"old_values"`
		NewValues skippedJSON `json:"new_values"`
	} `json:"metrics"`
	NewRun json.RawMessage `json:"new_run"`
	OldRun json.RawMessage `json:"old_run"`
}

// ComparisonDecodeOptions changes what DecodeRunComparisonResultWith keeps.
// The zero value keeps everything.
type ComparisonDecodeOptions struct {
	// SkipDatapointLists leaves the per-datapoint lists undecoded:
	// CommonDatapointIDs and each entry's Improved, Degraded, Same, OldValues
	// and NewValues stay nil, while CommonDatapoints still counts the common
	// datapoints, and the ID lists are counted (null or empty IDs and repeats
	// apart) to check the entries' counts as with the lists decoded.
	SkipDatapointLists bool
	// Limits bounds the metric entries and list lengths decoded; a body over
	// them fails with a *LimitError before anything is kept.
	Limits DecodeLimits
}

// RunComparisonResult is the comparison of a new run with an old one: the body
// of GET /v1/runs/{new}/compare/{old} (or its alias /compare-with/).
//
// Unlike the SDK, which always reports zero, NewOnlyDatapoints and
// OldOnlyDatapoints are real counts once CountExclusiveDatapoints has been given
// the two runs' summaries; the comparison body alone does not carry them.
type RunComparisonResult struct {
	NewRunID           string
	OldRunID           string
	CommonDatapoints   int
	CommonDatapointIDs []string
	NewOnlyDatapoints  int
	OldOnlyDatapoints  int
	// MetricDeltas holds every per-metric entry in body order. A metric name
	// repeats when the metric ran on several events.
	MetricDeltas []MetricDelta
	// NewRunStatus and OldRunStatus are the statuses of the body's new_run and
	// old_run objects; empty when absent, null or unreadable (they are a
	// courtesy: the runs' summaries say more).
	NewRunStatus ExperimentRunStatus
	OldRunStatus ExperimentRunStatus
	// BodyNewRun and BodyOldRun are the identities of the body's new_run and
	// old_run objects, empty when absent, null or unreadable: the runs the
	// body says it compares, which the client checks against those it asked
	// for.
	BodyNewRun, BodyOldRun RunIdentity
	// Anomalies are the inconsistencies decoding corrected (see
	// consistency.go): IDs skipped or counted once, counts that disagreed
	// with their lists.
	Anomalies []Anomaly
}

// DecodeRunComparisonResult decodes a comparison body for the two run IDs.
func DecodeRunComparisonResult(newRunID, oldRunID string, body []byte) (*RunComparisonResult, error) {
	return DecodeRunComparisonResultWith(newRunID, oldRunID, body, ComparisonDecodeOptions{})
}

// DecodeRunComparisonResultWith decodes a comparison body for the two run IDs
// as opts say.
func DecodeRunComparisonResultWith(newRunID, oldRunID string, body []byte, opts ComparisonDecodeOptions) (*RunComparisonResult, error) {
	if err := checkComparisonLimits(body, opts.Limits); err != nil {
		return nil, err
	}
	var w comparisonWire
	var commonCount int
	var common *countedIDs
	var counted [][3]countedIDs
	if opts.SkipDatapointLists {
		var cw comparisonCountingWire
		if err := unmarshalObject(body, &cw); err != nil {
			return nil, err
		}
		commonCount = cw.CommonDatapoints.n
		common = &cw.CommonDatapoints
		w.NewRun, w.OldRun = cw.NewRun, cw.OldRun
		if cw.Metrics != nil {
			w.Metrics = make([]metricDeltaWire, len(cw.Metrics))
			counted = make([][3]countedIDs, len(cw.Metrics))
			for i := range cw.Metrics {
				m := &cw.Metrics[i]
				w.Metrics[i] = m.metricDeltaWire
				counted[i] = [3]countedIDs{m.Improved, m.Degraded, m.Same}
			}
		}
	} else {
		if err := unmarshalObject(body, &w); err != nil {
			return nil, err
		}
		commonCount = len(w.CommonDatapoints)
	}
	r := &RunComparisonResult{
		NewRunID:           newRunID,
		OldRunID:           oldRunID,
		CommonDatapoints:   commonCount,
		CommonDatapointIDs: w.CommonDatapoints,
		MetricDeltas:       make([]MetricDelta, 0, len(w.Metrics)),
	}
	r.NewRunStatus, r.BodyNewRun = embeddedRun(w.NewRun)
	r.OldRunStatus, r.BodyOldRun = embeddedRun(w.OldRun)
	for i, m := range w.Metrics {
		d := MetricDelta{
			MetricName:       m.MetricName,
			MetricType:       m.MetricType,
			EventName:        m.EventName,
			EventType:        m.EventType,
			OldAggregate:     m.OldAggregate,
			NewAggregate:     m.NewAggregate,
			Difference:       m.Difference,
			PercentageChange: m.PercentageChange,
			Improved:         m.Improved,
			Degraded:         m.Degraded,
			Same:             m.Same,
			OldValues:        m.OldValues,
			NewValues:        m.NewValues,
		}
		counts := []struct {
			field string
			in    Value
			out   **int64
		}{
			{"found_count", m.FoundCount, &d.FoundCount},
			{"improved_count", m.ImprovedCount, &d.ImprovedCount},
			{"degraded_count", m.DegradedCount, &d.DegradedCount},
			{"same_count", m.SameCount, &d.SameCount},
		}
		for _, c := range counts {
			n, err := countOf(c.in)
			if err != nil {
				return nil, fmt.Errorf("metrics[%d] (%q).%s: %w", i, m.MetricName, c.field, err)
			}
			*c.out = n
		}
		r.MetricDeltas = append(r.MetricDeltas, d)
	}
	if opts.SkipDatapointLists && counted == nil {
		counted = [][3]countedIDs{}
	}
	r.checkConsistency(common, counted)
	return r, nil
}

// embeddedRun reads the status and the identity (run_id, id) of a run object
// embedded in another body (a comparison's new_run and old_run), each empty
// when absent, null or not a string: such a copy never fails the body that
// carries it, but the client checks an ID that is there against the run it
// asked for. The object is scanned once; each field is read on its own, so
// that a malformed status cannot hide the identity.
func embeddedRun(raw json.RawMessage) (ExperimentRunStatus, RunIdentity) {
	var w struct {
		Status json.RawMessage `json:"status"`
		RunID  json.RawMessage `json:"run_id"`
		ID     json.RawMessage `json:"id"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &w) != nil {
		return "", RunIdentity{}
	}
	return ExperimentRunStatus(embeddedString(w.Status)),
		RunIdentity{RunID: embeddedString(w.RunID), ID: embeddedString(w.ID)}
}

// embeddedString is a field of an embedded object as a string, "" when it is
// absent, null or not a string.
func embeddedString(raw json.RawMessage) string {
	var s string
	if len(raw) == 0 || json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// countOf reads a count: null stays nil; anything else must be a whole,
// non-negative number.
func countOf(v Value) (*int64, error) {
	if v.IsNull() {
		return nil, nil
	}
	f, ok := v.Float64()
	if !ok || v.Kind() != KindNumber {
		t, _ := v.Text()
		return nil, fmt.Errorf("want a count, got %s %s", v.Kind(), t)
	}
	if f < 0 || f != math.Trunc(f) || f > 1<<53 {
		t, _ := v.Text()
		return nil, fmt.Errorf("want a whole non-negative count, got %s", t)
	}
	n := int64(f)
	return &n, nil
}

// GetMetricDelta returns the comparison of one metric. Where the name repeats,
// the first entry is returned, matching AggregatedMetrics.GetMetric (the SDK's
// dict would keep the last; first is chosen so both data sources' maps point at
// the same event). Entries without a name are never returned.
func (r *RunComparisonResult) GetMetricDelta(metricName string) (MetricDelta, bool) {
	if metricName == "" {
		return MetricDelta{}, false
	}
	for _, d := range r.MetricDeltas {
		if d.MetricName == metricName {
			return d, true
		}
	}
	return MetricDelta{}, false
}

// MetricNames returns each metric name once, in body order. Entries without a
// name (see UnnamedMetricDeltas) are left out, as the SDK drops them.
func (r *RunComparisonResult) MetricNames() []string {
	return r.namesWhere(func(MetricDelta) bool { return true })
}

// ListImprovedMetrics returns the names of metrics with improved_count > 0 on
// any of their entries (the SDK's list_improved_metrics, which sees only one
// entry per name), in body order. A metric may also be listed as degraded.
func (r *RunComparisonResult) ListImprovedMetrics() []string {
	return r.namesWhere(func(d MetricDelta) bool { return d.ImprovedCount != nil && *d.ImprovedCount > 0 })
}

// ListDegradedMetrics returns the names of metrics with degraded_count > 0 on
// any of their entries (the SDK's list_degraded_metrics), in body order.
func (r *RunComparisonResult) ListDegradedMetrics() []string {
	return r.namesWhere(func(d MetricDelta) bool { return d.DegradedCount != nil && *d.DegradedCount > 0 })
}

// UnnamedMetricDeltas returns the indexes in MetricDeltas of the entries whose
// metric_name is empty, null or missing. The SDK drops them; the name lists
// and GetMetricDelta leave them out.
func (r *RunComparisonResult) UnnamedMetricDeltas() []int {
	var unnamed []int
	for i, d := range r.MetricDeltas {
		if d.MetricName == "" {
			unnamed = append(unnamed, i)
		}
	}
	return unnamed
}

// namesWhere returns each name, once and in order of first appearance, of
// which at least one entry satisfies keep: a metric computed on several events
// is listed when any of its entries qualifies, not only its first. Unnamed
// entries are skipped.
func (r *RunComparisonResult) namesWhere(keep func(MetricDelta) bool) []string {
	order := []string{}
	kept := make(map[string]bool, len(r.MetricDeltas))
	for _, d := range r.MetricDeltas {
		if d.MetricName == "" {
			continue
		}
		was, seen := kept[d.MetricName]
		if !seen {
			order = append(order, d.MetricName)
		}
		kept[d.MetricName] = was || keep(d)
	}
	names := []string{}
	for _, name := range order {
		if kept[name] {
			names = append(names, name)
		}
	}
	return names
}

// CountExclusiveDatapoints sets NewOnlyDatapoints and OldOnlyDatapoints from the
// datapoint IDs of the two runs' summaries.
func (r *RunComparisonResult) CountExclusiveDatapoints(newRun, oldRun *ExperimentResultSummary) {
	newIDs, oldIDs := newRun.DatapointIDs(), oldRun.DatapointIDs()
	r.NewOnlyDatapoints = countMissing(newIDs, oldIDs)
	r.OldOnlyDatapoints = countMissing(oldIDs, newIDs)
}

// countMissing counts the IDs of from that are absent from in.
func countMissing(from, in []string) int {
	set := make(map[string]struct{}, len(in))
	for _, id := range in {
		set[id] = struct{}{}
	}
	n := 0
	for _, id := range from {
		if _, ok := set[id]; !ok {
			n++
		}
	}
	return n
}
