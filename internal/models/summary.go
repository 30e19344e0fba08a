package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
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
	Status  ExperimentRunStatus `json:"status"`
	Success bool                `json:"success"`
	Error   *string             `json:"error"`
	Passed  []string            `json:"passed"`
	Failed  []string            `json:"failed"`
	Metrics AggregatedMetrics   `json:"metrics"`
	// Datapoints are the datapoints, each ID once (see consistency.go); nil
	// when the server sent no list, or when SkipDatapoints left them out.
	Datapoints []DatapointResult `json:"datapoints"`
	// DatapointCount is how many datapoints the server listed, each ID once,
	// whether Datapoints holds them or not; nil when it sent no list.
	DatapointCount *int `json:"-"`
	// RunObject is what the run is (name, dataset, ...), when the body carries
	// it; older deployments do not.
	RunObject *Run `json:"-"`
	// Anomalies are the inconsistencies decoding corrected (see
	// consistency.go): null or empty IDs skipped, repeated IDs counted once.
	Anomalies []Anomaly `json:"-"`
}

// SummaryDecodeOptions changes what DecodeExperimentResultSummaryWith keeps.
// The zero value keeps everything.
type SummaryDecodeOptions struct {
	// SkipDatapoints leaves Datapoints nil; DatapointCount still counts them
	// (each element must still be a JSON object or null). On large runs the
	// datapoints are most of the body, and a caller that uses none of them
	// saves most of the decoding's memory.
	SkipDatapoints bool
	// SkipMetricValues leaves each metric entry's Values nil: one value per
	// datapoint and metric, which callers that read values per datapoint, or
	// not at all, do not need.
	SkipMetricValues bool
	// Limits bounds the metric entries and list lengths decoded; a body over
	// them fails with a *LimitError before any list grows past them.
	Limits DecodeLimits
}

// DecodeExperimentResultSummary decodes a summary body for runID.
func DecodeExperimentResultSummary(runID string, body []byte) (*ExperimentResultSummary, error) {
	return DecodeExperimentResultSummaryWith(runID, body, SummaryDecodeOptions{})
}

// DecodeExperimentResultSummaryWith decodes a summary body for runID as opts say.
func DecodeExperimentResultSummaryWith(runID string, body []byte, opts SummaryDecodeOptions) (*ExperimentResultSummary, error) {
	s := &ExperimentResultSummary{RunID: runID}
	ids, err := s.read(body, opts)
	if err != nil {
		// The limits are counted in body order as the body is read; a limit
		// reached past another error is the error a check before decoding
		// would give.
		if _, ok := err.(*LimitError); !ok {
			if le := checkSummaryLimits(body, opts.Limits); le != nil {
				return nil, le
			}
		}
		return nil, err
	}
	if s.Status == "" && s.RunObject != nil {
		s.Status = s.RunObject.Status
	}
	if err := s.checkConsistency(ids); err != nil {
		return nil, err
	}
	return s, nil
}

// read reads a summary body's top level token by token: its datapoints go to
// datapointsDecoder (or, with SkipDatapoints, only their IDs' hashes, to
// ids), its metrics to AggregatedMetrics, and its other fields to
// encoding/json. The limits are counted on the way, in body order, as
// checkSummaryLimits counts them.
func (s *ExperimentResultSummary) read(body []byte, opts SummaryDecodeOptions) (ids []datapointIDs, err error) {
	trimmed := bytes.TrimSpace(body)
	if err := checkObjectStart(trimmed); err != nil {
		return nil, err
	}
	lim := newLimitWalk(trimmed, opts.Limits)
	dec := lim.dec
	dps := &datapointsDecoder{lim: lim, bools: [2]bool{false, true}}
	// Pointers tolerate null for the fields the SDK types as non-optional,
	// which older deployments send.
	var status *string
	var success *bool
	var runObject json.RawMessage
	fields := []struct {
		name string
		to   any
	}{
		{"status", &status}, {"success", &success}, {"error", &s.Error},
		{"passed", &s.Passed}, {"failed", &s.Failed}, {"run_object", &runObject},
	}
	err = object(dec, "summary", func(key []byte) error {
		switch {
		case keyIs(key, "datapoints") && opts.SkipDatapoints:
			return dps.ids(&ids)
		case keyIs(key, "datapoints"):
			return dps.list(&s.Datapoints)
		case keyIs(key, "metrics"):
			raw, err := dec.ReadValue()
			if err != nil {
				return err
			}
			if err := lim.within(raw, lim.summaryMetrics); err != nil {
				return err
			}
			return s.Metrics.decode(raw, opts.SkipMetricValues)
		}
		for _, f := range fields {
			if !keyIs(key, f.name) {
				continue
			}
			raw, err := dec.ReadValue()
			if err != nil {
				return err
			}
			if f.name == "passed" || f.name == "failed" {
				where := string(key)
				if err := lim.within(raw, func() error { return lim.list(where, LimitDatapoints, lim.maxDP, nil) }); err != nil {
					return err
				}
			}
			if err := json.Unmarshal(raw, f.to); err != nil {
				return fmt.Errorf("%s: %w", f.name, err)
			}
			return nil
		}
		return dec.SkipValue()
	})
	if err == nil {
		if _, end := dec.ReadToken(); end != io.EOF {
			err = fmt.Errorf("unexpected data after the object at offset %d", dec.InputOffset())
		}
	}
	if _, ok := err.(*LimitError); ok {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("invalid JSON body: %w", err)
	}
	if status != nil {
		s.Status = ExperimentRunStatus(*status)
	}
	if success != nil {
		s.Success = *success
	}
	s.RunObject = decodeEmbeddedRun(runObject)
	return ids, nil
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
