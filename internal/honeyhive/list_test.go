package honeyhive

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeList serves GET /v1/runs over runs named r-000 … r-(n-1), honouring
// page and limit, and records every query it was sent.
type fakeList struct {
	mu      sync.Mutex
	queries []url.Values
	raw     []string

	n int
	// noPagination leaves "pagination" out of the body.
	noPagination bool
	// serverLimit caps the page size whatever the client asks (0: no cap).
	serverLimit int
	// endless answers every page with has_next true and page 1's runs.
	endless bool
	// shift is added to every page's offset after the first, as when new
	// runs arrive while the pages are read.
	shift int
	// metadata, when set, gives run i's metadata object (JSON).
	metadata func(i int) string
}

func (f *fakeList) serve(t *testing.T) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/runs" {
			expressNotFound(w, r)
			return
		}
		q := r.URL.Query()
		f.mu.Lock()
		f.queries = append(f.queries, q)
		f.raw = append(f.raw, r.URL.RawQuery)
		f.mu.Unlock()
		page, _ := strconv.Atoi(q.Get("page"))
		limit, _ := strconv.Atoi(q.Get("limit"))
		if page < 1 || limit < 1 || limit > 100 {
			writeJSON(w, 400, apiErrorJSON(400, "bad page or limit", "INVALID_PARAMETER"))
			return
		}
		if f.serverLimit > 0 {
			limit = min(limit, f.serverLimit)
		}
		start := (page - 1) * limit
		if f.endless {
			start = 0
		} else if page > 1 {
			start += f.shift
		}
		start = min(start, f.n)
		end := min(start+limit, f.n)
		runs := make([]string, 0, end-start)
		for i := start; i < end; i++ {
			meta := "{}"
			if f.metadata != nil {
				meta = f.metadata(i)
			}
			runs = append(runs, fmt.Sprintf(`{"run_id":"r-%03d","name":"run %d","status":"completed","metrics":{},"metadata":%s}`, i, i, meta))
		}
		pages := (f.n + limit - 1) / limit
		body := `{"evaluations":[` + strings.Join(runs, ",") + `]`
		if !f.noPagination {
			hasNext := page < pages || f.endless
			body += fmt.Sprintf(`,"pagination":{"page":%d,"limit":%d,"total":%d,"total_unfiltered":%d,"total_pages":%d,"has_next":%t,"has_prev":%t}`,
				page, limit, f.n, f.n, pages, hasNext, page > 1)
		}
		writeJSON(w, 200, body+`,"metrics":[]}`)
	}
}

// pages returns the (page, limit) of every request, in order.
func (f *fakeList) pages() [][2]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([][2]string, len(f.queries))
	for i, q := range f.queries {
		out[i] = [2]string{q.Get("page"), q.Get("limit")}
	}
	return out
}

func TestListRunsQueryEncoding(t *testing.T) {
	f := &fakeList{n: 3}
	srv := newServer(t, f.serve(t))
	c := newTestClient(t, srv.URL)
	_, _, err := listRuns(c, context.Background(), ListRunsQuery{
		Name: "nightly main", DatasetID: "ds-1", Status: "completed",
		RunIDs: []string{"a", "b&c"}, SortBy: "name", SortOrder: "asc",
	}, 5)
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{
		"name": {"nightly main"}, "dataset_id": {"ds-1"}, "status": {"completed"},
		"run_ids[]": {"a", "b&c"}, "sort_by": {"name"}, "sort_order": {"asc"},
		"page": {"1"}, "limit": {"5"},
	}
	if !reflect.DeepEqual(f.queries[0], want) {
		t.Errorf("server decoded the query as %v, want %v", f.queries[0], want)
	}
	// Arrays go as run_ids[]=a&run_ids[]=b (brackets percent-encoded), never
	// as a bare run_ids=a, which the API rejects.
	raw := f.raw[0]
	if !strings.Contains(raw, "run_ids%5B%5D=a&run_ids%5B%5D=b%26c") || strings.Contains(raw, "run_ids=") {
		t.Errorf("raw query %q does not send run_ids as an array", raw)
	}

	// Empty fields are not sent: the server's defaults apply.
	if _, _, err := listRuns(c, context.Background(), ListRunsQuery{}, 1); err != nil {
		t.Fatal(err)
	}
	if got := f.raw[1]; got != "limit=1&page=1" {
		t.Errorf("empty query sent as %q", got)
	}
}

func TestListRunsPaging(t *testing.T) {
	for _, tc := range []struct {
		name         string
		list         *fakeList
		maxResults   int
		wantRuns     int
		wantTotal    int
		wantPages    [][2]string
		wantFirst    string
		wantLast     string
		wantNoRepeat bool
	}{
		{
			name: "three pages, trimmed to maxResults", list: &fakeList{n: 250}, maxResults: 230,
			wantRuns: 230, wantTotal: 250, wantPages: [][2]string{{"1", "100"}, {"2", "100"}, {"3", "100"}},
			wantFirst: "r-000", wantLast: "r-229",
		},
		{
			name: "fewer runs than maxResults", list: &fakeList{n: 250}, maxResults: 1000,
			wantRuns: 250, wantTotal: 250, wantPages: [][2]string{{"1", "100"}, {"2", "100"}, {"3", "100"}},
			wantFirst: "r-000", wantLast: "r-249",
		},
		{
			name: "has_next false on a full last page", list: &fakeList{n: 200}, maxResults: 1000,
			wantRuns: 200, wantTotal: 200, wantPages: [][2]string{{"1", "100"}, {"2", "100"}},
			wantFirst: "r-000", wantLast: "r-199",
		},
		{
			name: "one small page", list: &fakeList{n: 250}, maxResults: 20,
			wantRuns: 20, wantTotal: 250, wantPages: [][2]string{{"1", "20"}},
			wantFirst: "r-000", wantLast: "r-019",
		},
		{
			name: "exactly maxResults runs", list: &fakeList{n: 100}, maxResults: 100,
			wantRuns: 100, wantTotal: 100, wantPages: [][2]string{{"1", "100"}},
			wantFirst: "r-000", wantLast: "r-099",
		},
		{
			name: "no runs", list: &fakeList{n: 0}, maxResults: 20,
			wantRuns: 0, wantTotal: 0, wantPages: [][2]string{{"1", "20"}},
		},
		{
			name: "no pagination: a short page ends the listing", list: &fakeList{n: 150, noPagination: true}, maxResults: 1000,
			wantRuns: 150, wantTotal: 150, wantPages: [][2]string{{"1", "100"}, {"2", "100"}},
			wantFirst: "r-000", wantLast: "r-149",
		},
		{
			name: "no pagination: an empty page ends the listing", list: &fakeList{n: 200, noPagination: true}, maxResults: 1000,
			wantRuns: 200, wantTotal: 200, wantPages: [][2]string{{"1", "100"}, {"2", "100"}, {"3", "100"}},
			wantFirst: "r-000", wantLast: "r-199",
		},
		{
			name: "no pagination: total unknown when stopped at maxResults", list: &fakeList{n: 150, noPagination: true}, maxResults: 120,
			wantRuns: 120, wantTotal: TotalUnknown, wantPages: [][2]string{{"1", "100"}, {"2", "100"}},
			wantFirst: "r-000", wantLast: "r-119",
		},
		{
			name: "server serves smaller pages than asked", list: &fakeList{n: 250, serverLimit: 50}, maxResults: 230,
			wantRuns: 230, wantTotal: 250,
			wantPages: [][2]string{{"1", "100"}, {"2", "100"}, {"3", "100"}, {"4", "100"}, {"5", "100"}},
			wantFirst: "r-000", wantLast: "r-229",
		},
		{
			// Page 2 repeats page 1: the listing stops there, and its total
			// is unknown since runs may be missing.
			name: "endless server is cut off", list: &fakeList{n: 250, endless: true}, maxResults: 230,
			wantRuns: 100, wantTotal: TotalUnknown,
			wantPages: [][2]string{{"1", "100"}, {"2", "100"}},
			wantFirst: "r-000", wantLast: "r-099", wantNoRepeat: true,
		},
		{
			// Two runs arrived after page 1 was read: page 2 repeats two of
			// its runs, which are skipped.
			name: "runs repeated by a shifted listing are skipped", list: &fakeList{n: 250, shift: -2}, maxResults: 150,
			wantRuns: 150, wantTotal: 250, wantPages: [][2]string{{"1", "100"}, {"2", "100"}},
			wantFirst: "r-000", wantLast: "r-149", wantNoRepeat: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.list
			srv := newServer(t, f.serve(t))
			c := newTestClient(t, srv.URL)
			runs, total, err := listRuns(c, context.Background(), ListRunsQuery{}, tc.maxResults)
			if err != nil {
				t.Fatal(err)
			}
			if runs == nil {
				t.Error("runs is nil; want a non-nil slice even when empty")
			}
			if len(runs) != tc.wantRuns || total != tc.wantTotal {
				t.Errorf("got %d runs, total %d; want %d runs, total %d", len(runs), total, tc.wantRuns, tc.wantTotal)
			}
			if got := f.pages(); !reflect.DeepEqual(got, tc.wantPages) {
				t.Errorf("requested (page, limit) %v, want %v", got, tc.wantPages)
			}
			if tc.wantRuns > 0 && len(runs) > 0 {
				if runs[0].RunID != tc.wantFirst || runs[len(runs)-1].RunID != tc.wantLast {
					t.Errorf("first %s, last %s; want %s, %s", runs[0].RunID, runs[len(runs)-1].RunID, tc.wantFirst, tc.wantLast)
				}
			}
			seen := map[string]bool{}
			for i, r := range runs {
				if seen[r.RunID] {
					t.Fatalf("run %s listed twice (at %d)", r.RunID, i)
				}
				seen[r.RunID] = true
				if tc.wantNoRepeat {
					continue
				}
				if want := fmt.Sprintf("r-%03d", i); r.RunID != want {
					t.Fatalf("runs[%d] = %s, want %s (server order)", i, r.RunID, want)
				}
			}
		})
	}
}

// An empty run ID filter matches nothing: no request, no error.
func TestListRunsEmptyRunIDs(t *testing.T) {
	f := &fakeList{n: 10}
	srv := newServer(t, f.serve(t))
	c := newTestClient(t, srv.URL)
	runs, total, err := listRuns(c, context.Background(), ListRunsQuery{RunIDs: []string{}}, 20)
	if err != nil || runs == nil || len(runs) != 0 || total != 0 {
		t.Errorf("got %v, %d, %v; want an empty list, 0, nil", runs, total, err)
	}
	if n := len(f.pages()); n != 0 {
		t.Errorf("made %d requests, want none", n)
	}
	if _, _, err := listRuns(c, context.Background(), ListRunsQuery{}, 0); err == nil ||
		!strings.Contains(err.Error(), "the maximum number of results is 0; it must be at least 1") {
		t.Errorf("maxResults 0: %v", err)
	}
}

func TestListRunsDecodesRuns(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"evaluations":[{"id":"x1","run_id":"run-1","name":"nightly-main","description":null,
			"status":"completed","metadata":{"git_sha": "3f9c2ab"},"metrics":{"b":1,"a":2},"created_at":"2026-05-01T12:00:00.000Z",
			"updated_at":null,"dataset_id":"ds-1","dataset_name":"qa"}],
			"pagination":{"page":1,"limit":20,"total":1,"total_unfiltered":4,"total_pages":1,"has_next":false,"has_prev":false},
			"metrics":["a","b"]}`)
	})
	c := newTestClient(t, srv.URL)
	runs, total, err := listRuns(c, context.Background(), ListRunsQuery{Name: "nightly-main"}, 20)
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || len(runs) != 1 {
		t.Fatalf("got %d runs, total %d", len(runs), total)
	}
	r := runs[0]
	if r.RunID != "run-1" || *r.Name != "nightly-main" || r.Status != "completed" || *r.DatasetName != "qa" ||
		string(r.Metadata) != `{"git_sha": "3f9c2ab"}` || !reflect.DeepEqual(r.MetricNames, []string{"b", "a"}) {
		t.Errorf("decoded %+v", r)
	}
}

func TestListRunsErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler func(w http.ResponseWriter, r *http.Request)
		query   ListRunsQuery
		check   func(t *testing.T, err error)
	}{
		{
			name: "400 naming a filter",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 400, apiErrorJSON(400, "status must be one of [pending completed failed cancelled running]", "INVALID_PARAMETER"))
			},
			query: ListRunsQuery{Name: "nightly", Status: "done", SortBy: "name"},
			check: func(t *testing.T, err error) {
				var le *ListRunsError
				if !errors.As(err, &le) {
					t.Fatalf("want a *ListRunsError, got %T: %v", err, err)
				}
				if le.Parameter != "status" || le.Value != `"done"` {
					t.Errorf("parameter %q = %s, want status = \"done\"", le.Parameter, le.Value)
				}
				ae := mustAPIError(t, err)
				if ae.Kind != KindBadRequest || ae.Operation != OperationList || ae.Attempts != 1 {
					t.Errorf("APIError kind %v, operation %q, attempts %d", ae.Kind, ae.Operation, ae.Attempts)
				}
				assertContains(t, err.Error(),
					"HoneyHive rejected the request for the list of runs (HTTP 400 Bad Request from GET /v1/runs?",
					"status=done",
					`server said "status must be one of [pending completed failed cancelled running]", error code INVALID_PARAMETER`,
					`It is about the parameter status, sent as "done": check that filter or sort setting`)
				if strings.Contains(err.Error(), "aggregate_function") || strings.Contains(err.Error(), "run ID") {
					t.Errorf("list error speaks of a single run: %v", err)
				}
			},
		},
		{
			name: "400 naming the run ID filter",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 400, apiErrorJSON(400, "run_ids must be an array: send run_ids[]=a&run_ids[]=b", ""))
			},
			query: ListRunsQuery{RunIDs: []string{"a", "b"}},
			check: func(t *testing.T, err error) {
				assertContains(t, err.Error(), `It is about the parameter run_ids[], sent as "a", "b"`)
			},
		},
		{
			name: "400 about the paging the client does",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 400, apiErrorJSON(400, "limit: must be between 1 and 50", "INVALID_PARAMETER"))
			},
			check: func(t *testing.T, err error) {
				assertContains(t, err.Error(), "It is about the parameter limit, sent as 100, which this client sets itself while paging (pages of 100 runs")
			},
		},
		{
			name: "400 naming no parameter",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(400)
				fmt.Fprint(w, "Bad Request")
			},
			query: ListRunsQuery{DatasetID: "ds-1"},
			check: func(t *testing.T, err error) {
				assertContains(t, err.Error(), `text/plain body: "Bad Request"`,
					"The message names none of the parameters sent (dataset_id, limit, page): check their values in the request above")
			},
		},
		{
			name: "JSON 404",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 404, apiErrorJSON(404, "Project not found", ""))
			},
			check: func(t *testing.T, err error) {
				var le *ListRunsError
				if !errors.As(err, &le) {
					t.Fatalf("want a *ListRunsError, got %T: %v", err, err)
				}
				assertContains(t, err.Error(), "answered HTTP 404 Not Found from GET /v1/runs?limit=100&page=1, fetching the list of runs",
					`server said "Project not found"`, "Listing runs concerns no single run that could be unknown",
					"HoneyHive answers 404, not 401 or 403, for an API key that is invalid, revoked or expired",
					"check that api_key (or HH_PROJECT_API_KEY) holds a current key", "server_url (or HH_DATA_PLANE_URL) is the URL")
			},
		},
		{
			name:    "no such route",
			handler: expressNotFound,
			check: func(t *testing.T, err error) {
				if !isKind(err, KindRouteNotFound) {
					t.Errorf("want a route-not-found error, got %v", err)
				}
				assertContains(t, err.Error(), "has no GET /v1/runs:", "fetching the list of runs. Is server_url")
			},
		},
		{
			name: "invalid body",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"evaluation":{"run_id":"a"}}`)
			},
			check: func(t *testing.T, err error) {
				ae := mustAPIError(t, err)
				if ae.Kind != KindInvalidBody {
					t.Errorf("kind %v", ae.Kind)
				}
				assertContains(t, err.Error(), "(the list of runs) with HTTP 200 OK, but the body is not a valid run list: body has no \"evaluations\" list")
			},
		},
		{
			name: "unauthorized",
			handler: func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 401, apiErrorJSON(401, "Invalid API key", ""))
			},
			check: func(t *testing.T, err error) {
				if !isKind(err, KindUnauthorized) {
					t.Errorf("want unauthorized, got %v", err)
				}
				assertContains(t, err.Error(), "fetching the list of runs")
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, tc.handler)
			c := newTestClient(t, srv.URL)
			runs, _, err := listRuns(c, context.Background(), tc.query, 100)
			if err == nil {
				t.Fatalf("got %d runs and no error", len(runs))
			}
			assertNoKey(t, "error", err.Error())
			tc.check(t, err)
		})
	}
}

// Each page is retried on its own; the pages already read are kept.
func TestListRunsRetriesAPage(t *testing.T) {
	f := &fakeList{n: 150}
	var h hits
	serve := f.serve(t)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if h.add(r) == 2 { // the first try of page 2
			writeJSON(w, 503, apiErrorJSON(503, "try again", ""))
			return
		}
		serve(w, r)
	})
	c := newTestClient(t, srv.URL)
	runs, total, err := listRuns(c, context.Background(), ListRunsQuery{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 150 || total != 150 {
		t.Errorf("got %d runs, total %d", len(runs), total)
	}
	if got := f.pages(); !reflect.DeepEqual(got, [][2]string{{"1", "100"}, {"2", "100"}}) {
		t.Errorf("pages served %v", got)
	}
}

// The read's deadline bounds the whole listing, every page included.
func TestListRunsContext(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	c := newTestClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, _, err := listRuns(c, ctx, ListRunsQuery{}, 10)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want a deadline error, got %v", err)
	}
	assertContains(t, err.Error(), "fetching the list of runs from HoneyHive server")
}

func TestNamedParameter(t *testing.T) {
	sent := []string{"limit", "name", "page", "run_ids[]", "sort_by", "status"}
	for msg, want := range map[string]string{
		"sort_by must be one of [created_at updated_at name status]": "sort_by",
		"Invalid value for Status":                                   "status",
		`"run_ids" must be an array`:                                 "run_ids[]",
		"page: must be at least 1":                                   "page",
		"Invalid filter":                                             "",
		"renamed field":                                              "", // "name" only as a whole word
		"the sort_by_name index is missing":                          "",
	} {
		if got := namedParameter(msg, sent); got != want {
			t.Errorf("namedParameter(%q) = %q, want %q", msg, got, want)
		}
	}
}
