package models

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// RunList is one page of GET /v1/runs: {"evaluations": [run, ...],
// "pagination": {...}, "metrics": [names]}.
type RunList struct {
	// Runs are the page's run objects, in the server's order.
	Runs []Run
	// Pagination is nil when the body has none (or null): older or
	// non-conforming servers. Callers then page until a page comes back short.
	Pagination *Pagination
}

// Pagination is the list body's pagination object. Every field is nil when
// the server did not send it (or sent null), so that callers never mistake a
// missing has_next for "no more pages".
type Pagination struct {
	// Page is the 1-based page number the server answered.
	Page *int `json:"page"`
	// Limit is the page size the server applied.
	Limit *int `json:"limit"`
	// Total is the number of runs matching the filters, over all pages.
	Total *int `json:"total"`
	// TotalUnfiltered is the number of runs in the project, filters ignored.
	TotalUnfiltered *int `json:"total_unfiltered"`
	// TotalPages is the number of pages of Limit runs.
	TotalPages *int  `json:"total_pages"`
	HasNext    *bool `json:"has_next"`
	HasPrev    *bool `json:"has_prev"`
}

// DecodeRunList decodes the body of GET /v1/runs. "evaluations" must be
// present (null reads as an empty page; a missing key means the body is not a
// run list); each entry decodes as DecodeRun decodes its "evaluation", so
// Metadata is kept as sent and MetricNames are the keys of the run's metrics.
// Missing or null pagination gives a nil Pagination; negative counts are
// rejected.
func DecodeRunList(body []byte) (*RunList, error) {
	var w struct {
		Evaluations json.RawMessage `json:"evaluations"`
		Pagination  *Pagination     `json:"pagination"`
	}
	if err := unmarshalObject(body, &w); err != nil {
		return nil, err
	}
	if len(w.Evaluations) == 0 {
		return nil, fmt.Errorf(`body has no "evaluations" list`)
	}
	var entries []json.RawMessage
	if err := json.Unmarshal(w.Evaluations, &entries); err != nil {
		return nil, fmt.Errorf("evaluations: want a JSON array: %w", err)
	}
	list := &RunList{Runs: make([]Run, 0, len(entries))}
	for i, raw := range entries {
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			return nil, fmt.Errorf("evaluations[%d] is null, not a run object", i)
		}
		var rw runWire
		if err := json.Unmarshal(raw, &rw); err != nil {
			return nil, fmt.Errorf("evaluations[%d]: %w", i, err)
		}
		// The metrics are read here so that an error names the entry
		// (run() would call it "evaluation.metrics").
		metrics := rw.Metrics
		rw.Metrics = nil
		r, err := rw.run()
		if err != nil {
			return nil, fmt.Errorf("evaluations[%d]: %w", i, err)
		}
		if r.MetricNames, err = objectKeys(metrics); err != nil {
			return nil, fmt.Errorf("evaluations[%d].metrics: %w", i, err)
		}
		list.Runs = append(list.Runs, *r)
	}
	if p := w.Pagination; p != nil {
		for _, f := range []struct {
			name  string
			value *int
		}{
			{"page", p.Page}, {"limit", p.Limit}, {"total", p.Total},
			{"total_unfiltered", p.TotalUnfiltered}, {"total_pages", p.TotalPages},
		} {
			if f.value != nil && *f.value < 0 {
				return nil, fmt.Errorf("pagination.%s is negative (%d)", f.name, *f.value)
			}
		}
		list.Pagination = p
	}
	return list, nil
}
