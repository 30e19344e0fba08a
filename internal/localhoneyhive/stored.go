package localhoneyhive

import (
	"encoding/json"
	"fmt"
	"sync"
)

// storedRun is one run: either structured (summaries computed per
// aggregate function, cached) or raw (a verbatim body).
type storedRun struct {
	seq        int
	object     *runObject // immutable once stored
	structured *Run       // nil for raw runs
	raw        []byte

	mu        sync.Mutex
	bodies    map[AggregateFunction][]byte
	views     map[AggregateFunction]*summaryBody
	rawView   *summaryBody
	rawErr    error
	rawParsed bool
}

// summaryJSON returns the summary body for fn.
func (e *storedRun) summaryJSON(fn AggregateFunction) ([]byte, error) {
	if e.structured == nil {
		return e.raw, nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if body, ok := e.bodies[fn]; ok {
		return body, nil
	}
	body, err := json.Marshal(e.viewLocked(fn))
	if err != nil {
		return nil, err
	}
	if e.bodies == nil {
		e.bodies = map[AggregateFunction][]byte{}
	}
	e.bodies[fn] = body
	return body, nil
}

// summaryView returns the decoded summary for fn, for comparisons. Raw
// bodies are decoded once, leniently; the stored run object replaces
// theirs so comparisons always carry old_run/new_run.
func (e *storedRun) summaryView(fn AggregateFunction) (*summaryBody, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.structured != nil {
		return e.viewLocked(fn), nil
	}
	if !e.rawParsed {
		e.rawParsed = true
		// Only the fields a comparison uses are decoded, so an odd status
		// or error field does not make a raw run incomparable.
		var fields struct {
			Passed       []string        `json:"passed"`
			Failed       []string        `json:"failed"`
			Metrics      metricsBody     `json:"metrics"`
			Datapoints   []datapointBody `json:"datapoints"`
			EventDetails []eventDetail   `json:"event_details"`
		}
		if err := json.Unmarshal(e.raw, &fields); err != nil {
			e.rawErr = fmt.Errorf("summary of run %q does not decode: %w", e.object.RunID, err)
		} else {
			e.rawView = &summaryBody{
				Passed:       fields.Passed,
				Failed:       fields.Failed,
				Metrics:      fields.Metrics,
				Datapoints:   fields.Datapoints,
				EventDetails: fields.EventDetails,
				RunObject:    e.object,
			}
		}
	}
	return e.rawView, e.rawErr
}

func (e *storedRun) viewLocked(fn AggregateFunction) *summaryBody {
	if view, ok := e.views[fn]; ok {
		return view
	}
	view := buildSummary(e.structured, e.object, fn)
	if e.views == nil {
		e.views = map[AggregateFunction]*summaryBody{}
	}
	e.views[fn] = view
	return view
}

// runObjectFromRaw takes the run object out of a raw summary, filling what
// the spec requires; a body without a usable run_object gets a synthetic
// one with the body's status.
func runObjectFromRaw(runID string, raw []byte) *runObject {
	var envelope struct {
		Status    json.RawMessage `json:"status"`
		RunObject json.RawMessage `json:"run_object"`
	}
	obj := &runObject{IsActive: true} // the spec's default when absent
	if err := json.Unmarshal(raw, &envelope); err == nil {
		if err := json.Unmarshal(envelope.RunObject, obj); err != nil {
			obj = &runObject{IsActive: true}
		}
		if obj.Status == nil {
			var status string
			if json.Unmarshal(envelope.Status, &status) == nil {
				obj.Status = nullable(status)
			}
		}
	}
	obj.RunID = runID
	return completeRunObject(obj)
}

// completeRunObject fills the fields the spec requires that obj lacks.
func completeRunObject(obj *runObject) *runObject {
	if obj.ID == "" {
		obj.ID = objectIDFor(obj.RunID)
	}
	if obj.Metadata == nil {
		obj.Metadata = map[string]any{}
	}
	if obj.Results == nil {
		obj.Results = map[string]any{}
	}
	if obj.Metrics == nil {
		obj.Metrics = map[string]float64{}
	}
	if obj.EventIDs == nil {
		obj.EventIDs = []string{}
	}
	if obj.Configuration == nil {
		obj.Configuration = map[string]any{}
	}
	if obj.CreatedAt == "" {
		obj.CreatedAt = defaultCreatedAt.Format(jsTimeLayout)
	}
	if obj.ScopeType == "" {
		obj.ScopeType = "project"
	}
	if obj.ScopeID == "" {
		obj.ScopeID = localScopeID
	}
	return obj
}
