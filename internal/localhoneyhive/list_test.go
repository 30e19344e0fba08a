package localhoneyhive

import (
	"net/http"
	"reflect"
	"testing"
)

func listRunIDs(t *testing.T, body map[string]any) []string {
	t.Helper()
	ids := []string{}
	for _, item := range body["evaluations"].([]any) {
		ids = append(ids, item.(map[string]any)["run_id"].(string))
	}
	return ids
}

func TestListRuns(t *testing.T) {
	srv := New()
	tests := []struct {
		query          string
		wantIDs        []string
		wantPagination map[string]any
		wantMetrics    []any
	}{
		{
			query: "?limit=3",
			// Newest first: created a day apart in fixture order.
			wantIDs:        []string{"run-empty-metrics", "run-failed", "run-running"},
			wantPagination: map[string]any{"page": 1.0, "limit": 3.0, "total": 9.0, "total_unfiltered": 9.0, "total_pages": 3.0, "has_next": true, "has_prev": false},
			wantMetrics:    []any{"accuracy"},
		},
		{
			query:          "?limit=4&page=3",
			wantIDs:        []string{"run-baseline"},
			wantPagination: map[string]any{"page": 3.0, "limit": 4.0, "total": 9.0, "total_unfiltered": 9.0, "total_pages": 3.0, "has_next": false, "has_prev": true},
			wantMetrics:    []any{"accuracy", "latency_ms", "relevance"},
		},
		{
			query: "?dataset_id=ds-support-qa&status=completed&sort_by=name&sort_order=asc",
			// By name: legacy-format-run, nightly-candidate,
			// nightly-just-finished, nightly-main, nightly-regressed,
			// rag-two-step (run-mixed has no dataset).
			wantIDs: []string{"run-legacy", "run-candidate", "run-empty-metrics", "run-baseline", "run-regressed", "run-repeated"},
		},
		{
			query:   "?name=nightly-main",
			wantIDs: []string{"run-baseline"},
		},
		{
			query:   "?run_ids[]=run-mixed&run_ids[]=run-legacy&run_ids[]=missing&sort_order=asc",
			wantIDs: []string{"run-legacy", "run-mixed"},
		},
		{
			query:          "?status=cancelled",
			wantIDs:        []string{},
			wantPagination: map[string]any{"page": 1.0, "limit": 20.0, "total": 0.0, "total_unfiltered": 9.0, "total_pages": 0.0, "has_next": false, "has_prev": false},
			wantMetrics:    []any{},
		},
		{
			query:   "?page=5",
			wantIDs: []string{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			rec := get(t, srv, "/v1/runs"+tc.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			body := decodeObject(t, rec)
			if got := listRunIDs(t, body); !reflect.DeepEqual(got, tc.wantIDs) {
				t.Errorf("run IDs = %v, want %v", got, tc.wantIDs)
			}
			if tc.wantPagination != nil && !reflect.DeepEqual(body["pagination"], tc.wantPagination) {
				t.Errorf("pagination = %v, want %v", body["pagination"], tc.wantPagination)
			}
			if tc.wantMetrics != nil && !reflect.DeepEqual(body["metrics"], tc.wantMetrics) {
				t.Errorf("metrics = %v, want %v", body["metrics"], tc.wantMetrics)
			}
		})
	}
}

func TestListRunsRejectsBadParameters(t *testing.T) {
	srv := New()
	for _, query := range []string{
		"?run_ids=run-baseline", // arrays need run_ids[]
		"?run_ids=",
		"?limit=0", "?limit=101", "?limit=ten",
		"?page=0", "?page=-1",
		"?status=done",
		"?sort_by=size", "?sort_order=up",
	} {
		t.Run(query, func(t *testing.T) {
			wantErrorBody(t, get(t, srv, "/v1/runs"+query), http.StatusBadRequest, "INVALID_PARAMETER")
		})
	}
}
