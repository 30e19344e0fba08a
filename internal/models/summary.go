package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// MetricDatapoints lists the datapoints that passed and failed one metric.
type MetricDatapoints struct {
	Passed []string `json:"passed"`
	Failed []string `json:"failed"`
}

// PassingRange is the range of values within which a metric passes a datapoint.
// The SDK drops it; the API sends it and gates want it.
type PassingRange struct {
	Min Value `json:"min"`
	Max Value `json:"max"`
}

// MetricDetail is one metric's aggregated result (an entry of metrics.details).
type MetricDetail struct {
	MetricName   string            `json:"metric_name"`
	MetricType   *string           `json:"metric_type"`
	EventName    *string           `json:"event_name"`
	EventType    *string           `json:"event_type"`
	Aggregate    Value             `json:"aggregate"`
	Values       []Value           `json:"values"`
	PassingRange *PassingRange     `json:"passing_range"`
	Datapoints   *MetricDatapoints `json:"datapoints"`
}

// DatapointMetric is one metric's value for one datapoint.
type DatapointMetric struct {
	Name      string  `json:"name"`
	EventName *string `json:"event_name"`
	EventType *string `json:"event_type"`
	Value     Value   `json:"value"`
	Passed    *bool   `json:"passed"`
}

// DatapointResult is the result of one datapoint of a run.
type DatapointResult struct {
	DatapointID *string           `json:"datapoint_id"`
	SessionID   *string           `json:"session_id"`
	Passed      *bool             `json:"passed"`
	Metrics     []DatapointMetric `json:"metrics"`
}

// ID returns the identifier the server uses for this datapoint in passed/failed
// lists: the datapoint ID, or the session ID where the datapoint has none.
func (d DatapointResult) ID() (string, bool) {
	if d.DatapointID != nil {
		return *d.DatapointID, true
	}
	if d.SessionID != nil {
		return *d.SessionID, true
	}
	return "", false
}

// AggregatedMetrics holds a run's aggregated metrics in either of the two
// formats the API has used: the current details array, or the legacy format
// where every key of the metrics object other than aggregation_function is a
// metric name. The SDK keeps the legacy entries as raw dicts (pydantic's
// model_extra); here they decode into MetricDetail values named after their key,
// in the order the server sent them, so callers handle one type.
type AggregatedMetrics struct {
	AggregationFunction *string
	Details             []MetricDetail
	// Legacy holds the per-key metrics of the legacy format, in body order.
	Legacy []MetricDetail
}

// GetMetric returns the first entry of Details named metricName, else the
// legacy entry of that name, as the SDK's get_metric does.
func (m AggregatedMetrics) GetMetric(metricName string) (MetricDetail, bool) {
	for _, d := range m.Details {
		if d.MetricName == metricName {
			return d, true
		}
	}
	for _, d := range m.Legacy {
		if d.MetricName == metricName {
			return d, true
		}
	}
	return MetricDetail{}, false
}

// ListMetrics returns the metric names of Details in order (a name repeats when
// the server sends it for several events), or the legacy keys when Details is
// empty: the SDK's list_metrics.
func (m AggregatedMetrics) ListMetrics() []string {
	entries := m.entries()
	names := make([]string, len(entries))
	for i, d := range entries {
		names[i] = d.MetricName
	}
	return names
}

// GetAllMetrics returns the metrics by name, as the SDK's get_all_metrics does:
// from Details when it is not empty, else from the legacy keys. Like the SDK's
// dict comprehension, a repeated name keeps its last entry; GetMetric, and the
// provider's maps, keep the first. Use Entries for every entry.
func (m AggregatedMetrics) GetAllMetrics() map[string]MetricDetail {
	entries := m.entries()
	all := make(map[string]MetricDetail, len(entries))
	for _, d := range entries {
		all[d.MetricName] = d
	}
	return all
}

// Entries returns every metric entry in the format ListMetrics reads from,
// repeated names included.
func (m AggregatedMetrics) Entries() []MetricDetail { return m.entries() }

func (m AggregatedMetrics) entries() []MetricDetail {
	if len(m.Details) > 0 {
		return m.Details
	}
	return m.Legacy
}

// UnmarshalJSON reads both metric formats. Keys are visited in body order so
// that legacy metrics keep the order the server gave them.
func (m *AggregatedMetrics) UnmarshalJSON(data []byte) error {
	*m = AggregatedMetrics{}
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if delim, ok := tok.(json.Delim); !ok || delim != '{' {
		return fmt.Errorf("metrics: want a JSON object, got %s", describeToken(tok))
	}
	for dec.More() {
		keyTok, err := dec.Token()
		if err != nil {
			return err
		}
		key := keyTok.(string) // object keys are always strings
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("metrics.%s: %w", key, err)
		}
		switch key {
		case "aggregation_function":
			if err := json.Unmarshal(raw, &m.AggregationFunction); err != nil {
				return fmt.Errorf("metrics.aggregation_function: %w", err)
			}
		case "details":
			if err := json.Unmarshal(raw, &m.Details); err != nil {
				return fmt.Errorf("metrics.details: %w", err)
			}
		default:
			d, err := decodeLegacyMetric(key, raw)
			if err != nil {
				return fmt.Errorf("metrics.%s: %w", key, err)
			}
			m.Legacy = append(m.Legacy, d)
		}
	}
	_, err = dec.Token() // closing brace
	return err
}

// decodeLegacyMetric reads one legacy entry. Most are objects such as
// {"aggregate": 0.85, "values": [...]}; a bare value is taken as the aggregate
// so that it stays visible rather than failing the whole body.
func decodeLegacyMetric(name string, raw json.RawMessage) (MetricDetail, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var d MetricDetail
		if err := json.Unmarshal(trimmed, &d); err != nil {
			return MetricDetail{}, err
		}
		d.MetricName = name
		return d, nil
	}
	var v Value
	if err := v.UnmarshalJSON(trimmed); err != nil {
		return MetricDetail{}, err
	}
	return MetricDetail{MetricName: name, Aggregate: v}, nil
}

// MarshalJSON writes the current format, or the legacy one when there are no
// details, so a decoded body round-trips.
func (m AggregatedMetrics) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	agg, err := json.Marshal(m.AggregationFunction)
	if err != nil {
		return nil, err
	}
	buf.WriteString(`"aggregation_function":`)
	buf.Write(agg)
	if len(m.Details) > 0 || len(m.Legacy) == 0 {
		details, err := json.Marshal(m.Details)
		if err != nil {
			return nil, err
		}
		buf.WriteString(`,"details":`)
		buf.Write(details)
	}
	for _, d := range m.Legacy {
		key, _ := json.Marshal(d.MetricName)
		body, err := json.Marshal(d)
		if err != nil {
			return nil, err
		}
		buf.WriteByte(',')
		buf.Write(key)
		buf.WriteByte(':')
		buf.Write(body)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

func describeToken(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		return string(t)
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	default:
		return "a number"
	}
}

// ExperimentResultSummary is a run's result summary: the body of
// GET /v1/runs/{id}/summary (or its alias /result).
type ExperimentResultSummary struct {
	// RunID is not in the body; the client sets it from the request.
	RunID string `json:"-"`
	// Status is the summary's status or, when the summary has none (the
	// field missing, null or empty), its run_object's; empty when neither
	// says.
	Status     ExperimentRunStatus `json:"status"`
	Success    bool                `json:"success"`
	Error      *string             `json:"error"`
	Passed     []string            `json:"passed"`
	Failed     []string            `json:"failed"`
	Metrics    AggregatedMetrics   `json:"metrics"`
	Datapoints []DatapointResult   `json:"datapoints"`
	// DatapointCount is how many datapoints the server listed, also when
	// their contents were skipped (SummaryDecodeOptions.SkipDatapoints); nil
	// when it sent no list.
	DatapointCount *int `json:"-"`
	// RunObject is what the run is (name, dataset, ...), when the body carries
	// it; older deployments do not.
	RunObject *Run `json:"-"`
}

// SummaryDecodeOptions changes what DecodeExperimentResultSummaryWith keeps.
type SummaryDecodeOptions struct {
	// SkipDatapoints leaves the contents of the per-datapoint list undecoded:
	// Datapoints stays nil and only DatapointCount says how long the list was
	// (each element must still be a JSON object or null). On large runs the
	// datapoints are most of the body, so a caller that uses none of them
	// saves most of the decoding's time and memory.
	SkipDatapoints bool
}

// summaryFields are the summary's fields other than its datapoints. Pointers
// tolerate null for the fields the SDK types as non-optional, which older
// deployments send.
type summaryFields struct {
	Status    *string           `json:"status"`
	Success   *bool             `json:"success"`
	Error     *string           `json:"error"`
	Passed    []string          `json:"passed"`
	Failed    []string          `json:"failed"`
	Metrics   AggregatedMetrics `json:"metrics"`
	RunObject json.RawMessage   `json:"run_object"`
}

type summaryWire struct {
	summaryFields
	Datapoints []DatapointResult `json:"datapoints"`
}

// summaryCountingWire decodes each datapoint into an empty struct: the
// elements are checked to be objects and counted, and nothing is kept.
type summaryCountingWire struct {
	summaryFields
	Datapoints []struct{} `json:"datapoints"`
}

// DecodeExperimentResultSummary decodes a summary body for runID.
func DecodeExperimentResultSummary(runID string, body []byte) (*ExperimentResultSummary, error) {
	return DecodeExperimentResultSummaryWith(runID, body, SummaryDecodeOptions{})
}

// DecodeExperimentResultSummaryWith decodes a summary body for runID as opts say.
func DecodeExperimentResultSummaryWith(runID string, body []byte, opts SummaryDecodeOptions) (*ExperimentResultSummary, error) {
	var (
		w          summaryFields
		datapoints []DatapointResult
		count      *int
	)
	if opts.SkipDatapoints {
		var cw summaryCountingWire
		if err := unmarshalObject(body, &cw); err != nil {
			return nil, err
		}
		w = cw.summaryFields
		if cw.Datapoints != nil {
			count = new(len(cw.Datapoints))
		}
	} else {
		var fw summaryWire
		if err := unmarshalObject(body, &fw); err != nil {
			return nil, err
		}
		w, datapoints = fw.summaryFields, fw.Datapoints
		if datapoints != nil {
			count = new(len(datapoints))
		}
	}
	s := &ExperimentResultSummary{
		RunID:          runID,
		Error:          w.Error,
		Passed:         w.Passed,
		Failed:         w.Failed,
		Metrics:        w.Metrics,
		Datapoints:     datapoints,
		DatapointCount: count,
	}
	if w.Status != nil {
		s.Status = ExperimentRunStatus(*w.Status)
	}
	if w.Success != nil {
		s.Success = *w.Success
	}
	s.RunObject = decodeEmbeddedRun(w.RunObject)
	if s.Status == "" && s.RunObject != nil {
		s.Status = s.RunObject.Status
	}
	return s, nil
}

// decodeEmbeddedRun reads the summary's run_object. It is a courtesy copy of
// GET /v1/runs/{id}: one that is absent or unreadable is left nil rather than
// failing the results, and callers fetch the run object instead.
func decodeEmbeddedRun(raw json.RawMessage) *Run {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil
	}
	var w runWire
	if err := json.Unmarshal(trimmed, &w); err != nil {
		return nil
	}
	run, err := w.run()
	if err != nil {
		return nil
	}
	return run
}

// DatapointIDs returns every datapoint identifier the summary mentions (the
// datapoints' IDs, session IDs standing in for missing ones, and the passed and
// failed lists), each once, in first-seen order.
func (s *ExperimentResultSummary) DatapointIDs() []string {
	seen := make(map[string]struct{}, len(s.Datapoints)+len(s.Passed)+len(s.Failed))
	var ids []string
	add := func(id string) {
		if _, dup := seen[id]; !dup {
			seen[id] = struct{}{}
			ids = append(ids, id)
		}
	}
	for _, d := range s.Datapoints {
		if id, ok := d.ID(); ok {
			add(id)
		}
	}
	for _, id := range s.Passed {
		add(id)
	}
	for _, id := range s.Failed {
		add(id)
	}
	return ids
}

// unmarshalObject decodes a body that must be a JSON object, with an error that
// says what it was instead when it is not (an empty 200, an HTML page, ...).
func unmarshalObject(body []byte, v any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return fmt.Errorf("empty body where a JSON object was expected")
	}
	if trimmed[0] != '{' {
		return fmt.Errorf("body is not a JSON object (it starts with %q)", excerpt(trimmed, 40))
	}
	if err := json.Unmarshal(trimmed, v); err != nil {
		return fmt.Errorf("invalid JSON body: %w", err)
	}
	return nil
}

func excerpt(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	for n > 0 && !utf8.RuneStart(b[n]) { // do not cut a character in two
		n--
	}
	return string(b[:n]) + "…"
}
