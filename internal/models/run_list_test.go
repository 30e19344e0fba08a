package models

import (
	"reflect"
	"testing"
)

func TestDecodeRunList(t *testing.T) {
	body := `{"evaluations": [
		{"id": "6650aa01", "run_id": "run-2", "name": "nightly-main", "description": "second",
		 "status": "completed", "metadata": {"git_sha": "3f9c2ab",  "n": [1, 2.50]}, "results": {},
		 "metrics": {"zeta": 1, "alpha": 0.5}, "event_ids": [], "configuration": {}, "is_active": true,
		 "created_at": "2026-05-02T12:00:00.000Z", "updated_at": "2026-05-02T12:17:00.000Z",
		 "dataset_id": "ds-1", "dataset_name": "support-qa"},
		{"run_id": "run-1", "name": null, "status": null, "metadata": null, "metrics": null,
		 "created_at": "2026-05-01T12:00:00.000Z", "updated_at": null, "dataset_id": null}
	],
	"pagination": {"page": 2, "limit": 2, "total": 5, "total_unfiltered": 9, "total_pages": 3,
		"has_next": true, "has_prev": true},
	"metrics": ["alpha", "zeta"]}`
	list, err := DecodeRunList([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Runs) != 2 {
		t.Fatalf("decoded %d runs, want 2", len(list.Runs))
	}
	r := list.Runs[0]
	if r.ID != "6650aa01" || r.RunID != "run-2" || *r.Name != "nightly-main" || *r.Description != "second" ||
		r.Status != StatusCompleted || *r.DatasetID != "ds-1" || *r.DatasetName != "support-qa" ||
		*r.CreatedAt != "2026-05-02T12:00:00.000Z" || *r.UpdatedAt != "2026-05-02T12:17:00.000Z" {
		t.Errorf("run 0 decoded as %+v", r)
	}
	// Metadata is the user's: kept byte for byte, spacing and number text included.
	if string(r.Metadata) != `{"git_sha": "3f9c2ab",  "n": [1, 2.50]}` {
		t.Errorf("metadata = %s", r.Metadata)
	}
	if !reflect.DeepEqual(r.MetricNames, []string{"zeta", "alpha"}) {
		t.Errorf("metric names = %v, want body order", r.MetricNames)
	}
	r = list.Runs[1]
	if r.RunID != "run-1" || r.Name != nil || r.Status != "" || r.Metadata != nil || r.MetricNames != nil ||
		r.UpdatedAt != nil || r.DatasetID != nil || r.DatasetName != nil || r.Description != nil {
		t.Errorf("nulls decoded as %+v", r)
	}

	p := list.Pagination
	if p == nil {
		t.Fatal("pagination is nil")
	}
	if *p.Page != 2 || *p.Limit != 2 || *p.Total != 5 || *p.TotalUnfiltered != 9 || *p.TotalPages != 3 ||
		!*p.HasNext || !*p.HasPrev {
		t.Errorf("pagination decoded as page %d limit %d total %d/%d pages %d next %v prev %v",
			*p.Page, *p.Limit, *p.Total, *p.TotalUnfiltered, *p.TotalPages, *p.HasNext, *p.HasPrev)
	}
}

func TestDecodeRunListPagination(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       *Pagination // nil: no pagination
	}{
		{"absent", `{"evaluations": []}`, nil},
		{"null", `{"evaluations": [], "pagination": null}`, nil},
		{"empty object", `{"evaluations": [], "pagination": {}}`, &Pagination{}},
		{
			"partial, nulls stay unset",
			`{"evaluations": [], "pagination": {"total": 0, "has_next": false, "total_pages": null}}`,
			&Pagination{Total: intPtr(0), HasNext: boolPtr(false)},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list, err := DecodeRunList([]byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if list.Runs == nil || len(list.Runs) != 0 {
				t.Errorf("runs = %#v, want an empty, non-nil slice", list.Runs)
			}
			if !reflect.DeepEqual(list.Pagination, tc.want) {
				t.Errorf("pagination = %+v, want %+v", list.Pagination, tc.want)
			}
		})
	}
}

// An empty page and a null list are both an empty result, not an error.
func TestDecodeRunListEmpty(t *testing.T) {
	for _, body := range []string{
		`{"evaluations": [], "pagination": {"page": 1, "limit": 20, "total": 0, "total_pages": 0, "has_next": false}}`,
		`{"evaluations": null}`,
	} {
		list, err := DecodeRunList([]byte(body))
		if err != nil {
			t.Errorf("DecodeRunList(%s): %v", body, err)
			continue
		}
		if len(list.Runs) != 0 {
			t.Errorf("DecodeRunList(%s) = %d runs, want none", body, len(list.Runs))
		}
	}
}

func TestDecodeRunListErrors(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{``, "empty body"},
		{`[]`, "not a JSON object"},
		{`<html>`, "not a JSON object"},
		{`{}`, `no "evaluations" list`},
		{`{"evaluation": {"run_id": "a"}}`, `no "evaluations" list`},
		{`{"evaluations": {"run_id": "a"}}`, "evaluations: want a JSON array"},
		{`{"evaluations": [{"run_id": "a"}, null]}`, "evaluations[1] is null"},
		{`{"evaluations": [{"run_id": "a"}, 7]}`, "evaluations[1]: json: cannot unmarshal number"},
		{`{"evaluations": [{"status": 3}]}`, "evaluations[0]: json: cannot unmarshal number"},
		{`{"evaluations": [{"run_id": "a"}, {"metrics": [1]}]}`, "evaluations[1].metrics: want a JSON object, got ["},
		{`{"evaluations": [], "pagination": {"total": -1}}`, "pagination.total is negative (-1)"},
		{`{"evaluations": [], "pagination": {"page": "1"}}`, "cannot unmarshal string"},
		{`{"evaluations": [], "pagination": {"has_next": "yes"}}`, "cannot unmarshal string"},
		{`{"evaluations": [], "pagination": []}`, "cannot unmarshal array"},
	} {
		_, err := DecodeRunList([]byte(tc.body))
		if err == nil {
			t.Errorf("DecodeRunList(%q) gave no error, want one containing %q", tc.body, tc.want)
			continue
		}
		requireErrorContains(t, err, tc.want)
	}
}

func intPtr(n int) *int    { return &n }
func boolPtr(b bool) *bool { return &b }
