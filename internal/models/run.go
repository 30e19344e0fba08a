package models

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Run is HoneyHive's run object: what a run is (name, dataset, status), as
// opposed to its results. GET /v1/runs/{id} wraps it as {"evaluation": ...}.
type Run struct {
	// ID is the database identifier; RunID the identifier the other routes take.
	ID          string
	RunID       string
	Name        *string
	Description *string
	// Status is empty when the server sends null, which the run object allows.
	Status      ExperimentRunStatus
	DatasetID   *string
	DatasetName *string
	CreatedAt   *string
	UpdatedAt   *string
	// Metadata is the user's own JSON object, kept as sent (null when absent).
	Metadata json.RawMessage
	// MetricNames are the keys of the run object's metrics, in body order.
	MetricNames []string
}

type runWire struct {
	ID          *string         `json:"id"`
	RunID       *string         `json:"run_id"`
	Name        *string         `json:"name"`
	Description *string         `json:"description"`
	Status      *string         `json:"status"`
	DatasetID   *string         `json:"dataset_id"`
	DatasetName *string         `json:"dataset_name"`
	CreatedAt   *string         `json:"created_at"`
	UpdatedAt   *string         `json:"updated_at"`
	Metadata    json.RawMessage `json:"metadata"`
	Metrics     json.RawMessage `json:"metrics"`
}

// DecodeRun decodes the body of GET /v1/runs/{id}: {"evaluation": run}.
func DecodeRun(body []byte) (*Run, error) {
	var w struct {
		Evaluation *runWire `json:"evaluation"`
	}
	if err := unmarshalObject(body, &w); err != nil {
		return nil, err
	}
	if w.Evaluation == nil {
		return nil, fmt.Errorf(`body has no "evaluation" object`)
	}
	return w.Evaluation.run()
}

func (w *runWire) run() (*Run, error) {
	r := &Run{
		Name:        w.Name,
		Description: w.Description,
		DatasetID:   w.DatasetID,
		DatasetName: w.DatasetName,
		CreatedAt:   w.CreatedAt,
		UpdatedAt:   w.UpdatedAt,
	}
	if w.ID != nil {
		r.ID = *w.ID
	}
	if w.RunID != nil {
		r.RunID = *w.RunID
	}
	if w.Status != nil {
		r.Status = ExperimentRunStatus(*w.Status)
	}
	if len(w.Metadata) > 0 && !bytes.Equal(bytes.TrimSpace(w.Metadata), []byte("null")) {
		r.Metadata = w.Metadata
	}
	names, err := objectKeys(w.Metrics)
	if err != nil {
		return nil, fmt.Errorf("evaluation.metrics: %w", err)
	}
	r.MetricNames = names
	return r, nil
}

// objectKeys returns the keys of a JSON object in body order; nil for null or
// absent.
func objectKeys(raw json.RawMessage) ([]string, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return nil, nil
	}
	dec := newTokenDecoder(trimmed)
	if kind := dec.PeekKind(); kind != '{' {
		return nil, fmt.Errorf("want a JSON object, got %s", describeKind(kind))
	}
	keys := []string{}
	err := object(dec, "", func(key []byte) error {
		keys = append(keys, string(key))
		return dec.SkipValue()
	})
	return keys, err
}
