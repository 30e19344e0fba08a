package honeyhive

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The created-at bounds go as dateRange[$gte]=…&dateRange[$lte]=…, both
// always, in UTC with milliseconds, rounded inwards to the millisecond.
func TestListRunsDateRangeEncoding(t *testing.T) {
	for _, tc := range []struct {
		name          string
		after, before string // RFC 3339; "" leaves the side open
		gte, lte      string
	}{
		{"both bounds", "2026-05-02T00:00:00Z", "2026-05-04T12:00:00Z",
			"2026-05-02T00:00:00.000Z", "2026-05-04T12:00:00.000Z"},
		{"after only: the upper side is the latest instant", "2026-05-02T00:00:00Z", "",
			"2026-05-02T00:00:00.000Z", "9999-12-31T23:59:59.999Z"},
		{"before only: the lower side is the Unix epoch", "", "2026-05-04T12:00:00Z",
			"1970-01-01T00:00:00.000Z", "2026-05-04T12:00:00.000Z"},
		{"offsets are converted to UTC", "2026-05-02T02:30:00+02:30", "2026-05-03T19:00:00-05:00",
			"2026-05-02T00:00:00.000Z", "2026-05-04T00:00:00.000Z"},
		{"sub-millisecond bounds are rounded inwards", "2026-05-02T00:00:00.1231Z", "2026-05-04T12:00:00.9999999Z",
			"2026-05-02T00:00:00.124Z", "2026-05-04T12:00:00.999Z"},
		{"whole milliseconds are kept", "2026-05-02T00:00:00.123Z", "2026-05-02T00:00:00.123Z",
			"2026-05-02T00:00:00.123Z", "2026-05-02T00:00:00.123Z"},
		{"years outside the ISO form are clamped", "0000-01-01T00:00:00.0001Z", "9999-12-31T23:59:59.9999Z",
			"0000-01-01T00:00:00.001Z", "9999-12-31T23:59:59.999Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeList{n: 1}
			srv := newServer(t, f.serve(t))
			c := newTestClient(t, srv.URL)
			q := ListRunsQuery{DatasetID: "ds-1"}
			if tc.after != "" {
				q.CreatedAfter = mustTime(t, tc.after)
			}
			if tc.before != "" {
				q.CreatedBefore = mustTime(t, tc.before)
			}
			if _, _, err := listRuns(c, context.Background(), q, 5); err != nil {
				t.Fatal(err)
			}
			got := f.queries[0]
			if got.Get("dateRange[$gte]") != tc.gte || got.Get("dateRange[$lte]") != tc.lte {
				t.Errorf("dateRange sent as [%q, %q], want [%q, %q]",
					got.Get("dateRange[$gte]"), got.Get("dateRange[$lte]"), tc.gte, tc.lte)
			}
			if got.Get("dataset_id") != "ds-1" || got.Has("dateRange") {
				t.Errorf("query %v", got)
			}
			// Percent-encoded like every key, decoded back by any server.
			if raw := f.raw[0]; !strings.Contains(raw, "dateRange%5B%24gte%5D=") || !strings.Contains(raw, "dateRange%5B%24lte%5D=") {
				t.Errorf("raw query %q", raw)
			}
		})
	}

	// No bound, no dateRange.
	f := &fakeList{n: 1}
	srv := newServer(t, f.serve(t))
	c := newTestClient(t, srv.URL)
	if _, _, err := listRuns(c, context.Background(), ListRunsQuery{}, 5); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(f.raw[0], "dateRange") {
		t.Errorf("no bounds, yet sent %q", f.raw[0])
	}
}

// everyNth returns metadata with branch "main" for every run whose index is
// a multiple of n, "feature" for the others.
func everyNth(n int) func(int) string {
	return func(i int) string {
		if i%n == 0 {
			return fmt.Sprintf(`{"branch": "main", "build": %d.0}`, i)
		}
		return `{"branch": "feature"}`
	}
}

func TestFindRunsMetadata(t *testing.T) {
	main := models.MetadataFilter{"branch": "main"}
	for _, tc := range []struct {
		name          string
		list          *fakeList
		filter        models.MetadataFilter
		limits        ListLimits
		wantIDs       []string // nil: check only the count
		wantCount     int
		wantTotal     int
		wantScanned   int
		wantReached   bool
		wantPages     [][2]string
		wantFirstLast [2]string
	}{
		{
			name: "matches on three pages, stopping at max_results", list: &fakeList{n: 1000, metadata: everyNth(40)},
			filter: main, limits: ListLimits{MaxResults: 7},
			wantCount: 7, wantTotal: TotalUnknown, wantScanned: 300,
			wantPages:     [][2]string{{"1", "100"}, {"2", "100"}, {"3", "100"}},
			wantFirstLast: [2]string{"r-000", "r-240"},
		},
		{
			// The rest of the last page is checked too, so the total is known.
			name: "the list ends: total is every match", list: &fakeList{n: 100, metadata: everyNth(40)},
			filter: main, limits: ListLimits{MaxResults: 2},
			wantCount: 2, wantTotal: 3, wantScanned: 100,
			wantPages:     [][2]string{{"1", "100"}},
			wantFirstLast: [2]string{"r-000", "r-040"},
		},
		{
			name: "fewer matches than max_results", list: &fakeList{n: 250, metadata: everyNth(40)},
			filter: main, limits: ListLimits{MaxResults: 20},
			wantCount: 7, wantTotal: 7, wantScanned: 250,
			wantPages:     [][2]string{{"1", "100"}, {"2", "100"}, {"3", "100"}},
			wantFirstLast: [2]string{"r-000", "r-240"},
		},
		{
			name: "scan limit reached inside a page", list: &fakeList{n: 1000, metadata: everyNth(40)},
			filter: main, limits: ListLimits{MaxResults: 20, ScanLimit: 150},
			wantCount: 4, wantTotal: TotalUnknown, wantScanned: 150, wantReached: true,
			wantPages:     [][2]string{{"1", "100"}, {"2", "100"}},
			wantFirstLast: [2]string{"r-000", "r-120"},
		},
		{
			name: "scan limit reached at the end of a page", list: &fakeList{n: 1000, metadata: everyNth(40)},
			filter: main, limits: ListLimits{MaxResults: 20, ScanLimit: 200},
			wantCount: 5, wantTotal: TotalUnknown, wantScanned: 200, wantReached: true,
			wantPages:     [][2]string{{"1", "100"}, {"2", "100"}},
			wantFirstLast: [2]string{"r-000", "r-160"},
		},
		{
			name: "a scan limit of exactly the list's length is not reached", list: &fakeList{n: 200, metadata: everyNth(40)},
			filter: main, limits: ListLimits{MaxResults: 20, ScanLimit: 200},
			wantCount: 5, wantTotal: 5, wantScanned: 200,
			wantPages:     [][2]string{{"1", "100"}, {"2", "100"}},
			wantFirstLast: [2]string{"r-000", "r-160"},
		},
		{
			name: "small scan limit: small pages", list: &fakeList{n: 30, metadata: everyNth(4)},
			filter: main, limits: ListLimits{MaxResults: 3, ScanLimit: 6},
			wantIDs: []string{"r-000", "r-004"}, wantTotal: TotalUnknown, wantScanned: 6, wantReached: true,
			wantPages: [][2]string{{"1", "6"}},
		},
		{
			name: "default scan limit: ten pages of 100", list: &fakeList{n: 1500, metadata: everyNth(1000000)},
			filter: models.MetadataFilter{"branch": "release"}, limits: ListLimits{MaxResults: 1},
			wantIDs: []string{}, wantTotal: TotalUnknown, wantScanned: 1000, wantReached: true,
			wantPages: [][2]string{
				{"1", "100"}, {"2", "100"}, {"3", "100"}, {"4", "100"}, {"5", "100"},
				{"6", "100"}, {"7", "100"}, {"8", "100"}, {"9", "100"}, {"10", "100"},
			},
		},
		{
			name: "several keys, numbers in string form", list: &fakeList{n: 100, metadata: everyNth(40)},
			filter: models.MetadataFilter{"branch": "main", "build": "40"}, limits: ListLimits{MaxResults: 5},
			wantIDs: []string{"r-040"}, wantTotal: 1, wantScanned: 100,
			wantPages: [][2]string{{"1", "100"}},
		},
		{
			// Two runs arrived after page 1 was read: page 2 repeats two runs,
			// which are neither listed twice nor counted as scanned.
			name: "repeated runs are not scanned twice", list: &fakeList{n: 300, shift: -2, metadata: everyNth(99)},
			filter: main, limits: ListLimits{MaxResults: 10, ScanLimit: 150},
			wantIDs: []string{"r-000", "r-099"}, wantTotal: TotalUnknown, wantScanned: 150, wantReached: true,
			wantPages: [][2]string{{"1", "100"}, {"2", "100"}},
		},
		{
			// Without a metadata filter the scan limit plays no part.
			name: "no filter", list: &fakeList{n: 250, metadata: everyNth(40)},
			limits:    ListLimits{MaxResults: 120, ScanLimit: 10},
			wantCount: 120, wantTotal: 250,
			wantPages:     [][2]string{{"1", "100"}, {"2", "100"}},
			wantFirstLast: [2]string{"r-000", "r-119"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.list
			srv := newServer(t, f.serve(t))
			c := newTestClient(t, srv.URL)
			l, err := c.FindRuns(context.Background(), ListRunsQuery{Metadata: tc.filter}, tc.limits)
			if err != nil {
				t.Fatal(err)
			}
			ids := make([]string, len(l.Runs))
			for i, r := range l.Runs {
				ids[i] = r.RunID
			}
			if tc.wantIDs != nil && !reflect.DeepEqual(ids, tc.wantIDs) {
				t.Errorf("runs %v, want %v", ids, tc.wantIDs)
			}
			if tc.wantIDs == nil {
				if len(ids) != tc.wantCount || ids[0] != tc.wantFirstLast[0] || ids[len(ids)-1] != tc.wantFirstLast[1] {
					t.Errorf("%d runs from %v to %v; want %d from %v", len(ids), ids[0], ids[len(ids)-1], tc.wantCount, tc.wantFirstLast)
				}
			}
			for _, r := range l.Runs {
				if !tc.filter.Matches(r) {
					t.Errorf("run %s does not match %v", r.RunID, tc.filter)
				}
			}
			if l.Total != tc.wantTotal || l.Scanned != tc.wantScanned || l.ScanLimitReached != tc.wantReached {
				t.Errorf("total %d, scanned %d, limit reached %v; want %d, %d, %v",
					l.Total, l.Scanned, l.ScanLimitReached, tc.wantTotal, tc.wantScanned, tc.wantReached)
			}
			if got := f.pages(); !reflect.DeepEqual(got, tc.wantPages) {
				t.Errorf("requested (page, limit) %v, want %v", got, tc.wantPages)
			}
		})
	}
}

func TestFindRunsLimits(t *testing.T) {
	f := &fakeList{n: 10}
	srv := newServer(t, f.serve(t))
	c := newTestClient(t, srv.URL)
	_, err := c.FindRuns(context.Background(), ListRunsQuery{Metadata: models.MetadataFilter{"a": "b"}}, ListLimits{MaxResults: 1, ScanLimit: -1})
	if err == nil || !strings.Contains(err.Error(), "the scan limit is -1; it must be at least 1") {
		t.Errorf("negative scan limit: %v", err)
	}
	l, err := c.FindRuns(context.Background(), ListRunsQuery{RunIDs: []string{}, Metadata: models.MetadataFilter{"a": "b"}}, ListLimits{MaxResults: 1})
	if err != nil || l.Runs == nil || len(l.Runs) != 0 || l.Total != 0 || len(f.pages()) != 0 {
		t.Errorf("empty ID filter: %+v, %v, %d requests", l, err, len(f.pages()))
	}
}

// A 400 about dateRange names the parameter once, with both bounds as sent.
func TestListRunsDateRangeRejected(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, apiErrorJSON(400, "Invalid dateRange: $gte must be a valid date", "INVALID_PARAMETER"))
	})
	c := newTestClient(t, srv.URL)
	_, _, err := listRuns(c, context.Background(), ListRunsQuery{
		Status: "completed", CreatedAfter: mustTime(t, "2026-05-02T00:00:00Z"),
	}, 10)
	var le *ListRunsError
	if !errors.As(err, &le) {
		t.Fatalf("want a *ListRunsError, got %T: %v", err, err)
	}
	if le.Parameter != "dateRange" || le.Value != `$gte = "2026-05-02T00:00:00.000Z", $lte = "9999-12-31T23:59:59.999Z"` {
		t.Errorf("parameter %q = %s", le.Parameter, le.Value)
	}
	assertContains(t, err.Error(),
		`server said "Invalid dateRange: $gte must be a valid date"`,
		`It is about the parameter dateRange, sent as $gte = "2026-05-02T00:00:00.000Z", $lte = "9999-12-31T23:59:59.999Z": `+
			`check the created-at bounds (created_after, created_before; an open side is sent as 1970-01-01T00:00:00.000Z or 9999-12-31T23:59:59.999Z)`)
}

func TestObjectKey(t *testing.T) {
	for key, want := range map[string][3]string{
		"dateRange[$gte]": {"dateRange", "$gte", "true"},
		"run_ids[]":       {"", "", "false"},
		"status":          {"", "", "false"},
		"[x]":             {"", "", "false"},
		"a[b":             {"", "", "false"},
	} {
		base, member, ok := objectKey(key)
		if got := [3]string{base, member, fmt.Sprint(ok)}; got != want {
			t.Errorf("objectKey(%q) = %v, want %v", key, got, want)
		}
	}
}
