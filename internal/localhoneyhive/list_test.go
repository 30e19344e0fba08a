package localhoneyhive

import (
	"net/http"
	"reflect"
	"strings"
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
		{
			// Both bounds inclusive: run-regressed is created at exactly
			// 2026-05-03T12:00:00.000Z, run-repeated at 2026-05-06T12:00:00.000Z.
			query:          "?dateRange[$gte]=2026-05-03T12:00:00.000Z&dateRange[$lte]=2026-05-06T12:00:00.000Z",
			wantIDs:        []string{"run-repeated", "run-mixed", "run-legacy", "run-regressed"},
			wantPagination: map[string]any{"page": 1.0, "limit": 20.0, "total": 4.0, "total_unfiltered": 9.0, "total_pages": 1.0, "has_next": false, "has_prev": false},
		},
		{
			query:   "?dateRange[$gte]=2026-05-03T12:00:00.001Z&dateRange[$lte]=2026-05-06T11:59:59.999Z",
			wantIDs: []string{"run-mixed", "run-legacy"},
		},
		{
			// Percent-encoded keys, offsets, and the other filters combined.
			query:   "?dataset_id=ds-support-qa&dateRange%5B%24gte%5D=2026-05-07T14%3A00%3A00%2B02%3A00&dateRange%5B%24lte%5D=9999-12-31T23%3A59%3A59.999Z",
			wantIDs: []string{"run-empty-metrics", "run-failed", "run-running"},
		},
		{
			// A date alone is midnight UTC; numbers are epoch milliseconds
			// (1777636800000 is 2026-05-01T12:00:00Z).
			query:   "?dateRange[$gte]=1970-01-01&dateRange[$lte]=1777636800000",
			wantIDs: []string{"run-baseline"},
		},
		{
			query:   `?dateRange={"$gte":"2026-05-08T12:00:00Z","$lte":1893456000000}`,
			wantIDs: []string{"run-empty-metrics", "run-failed"},
		},
		{
			// An empty range is no error: it matches nothing.
			query:   "?dateRange[$gte]=2026-05-09T00:00:00Z&dateRange[$lte]=2026-05-01T00:00:00Z",
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
		"?dateRange[$gte]=2026-05-01T00:00:00Z",                           // $lte missing
		"?dateRange[$lte]=2026-05-01T00:00:00Z",                           // $gte missing
		"?dateRange[$gte]=yesterday&dateRange[$lte]=2026-05-01T00:00:00Z", // not a date
		"?dateRange[$gte]=2026-13-01T00:00:00Z&dateRange[$lte]=2026-05-01T00:00:00Z",
		"?dateRange[$gte]=2026-05-01T00:00:00Z&dateRange[$lte]=2026-05-02T25:00:00Z",
		"?dateRange[$gt]=2026-05-01T00:00:00Z&dateRange[$lte]=2026-05-02T00:00:00Z",
		"?dateRange[$gte]=2026-05-01T00:00:00Z&dateRange[$gte]=2026-05-02T00:00:00Z&dateRange[$lte]=2026-05-03T00:00:00Z",
		"?dateRange[$gte][x]=1&dateRange[$lte]=1",
		"?dateRange=last-week",
		`?dateRange={"$gte":"2026-05-01T00:00:00Z"}`,
		`?dateRange={"$gte":true,"$lte":1}`,
		`?dateRange={"$gte":1.5,"$lte":2}`,
		`?dateRange={"$gte":1,"$lte":2,"$ne":3}`,
		`?dateRange={"$gte":1,"$lte":2}&dateRange[$gte]=1`,
	} {
		t.Run(query, func(t *testing.T) {
			wantErrorBody(t, get(t, srv, "/v1/runs"+query), http.StatusBadRequest, "INVALID_PARAMETER")
		})
	}
}

// A rejected dateRange says what was wrong with it.
func TestListRunsDateRangeMessages(t *testing.T) {
	srv := New()
	for query, want := range map[string]string{
		"?dateRange[$gte]=2026-05-01T00:00:00Z":                           "dateRange.$lte is required: send both $gte and $lte",
		"?dateRange[$gte]=yesterday&dateRange[$lte]=2026-05-01T00:00:00Z": `dateRange.$gte: "yesterday" is not a valid date`,
		"?dateRange[$gt]=1&dateRange[$lte]=2":                             `dateRange has an unknown member "dateRange[$gt]"`,
		"?dateRange=last-week":                                            `dateRange "last-week" is not an object`,
		`?dateRange={"$gte":1,"$lte":2}&dateRange[$gte]=1`:                "dateRange is given both as a string and as an object",
	} {
		rec := get(t, srv, "/v1/runs"+query)
		body := decodeObject(t, rec)
		if msg, _ := body["message"].(string); rec.Code != http.StatusBadRequest || !strings.Contains(msg, want) {
			t.Errorf("%s: %d %q; want 400 with %q", query, rec.Code, msg, want)
		}
	}
}
