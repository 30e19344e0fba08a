package localhoneyhive

import (
	"encoding/json"
	"fmt"
	"sync"
)

// storedRun is one run: structured (summaries computed per aggregate
// function and cached) or raw (a verbatim body, decoded once for
// comparisons).
type storedRun struct {
	seq        int
	object     *runObject // immutable once stored
	structured *Run       // nil for raw runs
	raw        []byte
	rawView    func() (*summaryBody, error) // raw runs only

	mu     sync.Mutex
	views  map[AggregateFunction]*summaryBody
	bodies map[AggregateFunction][]byte
}

func newStructuredRun(run *Run) *storedRun {
	return &storedRun{structured: run, object: buildRunObject(run),
		views: map[AggregateFunction]*summaryBody{}, bodies: map[AggregateFunction][]byte{}}
}

func newRawRun(runID string, raw []byte) *storedRun {
	e := &storedRun{raw: raw, object: runObjectFromRaw(runID, raw)}
	e.rawView = sync.OnceValues(func() (*summaryBody, error) {
		// Only the fields a comparison uses are decoded, so an odd status,
		// success, error or run_object does not make a raw run incomparable;
		// the stored run object stands in for the body's.
		var fields struct {
			summaryBody
			Status    json.RawMessage `json:"status"`
			Success   json.RawMessage `json:"success"`
			Error     json.RawMessage `json:"error"`
			RunObject json.RawMessage `json:"run_object"`
		}
		if err := json.Unmarshal(raw, &fields); err != nil {
			return nil, fmt.Errorf("summary of run %q does not decode: %w", runID, err)
		}
		view := fields.summaryBody
		view.RunObject = e.object
		return &view, nil
	})
	return e
}

// summaryView returns the decoded summary for fn, for comparisons.
func (e *storedRun) summaryView(fn AggregateFunction) (*summaryBody, error) {
	if e.structured == nil {
		return e.rawView()
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.views[fn] == nil {
		e.views[fn] = buildSummary(e.structured, e.object, fn)
	}
	return e.views[fn], nil
}

// summaryJSON returns the summary body for fn.
func (e *storedRun) summaryJSON(fn AggregateFunction) ([]byte, error) {
	if e.structured == nil {
		return e.raw, nil
	}
	view, _ := e.summaryView(fn)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.bodies[fn] == nil {
		body, err := json.Marshal(view)
		if err != nil {
			return nil, err
		}
		e.bodies[fn] = body
	}
	return e.bodies[fn], nil
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
