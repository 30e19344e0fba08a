package localhoneyhive

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// request sends one in-process request; header pairs are name, value.
func request(t testing.TB, h http.Handler, method, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// get sends an authorized GET.
func get(t testing.TB, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	return request(t, h, http.MethodGet, path, "Authorization", "Bearer "+DefaultAPIKey)
}

// decodeObject decodes a JSON object body generically, so assertions do
// not go through the server's own wire types.
func decodeObject(t testing.TB, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var out map[string]any
	decodeInto(t, rec, &out)
	return out
}

// decodeInto decodes a JSON object body into out.
func decodeInto(t testing.TB, rec *httptest.ResponseRecorder, out any) {
	t.Helper()
	if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
		t.Fatalf("body is not a JSON object (%v): %.300s", err, rec.Body.String())
	}
}

// field walks a decoded JSON value by object keys and array indexes.
func field(t testing.TB, v any, path ...any) any {
	t.Helper()
	for _, step := range path {
		switch s := step.(type) {
		case string:
			obj, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("at %v: %T is not an object", step, v)
			}
			v = obj[s]
		case int:
			arr, ok := v.([]any)
			if !ok || s >= len(arr) {
				t.Fatalf("at %v: %T is not an array long enough", step, v)
			}
			v = arr[s]
		}
	}
	return v
}

// strings converts a decoded JSON array of strings.
func stringList(t testing.TB, v any) []string {
	t.Helper()
	arr, ok := v.([]any)
	if !ok {
		t.Fatalf("%T is not an array", v)
	}
	out := make([]string, len(arr))
	for i, item := range arr {
		out[i], ok = item.(string)
		if !ok {
			t.Fatalf("item %d is %T, not a string", i, item)
		}
	}
	return out
}

func wantErrorBody(t testing.TB, rec *httptest.ResponseRecorder, status int, errorCode string) map[string]any {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status = %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q, want JSON", ct)
	}
	body := decodeObject(t, rec)
	if body["statusCode"] != float64(status) || body["success"] != false || body["errorCode"] != errorCode {
		t.Fatalf("error body = %v, want statusCode %d, success false, errorCode %s", body, status, errorCode)
	}
	if msg, _ := body["message"].(string); msg == "" {
		t.Fatalf("error body has no message: %v", body)
	}
	return body
}

func wantCannotGet(t testing.TB, rec *httptest.ResponseRecorder, method, path string) {
	t.Helper()
	if rec.Code != http.StatusNotFound {
		t.Fatalf("status = %d, want 404; body %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("Content-Type = %q, want text/plain", ct)
	}
	if want := "Cannot " + method + " " + path; rec.Body.String() != want {
		t.Fatalf("body = %q, want %q", rec.Body, want)
	}
}

// A request without the right key gets the answer of an unknown run, as
// HoneyHive gives it since 2026-09 (the same 404 JSON on every route), or,
// with WithRejectedKeyStatus, the 401 or 403 it gave before.
func TestAuth(t *testing.T) {
	const rejected = 0 // wantStatus of a refused request, whatever the configured answer
	tests := []struct {
		name          string
		serverKey     string // "" means the default
		authorization string // "" means no header
		wantStatus    int
	}{
		{"no header", "", "", rejected},
		{"right key", "", "Bearer " + DefaultAPIKey, http.StatusOK},
		{"scheme is case-insensitive", "", "bearer " + DefaultAPIKey, http.StatusOK},
		{"wrong key", "", "Bearer hh_wrong", rejected},
		{"key without scheme", "", DefaultAPIKey, rejected},
		{"basic scheme", "", "Basic " + DefaultAPIKey, rejected},
		{"empty bearer", "", "Bearer ", rejected},
		{"prefix of the key", "", "Bearer hh_local", rejected},
		{"custom key accepted", "hh_custom", "Bearer hh_custom", http.StatusOK},
		{"default key refused by custom server", "hh_custom", "Bearer " + DefaultAPIKey, rejected},
	}
	answers := []struct {
		name      string
		opts      []Option
		status    int
		errorCode string
		message   string
	}{
		{"today's 404", nil, http.StatusNotFound, "NOT_FOUND", "Evaluation run not found"},
		{"older 401", []Option{WithRejectedKeyStatus(http.StatusUnauthorized)}, http.StatusUnauthorized, "UNAUTHORIZED", "Invalid API key"},
		{"older 403", []Option{WithRejectedKeyStatus(http.StatusForbidden)}, http.StatusForbidden, "FORBIDDEN", "Invalid API key"},
	}
	for _, answer := range answers {
		for _, tc := range tests {
			t.Run(answer.name+"/"+tc.name, func(t *testing.T) {
				opts := append([]Option(nil), answer.opts...)
				if tc.serverKey != "" {
					opts = append(opts, WithAPIKey(tc.serverKey))
				}
				srv := New(opts...)
				var header []string
				if tc.authorization != "" {
					header = []string{"Authorization", tc.authorization}
				}
				for _, path := range []string{"/v1/runs/run-baseline/summary", "/v1/runs/run-baseline", "/v1/runs", "/v1/nothing-here"} {
					rec := request(t, srv, http.MethodGet, path, header...)
					if tc.wantStatus == rejected {
						body := wantErrorBody(t, rec, answer.status, answer.errorCode)
						if body["message"] != answer.message {
							t.Errorf("%s: message = %v, want %q", path, body["message"], answer.message)
						}
						continue
					}
					if path != "/v1/nothing-here" && rec.Code != tc.wantStatus {
						t.Errorf("%s: status = %d, want %d", path, rec.Code, tc.wantStatus)
					}
				}
			})
		}
	}
	// Today's answer to a bad key is the very body of an unknown run.
	srv := New()
	badKey := request(t, srv, http.MethodGet, "/v1/runs/run-baseline/summary", "Authorization", "Bearer hh_wrong")
	unknownRun := request(t, srv, http.MethodGet, "/v1/runs/no-such-run/summary", "Authorization", "Bearer "+DefaultAPIKey)
	if badKey.Code != unknownRun.Code || badKey.Body.String() != unknownRun.Body.String() {
		t.Errorf("bad key: %d %s; unknown run: %d %s", badKey.Code, badKey.Body, unknownRun.Code, unknownRun.Body)
	}
	defer func() {
		if recover() == nil {
			t.Error("WithRejectedKeyStatus(500) did not panic")
		}
	}()
	WithRejectedKeyStatus(http.StatusInternalServerError)
}

func TestRouteGenerations(t *testing.T) {
	paths := map[string]struct{ current, legacy bool }{
		"/v1/runs/run-baseline/summary":                    {current: true},
		"/v1/runs/run-baseline/result":                     {legacy: true},
		"/v1/runs/run-candidate/compare/run-baseline":      {current: true},
		"/v1/runs/run-candidate/compare-with/run-baseline": {legacy: true},
		"/v1/runs/run-baseline":                            {current: true, legacy: true},
		"/v1/runs":                                         {current: true, legacy: true},
	}
	tests := []struct {
		generation                  RouteGeneration
		servesCurrent, servesLegacy bool
	}{
		{RoutesBoth, true, true},
		{RoutesCurrentOnly, true, false},
		{RoutesLegacyOnly, false, true},
	}
	for _, tc := range tests {
		srv := New(WithRoutes(tc.generation))
		for path, kind := range paths {
			t.Run(tc.generation.String()+path, func(t *testing.T) {
				served := (kind.current && tc.servesCurrent) || (kind.legacy && tc.servesLegacy)
				rec := get(t, srv, path)
				if !served {
					wantCannotGet(t, rec, http.MethodGet, path)
					return
				}
				if rec.Code != http.StatusOK {
					t.Fatalf("status = %d, want 200; body %.200s", rec.Code, rec.Body)
				}
				decodeObject(t, rec)
			})
		}
	}
}

func TestNotFoundAndBadRequests(t *testing.T) {
	srv := New()
	t.Run("unknown run", func(t *testing.T) {
		for _, path := range []string{
			"/v1/runs/nope/summary", "/v1/runs/nope/result", "/v1/runs/nope",
			"/v1/runs/nope/compare/run-baseline", "/v1/runs/run-baseline/compare-with/nope",
		} {
			body := wantErrorBody(t, get(t, srv, path), http.StatusNotFound, "NOT_FOUND")
			if body["message"] != "Evaluation run not found" {
				t.Errorf("%s: message = %v", path, body["message"])
			}
		}
	})
	t.Run("unknown paths answer like Express", func(t *testing.T) {
		for _, path := range []string{"/", "/v1", "/v2/runs", "/v1/runs/a/b", "/v1/runs/a/compare/b/c", "/runs/run-baseline/result", "/v1/runs/compare/events"} {
			wantCannotGet(t, get(t, srv, path), http.MethodGet, path)
		}
	})
	t.Run("other methods", func(t *testing.T) {
		for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
			rec := request(t, srv, method, "/v1/runs/run-baseline", "Authorization", "Bearer "+DefaultAPIKey)
			wantCannotGet(t, rec, method, "/v1/runs/run-baseline")
		}
	})
	t.Run("bad aggregate_function", func(t *testing.T) {
		for _, path := range []string{
			"/v1/runs/run-baseline/summary?aggregate_function=mode",
			"/v1/runs/run-baseline/result?aggregate_function=AVERAGE",
			"/v1/runs/run-candidate/compare/run-baseline?aggregate_function=p50",
			"/v1/runs/nope/summary?aggregate_function=mode", // parameters are checked first
		} {
			body := wantErrorBody(t, get(t, srv, path), http.StatusBadRequest, "INVALID_PARAMETER")
			if msg := body["message"].(string); !strings.Contains(msg, "aggregate_function") {
				t.Errorf("%s: message %q does not name the parameter", path, msg)
			}
		}
	})
	t.Run("empty aggregate_function means average", func(t *testing.T) {
		rec := get(t, srv, "/v1/runs/run-baseline/summary?aggregate_function=")
		if got := field(t, decodeObject(t, rec), "metrics", "aggregation_function"); got != "average" {
			t.Errorf("aggregation_function = %v", got)
		}
	})
	t.Run("trailing slash and escaped IDs", func(t *testing.T) {
		srv := New(WithoutFixtures())
		srv.PutRun(Run{ID: "team/run 1", Status: "completed"})
		for _, path := range []string{"/v1/runs/team%2Frun%201/summary", "/v1/runs/team%2Frun%201/summary/", "/v1/runs/team%2Frun%201"} {
			if rec := get(t, srv, path); rec.Code != http.StatusOK {
				t.Errorf("%s: status %d", path, rec.Code)
			}
		}
	})
}

func TestRunObjectRoute(t *testing.T) {
	srv := New()
	rec := get(t, srv, "/v1/runs/run-baseline")
	evaluation := field(t, decodeObject(t, rec), "evaluation").(map[string]any)
	want := map[string]any{
		"run_id": "run-baseline", "name": "nightly-main", "status": "completed",
		"dataset_id": "ds-support-qa", "dataset_name": "support-qa", "is_active": true,
		"created_at": "2026-05-01T12:00:00.000Z", "updated_at": "2026-05-01T12:17:00.000Z",
		"scope_type": "project",
	}
	for key, value := range want {
		if evaluation[key] != value {
			t.Errorf("%s = %v, want %v", key, evaluation[key], value)
		}
	}
	if metrics := evaluation["metrics"].(map[string]any); metrics["accuracy"] != 0.625 {
		t.Errorf("metrics = %v", metrics)
	}
	if ids := evaluation["event_ids"].([]any); len(ids) != 8 {
		t.Errorf("event_ids has %d entries", len(ids))
	}
	// Nullable fields are sent as null, not omitted.
	running := field(t, decodeObject(t, get(t, srv, "/v1/runs/run-running")), "evaluation").(map[string]any)
	for _, key := range []string{"description", "updated_at"} {
		if v, ok := running[key]; !ok || v != nil {
			t.Errorf("%s = %v (present %v), want null", key, v, ok)
		}
	}
}

func TestRequestsCounting(t *testing.T) {
	srv := New()
	paths := []string{
		"/v1/runs/run-baseline/summary",
		"/v1/runs/run-baseline/result",
		"/v1/runs/run-baseline",
		"/v1/runs/run-candidate/compare/run-baseline",
		"/v1/runs/run-baseline/compare-with/run-baseline", // one request, counted once
		"/v1/runs",                      // touches no run
		"/v1/runs/run-baseline/unknown", // not a route
		"/v1/runs/missing/summary",      // unknown runs count too
	}
	for _, p := range paths {
		get(t, srv, p)
	}
	request(t, srv, http.MethodGet, "/v1/runs/run-baseline/summary") // unauthorized still counts
	tests := []struct {
		runID string
		want  int
	}{
		{"run-baseline", 6},
		{"run-candidate", 1},
		{"missing", 1},
		{"run-mixed", 0},
	}
	for _, tc := range tests {
		if got := srv.Requests(tc.runID); got != tc.want {
			t.Errorf("Requests(%q) = %d, want %d", tc.runID, got, tc.want)
		}
	}
}

func TestRequestLog(t *testing.T) {
	const secret = "hh_very_secret_key"
	srv := New(WithAPIKey(secret))
	ts := httptest.NewServer(srv)
	defer ts.Close()

	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/v1/runs/run-baseline/summary?aggregate_function=p95", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("User-Agent", "terraform-provider-honeyhive/test")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = http.Get(ts.URL + "/v1/runs")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	got := srv.RequestLog()
	want := []RequestRecord{
		{Method: "GET", Path: "/v1/runs/run-baseline/summary", EscapedPath: "/v1/runs/run-baseline/summary",
			RawQuery: "aggregate_function=p95", HasAuthorization: true, Key: KeyClassic,
			UserAgent: "terraform-provider-honeyhive/test", Status: 200},
		{Method: "GET", Path: "/v1/runs", EscapedPath: "/v1/runs", HasAuthorization: false, Key: KeyNone,
			UserAgent: got[1].UserAgent, Status: 404},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("RequestLog() = %+v\nwant %+v", got, want)
	}
	if dump := fmt.Sprintf("%#v", got); strings.Contains(dump, secret) {
		t.Fatalf("the request log holds the API key: %s", dump)
	}
	// The log is a copy.
	got[0].Path = "changed"
	if srv.RequestLog()[0].Path == "changed" {
		t.Fatal("RequestLog returned shared storage")
	}
}

func TestPutRunSummaryServedVerbatim(t *testing.T) {
	srv := New(WithoutFixtures())
	raw := []byte(`{"status":"completed", "success":true,  "weird": [1,2], "run_object": {"id":"obj1","name":"raw run","status":"completed","created_at":"2026-01-02T03:04:05.000Z","dataset_id":"ds-x"}}`)
	srv.PutRunSummary("raw-1", raw)
	raw[0] = 'X' // the server keeps its own copy
	for _, fn := range []string{"", "?aggregate_function=max", "?aggregate_function=count"} {
		rec := get(t, srv, "/v1/runs/raw-1/summary"+fn)
		if rec.Code != 200 || rec.Body.String()[0] != '{' || !strings.Contains(rec.Body.String(), `"weird": [1,2]`) {
			t.Fatalf("summary%s = %d %s", fn, rec.Code, rec.Body)
		}
	}
	evaluation := field(t, decodeObject(t, get(t, srv, "/v1/runs/raw-1")), "evaluation").(map[string]any)
	for key, want := range map[string]any{"id": "obj1", "run_id": "raw-1", "name": "raw run", "dataset_id": "ds-x", "is_active": true} {
		if evaluation[key] != want {
			t.Errorf("run object %s = %v, want %v", key, evaluation[key], want)
		}
	}

	t.Run("odd fields a comparison does not use", func(t *testing.T) {
		srv.PutRunSummary("odd", []byte(`{"status": 3, "success": "yes", "error": {"code": 1}, "passed": ["a"], "failed": []}`))
		if rec := get(t, srv, "/v1/runs/odd/compare/raw-1"); rec.Code != http.StatusOK {
			t.Errorf("compare: status %d %s", rec.Code, rec.Body)
		}
	})
	t.Run("undecodable body", func(t *testing.T) {
		srv.PutRunSummary("broken", []byte(`{"status": "compl`))
		if rec := get(t, srv, "/v1/runs/broken/summary"); rec.Body.String() != `{"status": "compl` {
			t.Errorf("summary = %s", rec.Body)
		}
		evaluation := field(t, decodeObject(t, get(t, srv, "/v1/runs/broken")), "evaluation").(map[string]any)
		if evaluation["run_id"] != "broken" || evaluation["status"] != nil {
			t.Errorf("synthesized run object = %v", evaluation)
		}
		wantErrorBody(t, get(t, srv, "/v1/runs/broken/compare/raw-1"), http.StatusBadRequest, "COMPARISON_FAILED")
	})
}

func TestPutRunCopiesItsInput(t *testing.T) {
	srv := New(WithoutFixtures())
	run := Run{
		ID: "r", Status: "completed",
		Metrics:    []Metric{{Name: "m", PassingRange: &PassingRange{Min: 0, Max: 1}}},
		Datapoints: []Datapoint{{ID: "d1", Values: []Value{Number(0.5)}}},
		Metadata:   map[string]any{"k": "v"},
	}
	srv.PutRun(run)
	run.Datapoints[0].Values[0] = Number(99)
	run.Metrics[0].PassingRange.Max = 0
	run.Metadata["k"] = "changed"
	body := decodeObject(t, get(t, srv, "/v1/runs/r/summary"))
	if got := field(t, body, "metrics", "details", 0, "aggregate"); got != 0.5 {
		t.Errorf("aggregate = %v, want 0.5", got)
	}
	if got := field(t, body, "metrics", "details", 0, "passing_range", "max"); got != 1.0 {
		t.Errorf("passing_range.max = %v, want 1", got)
	}
	if got := field(t, body, "run_object", "metadata", "k"); got != "v" {
		t.Errorf("metadata.k = %v, want v", got)
	}
}

func TestPutRunReplacesAndInvalidatesCache(t *testing.T) {
	srv := New(WithoutFixtures())
	put := func(v float64) {
		srv.PutRun(Run{ID: "r", Status: "completed", Metrics: []Metric{{Name: "m"}},
			Datapoints: []Datapoint{{ID: "d", Values: []Value{Number(v)}}}})
	}
	put(1)
	get(t, srv, "/v1/runs/r/summary") // fills the cache
	put(2)
	if got := field(t, decodeObject(t, get(t, srv, "/v1/runs/r/summary")), "metrics", "details", 0, "aggregate"); got != 2.0 {
		t.Fatalf("aggregate after replacing = %v, want 2", got)
	}
	if ids := srv.RunIDs(); !reflect.DeepEqual(ids, []string{"r"}) {
		t.Fatalf("RunIDs() = %v", ids)
	}
}

func TestNewLoadsFixtures(t *testing.T) {
	if got := New().RunIDs(); !reflect.DeepEqual(got, FixtureRunIDs()) {
		t.Errorf("New().RunIDs() = %v, want %v", got, FixtureRunIDs())
	}
	if got := New(WithoutFixtures()).RunIDs(); len(got) != 0 {
		t.Errorf("WithoutFixtures: RunIDs() = %v", got)
	}
	if New().APIKey() != DefaultAPIKey || New(WithAPIKey("k")).APIKey() != "k" {
		t.Error("APIKey() does not report the configured key")
	}
	for _, id := range FixtureRunIDs() {
		if rec := get(t, New(), "/v1/runs/"+id+"/summary"); rec.Code != http.StatusOK {
			t.Errorf("fixture %s: status %d", id, rec.Code)
		}
	}
}

// TestConcurrentUse exercises the locking under -race: requests, run
// replacement, fault injection and log reads at once.
func TestConcurrentUse(t *testing.T) {
	srv := New()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	paths := []string{
		"/v1/runs/run-baseline/summary?aggregate_function=median",
		"/v1/runs/run-candidate/compare/run-baseline",
		"/v1/runs/run-mixed/compare-with/run-legacy",
		"/v1/runs?limit=5",
		"/v1/runs/run-baseline",
	}
	var wg sync.WaitGroup
	for worker := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				req, _ := http.NewRequest(http.MethodGet, ts.URL+paths[(worker+i)%len(paths)], nil)
				req.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 20 {
			srv.PutRun(GenerateRun("run-baseline", 20, 3, int64(i)))
			srv.InjectFaults("run-candidate", ServerError(503))
			_ = srv.RequestLog()
			_ = srv.Requests("run-baseline")
		}
	}()
	wg.Wait()
	if n := len(srv.RequestLog()); n != 160 {
		t.Errorf("logged %d requests, want 160", n)
	}
}

// Bodies go out with their length announced, so that a client can read one
// into a buffer of the right size.
func TestBodiesAnnounceTheirLength(t *testing.T) {
	srv := New()
	for _, path := range []string{
		"/v1/runs/" + FixtureBaseline + "/summary",
		"/v1/runs/" + FixtureCandidate + "/compare/" + FixtureBaseline,
		"/v1/runs/no-such-run/summary",
	} {
		rec := get(t, srv, path)
		if got, want := rec.Header().Get("Content-Length"), strconv.Itoa(rec.Body.Len()); got != want {
			t.Errorf("%s: Content-Length %q, body of %s bytes", path, got, want)
		}
	}
}
