package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

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
	// DatapointCount is how many datapoints the server listed, however they
	// were decoded (SummaryDecodeOptions.Datapoints); nil when it sent no
	// list.
	DatapointCount *int `json:"-"`
	// PairingDatapoints holds the datapoints in the compact form the paired
	// statistics read, when they were decoded so (DatapointsForPairing);
	// Datapoints is then nil.
	PairingDatapoints []PairingDatapoint `json:"-"`
	// RunObject is what the run is (name, dataset, ...), when the body carries
	// it; older deployments do not.
	RunObject *Run `json:"-"`
	// Anomalies are the inconsistencies decoding corrected (see
	// consistency.go): null or empty IDs skipped, repeated IDs counted once.
	Anomalies []Anomaly `json:"-"`
}

// DatapointDecoding says what decoding a summary keeps of its datapoints.
type DatapointDecoding uint8

const (
	// DatapointsFull decodes every datapoint into Datapoints.
	DatapointsFull DatapointDecoding = iota
	// DatapointsCounted keeps only their number, DatapointCount (each element
	// must still be a JSON object or null). On large runs the datapoints are
	// most of the body, so a caller that uses none of them saves most of the
	// decoding's time and memory.
	DatapointsCounted
	// DatapointsForPairing keeps, in PairingDatapoints, each datapoint's IDs
	// and its metrics' names, event names and values as numbers: what a
	// comparison's paired statistics and datapoint counts read, at a fraction
	// of the full decoding's time and memory.
	DatapointsForPairing
)

// SummaryDecodeOptions changes what DecodeExperimentResultSummaryWith keeps.
// The zero value keeps everything.
type SummaryDecodeOptions struct {
	Datapoints DatapointDecoding
	// SkipMetricValues leaves each metric entry's Values nil: one value per
	// datapoint and metric, which callers that read values per datapoint, or
	// not at all, do not need.
	SkipMetricValues bool
	// Limits bounds the metric entries and list lengths decoded; a body over
	// them fails with a *LimitError before any list grows past them.
	Limits DecodeLimits
}

// summaryFields are the summary's fields other than its datapoints. Pointers
// tolerate null for the fields the SDK types as non-optional, which older
// deployments send. Metrics are decoded from their text afterwards, as the
// options say.
type summaryFields struct {
	Status    *string         `json:"status"`
	Success   *bool           `json:"success"`
	Error     *string         `json:"error"`
	Passed    []string        `json:"passed"`
	Failed    []string        `json:"failed"`
	Metrics   json.RawMessage `json:"metrics"`
	RunObject json.RawMessage `json:"run_object"`
}

type summaryWire struct {
	summaryFields
	Datapoints []DatapointResult `json:"datapoints"`
}

// DecodeExperimentResultSummary decodes a summary body for runID.
func DecodeExperimentResultSummary(runID string, body []byte) (*ExperimentResultSummary, error) {
	return DecodeExperimentResultSummaryWith(runID, body, SummaryDecodeOptions{})
}

// DecodeExperimentResultSummaryWith decodes a summary body for runID as opts say.
func DecodeExperimentResultSummaryWith(runID string, body []byte, opts SummaryDecodeOptions) (*ExperimentResultSummary, error) {
	s := &ExperimentResultSummary{RunID: runID}
	var w summaryFields
	var dpAnomalies []Anomaly
	switch opts.Datapoints {
	case DatapointsCounted:
		var counted countedDatapoints
		if err := unmarshalSpliced(body, &w, &counted, &s.Metrics, opts); err != nil {
			return nil, err
		}
		if counted.set {
			s.DatapointCount = new(counted.n - counted.missing - counted.repeated)
			dpAnomalies = counted.anomalies()
		}
	case DatapointsForPairing:
		var pairing pairingDatapoints
		if err := unmarshalSpliced(body, &w, &pairing, &s.Metrics, opts); err != nil {
			return nil, err
		}
		s.PairingDatapoints = pairing.list
		if pairing.list != nil {
			s.DatapointCount = new(len(pairing.list))
		}
	default:
		// encoding/json decodes this body whole: its limits are checked first.
		if err := checkSummaryLimits(body, opts.Limits); err != nil {
			return nil, err
		}
		var fw summaryWire
		if err := unmarshalObject(body, &fw); err != nil {
			return nil, err
		}
		w, s.Datapoints = fw.summaryFields, fw.Datapoints
		if s.Datapoints != nil {
			s.DatapointCount = new(len(s.Datapoints))
		}
		if err := s.Metrics.decode(w.Metrics, opts.SkipMetricValues); err != nil {
			return nil, fmt.Errorf("invalid JSON body: %w", err)
		}
	}
	s.Error, s.Passed, s.Failed = w.Error, w.Passed, w.Failed
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
	if err := s.checkConsistency(dpAnomalies); err != nil {
		return nil, err
	}
	return s, nil
}

// datapointsReader reads the value of a summary's "datapoints" key.
type datapointsReader interface {
	// read counts each list's elements with lim before keeping them.
	read(s *jsonScanner, lim *limitScan) error
}

// unmarshalSpliced decodes a summary body whose datapoints dp reads and whose
// metrics go to metrics: the scanner reads the body's top level, hands each
// "datapoints" and "metrics" value to them, and encoding/json decodes the
// rest into w, with those values replaced by null. On large runs the
// datapoints and each metric's lists are nearly all the body, and
// encoding/json would scan them twice (to check the body, then to find each
// value's end) before reading them.
//
// The limits are checked in the same walk, in body order, as
// checkSummaryLimits checks them: dp counts the datapoints' lists as it reads
// them, passed and failed are counted here, and the metrics, which are handed
// to encoding/json, are checked before they are read. On any other error,
// checkSummaryLimits decides whether a limit is reached further on, so the
// error is the one a check before decoding would give.
func unmarshalSpliced(body []byte, w any, dp datapointsReader, metrics *AggregatedMetrics, opts SummaryDecodeOptions) error {
	err := unmarshalSplicedLimited(body, w, dp, metrics, opts)
	if err == nil {
		return nil
	}
	if _, ok := err.(*LimitError); !ok {
		if le := checkSummaryLimits(body, opts.Limits); le != nil {
			return le
		}
	}
	return err
}

func unmarshalSplicedLimited(body []byte, w any, dp datapointsReader, metrics *AggregatedMetrics, opts SummaryDecodeOptions) error {
	trimmed := bytes.TrimSpace(body)
	if err := checkObjectStart(trimmed); err != nil {
		return err
	}
	s := &jsonScanner{data: trimmed}
	lim := newLimitScan(nil, opts.Limits)
	lim.s = s
	var rest []byte
	copied := 0 // trimmed[:copied] is in rest
	err := s.object(func(key []byte) error {
		var read func() error
		switch {
		case keyIs(key, "datapoints"):
			read = func() error { return dp.read(s, lim) }
		case keyIs(key, "metrics"):
			read = func() error {
				start := s.pos
				if err := lim.summaryMetrics(); err != nil {
					if _, ok := err.(*LimitError); ok {
						return err
					}
				}
				s.pos = start
				return metrics.read(s, opts.SkipMetricValues)
			}
		case keyIs(key, "passed"), keyIs(key, "failed"):
			// Left to encoding/json, but counted now.
			return lim.list(string(key), LimitDatapoints, lim.maxDP, nil)
		default:
			_, err := s.skipValue()
			return err
		}
		s.skipSpace()
		start := s.pos
		if err := read(); err != nil {
			return err
		}
		rest = append(append(rest, trimmed[copied:start]...), "null"...)
		copied = s.pos
		return nil
	})
	if err == nil {
		err = s.end()
	}
	if _, ok := err.(*LimitError); ok {
		return err
	}
	if err != nil {
		return fmt.Errorf("invalid JSON body: %w", err)
	}
	if copied > 0 {
		trimmed = append(rest, trimmed[copied:]...)
	}
	if err := json.Unmarshal(trimmed, w); err != nil {
		return fmt.Errorf("invalid JSON body: %w", err)
	}
	return nil
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
	n := len(s.Datapoints) + len(s.PairingDatapoints)
	seen := make(map[string]struct{}, n+len(s.Passed)+len(s.Failed))
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
	for i := range s.PairingDatapoints {
		if id, ok := s.PairingDatapoints[i].ID(); ok {
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

// pairingView returns the datapoints in their compact form, converting
// fully decoded ones.
func (s *ExperimentResultSummary) pairingView() []PairingDatapoint {
	if s.Datapoints == nil {
		return s.PairingDatapoints
	}
	view := make([]PairingDatapoint, len(s.Datapoints))
	for i := range s.Datapoints {
		view[i] = pairingDatapointOf(&s.Datapoints[i])
	}
	return view
}

// unmarshalObject decodes a body that must be a JSON object, with an error that
// says what it was instead when it is not (an empty 200, an HTML page, ...).
func unmarshalObject(body []byte, v any) error {
	trimmed := bytes.TrimSpace(body)
	if err := checkObjectStart(trimmed); err != nil {
		return err
	}
	if err := json.Unmarshal(trimmed, v); err != nil {
		return fmt.Errorf("invalid JSON body: %w", err)
	}
	return nil
}

// checkObjectStart says what a trimmed body is instead when it cannot be a
// JSON object.
func checkObjectStart(trimmed []byte) error {
	if len(trimmed) == 0 {
		return fmt.Errorf("empty body where a JSON object was expected")
	}
	if trimmed[0] != '{' {
		return fmt.Errorf("body is not a JSON object (it starts with %q)", excerpt(trimmed, 40))
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
