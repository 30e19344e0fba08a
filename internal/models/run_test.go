package models

import (
	"reflect"
	"strings"
	"testing"
)

func TestDecodeRun(t *testing.T) {
	body := `{"evaluation": {"id": "6650aa01", "run_id": "run-1", "name": "nightly-main", "description": null,
		"status": "completed", "metadata": {"git_sha": "3f9c2ab"}, "results": {}, "metrics": {"zeta": 1, "alpha": 0.5},
		"event_ids": [], "configuration": {}, "is_active": true, "created_at": "2026-05-01T12:00:00.000Z",
		"updated_at": null, "dataset_id": "ds-1", "dataset_name": "support-qa"}}`
	r, err := DecodeRun([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != "6650aa01" || r.RunID != "run-1" || *r.Name != "nightly-main" || r.Description != nil ||
		r.Status != StatusCompleted || *r.DatasetID != "ds-1" || *r.DatasetName != "support-qa" ||
		*r.CreatedAt != "2026-05-01T12:00:00.000Z" || r.UpdatedAt != nil {
		t.Errorf("decoded %+v", r)
	}
	if string(r.Metadata) != `{"git_sha": "3f9c2ab"}` {
		t.Errorf("metadata = %s", r.Metadata)
	}
	if !reflect.DeepEqual(r.MetricNames, []string{"zeta", "alpha"}) {
		t.Errorf("metric names = %v, want body order", r.MetricNames)
	}
}

func TestDecodeRunNullsAndErrors(t *testing.T) {
	r, err := DecodeRun([]byte(`{"evaluation": {"status": null, "metadata": null, "metrics": null}}`))
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != "" || r.Metadata != nil || r.MetricNames != nil {
		t.Errorf("nulls decoded to %+v", r)
	}
	for _, tc := range []struct{ body, want string }{
		{`{}`, `no "evaluation"`},
		{`{"evaluation": null}`, `no "evaluation"`},
		{`{"evaluation": {"metrics": [1]}}`, "evaluation.metrics: want a JSON object"},
		{`{"evaluation": {"status": 3}}`, "cannot unmarshal number"},
		{``, "empty body"},
		{`<html>`, "not a JSON object"},
	} {
		if _, err := DecodeRun([]byte(tc.body)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("DecodeRun(%q) error = %v, want one containing %q", tc.body, err, tc.want)
		}
	}
}
