package localhoneyhive

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestFaults(t *testing.T) {
	const path = "/v1/runs/run-baseline/summary"
	tests := []struct {
		name            string
		fault           Fault
		wantStatus      int
		wantContentType string
		check           func(t *testing.T, rec *httptest.ResponseRecorder)
	}{
		{
			name: "StatusFault", fault: StatusFault(418, "text/plain", "short and stout"),
			wantStatus: 418, wantContentType: "text/plain",
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				if rec.Body.String() != "short and stout" {
					t.Errorf("body = %q", rec.Body)
				}
			},
		},
		{
			name: "ServerError", fault: ServerError(503),
			wantStatus: 503, wantContentType: "application/json",
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				wantErrorBody(t, rec, 503, "SERVICE_UNAVAILABLE")
			},
		},
		{
			name: "ServerError 500", fault: ServerError(500),
			wantStatus: 500, wantContentType: "application/json",
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				wantErrorBody(t, rec, 500, "INTERNAL_SERVER_ERROR")
			},
		},
		{
			name: "RateLimited with seconds", fault: RateLimited("2"),
			wantStatus: 429, wantContentType: "application/json",
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				wantErrorBody(t, rec, 429, "RATE_LIMITED")
				if got := rec.Header().Get("Retry-After"); got != "2" {
					t.Errorf("Retry-After = %q", got)
				}
			},
		},
		{
			name: "RateLimited with an HTTP date", fault: RateLimited("Wed, 21 Oct 2026 07:28:00 GMT"),
			wantStatus: 429, wantContentType: "application/json",
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				if got := rec.Header().Get("Retry-After"); got != "Wed, 21 Oct 2026 07:28:00 GMT" {
					t.Errorf("Retry-After = %q", got)
				}
			},
		},
		{
			name: "RateLimited without Retry-After", fault: RateLimited(""),
			wantStatus: 429, wantContentType: "application/json",
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				if _, has := rec.Header()["Retry-After"]; has {
					t.Error("Retry-After present")
				}
			},
		},
		{
			name: "HTML502", fault: HTML502(),
			wantStatus: 502, wantContentType: "text/html",
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				body := rec.Body.String()
				if len(body) < 2048 || len(body) > 16384 || !strings.Contains(body, "502 Bad Gateway") {
					t.Errorf("HTML page of %d bytes: %.100s", len(body), body)
				}
				if json.Valid(rec.Body.Bytes()) {
					t.Error("the HTML page is valid JSON")
				}
			},
		},
		{
			name: "MalformedJSON", fault: MalformedJSON(),
			wantStatus: 200, wantContentType: "application/json",
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				var v any
				err := json.Unmarshal(rec.Body.Bytes(), &v)
				if err == nil {
					t.Fatalf("body decodes: %.100s", rec.Body)
				}
				if !strings.HasPrefix(rec.Body.String(), `{"status":"completed"`) {
					t.Errorf("body is not the start of the real summary: %.100s", rec.Body)
				}
			},
		},
		{
			name: "PlainNotFound", fault: PlainNotFound(),
			wantStatus: 404, wantContentType: "text/plain",
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				wantCannotGet(t, rec, http.MethodGet, path)
			},
		},
		{
			name: "Delay then normal", fault: Delay(30 * time.Millisecond),
			wantStatus: 200, wantContentType: "application/json",
			check: func(t *testing.T, rec *httptest.ResponseRecorder) {
				decodeObject(t, rec)
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := New()
			srv.InjectFaults("run-baseline", tc.fault)
			start := time.Now()
			rec := get(t, srv, path)
			if tc.fault.kind == faultDelay && time.Since(start) < tc.fault.delay {
				t.Errorf("answered after %s, before the %s delay", time.Since(start), tc.fault.delay)
			}
			if rec.Code != tc.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tc.wantStatus)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tc.wantContentType) {
				t.Errorf("Content-Type = %q, want %s", ct, tc.wantContentType)
			}
			tc.check(t, rec)
			if tc.fault.String() == "" {
				t.Error("fault has no description")
			}
			// Consumed: the next request is normal.
			if next := get(t, srv, path); next.Code != http.StatusOK || !json.Valid(next.Body.Bytes()) {
				t.Errorf("next request: status %d", next.Code)
			}
		})
	}
}

func TestFaultsApplyBeforeAuth(t *testing.T) {
	srv := New()
	srv.InjectFaults("run-baseline", ServerError(502))
	if rec := request(t, srv, http.MethodGet, "/v1/runs/run-baseline"); rec.Code != 502 {
		t.Fatalf("status = %d, want the injected 502", rec.Code)
	}
	if rec := request(t, srv, http.MethodGet, "/v1/runs/run-baseline"); rec.Code != 404 {
		t.Fatalf("status = %d, want the 404 of a request without a key once the fault is consumed", rec.Code)
	}
}

func TestFaultQueueOrderAndScope(t *testing.T) {
	srv := New()
	srv.InjectFaults("run-baseline", ServerError(500), RateLimited("1"))
	srv.InjectFaults("run-candidate", HTML502())

	steps := []struct {
		path       string
		wantStatus int
	}{
		{"/v1/runs/run-mixed/summary", 200},                  // other runs are untouched
		{"/v1/runs", 200},                                    // the list touches no run
		{"/v1/runs/run-candidate/compare/run-baseline", 502}, // new run's queue first
		{"/v1/runs/run-candidate/compare/run-baseline", 500}, // then the old run's
		{"/v1/runs/run-baseline", 429},                       // run object route
		{"/v1/runs/run-baseline/result", 200},                // all consumed
		{"/v1/runs/run-candidate/compare-with/run-baseline", 200},
	}
	for i, step := range steps {
		if rec := get(t, srv, step.path); rec.Code != step.wantStatus {
			t.Fatalf("step %d %s: status %d, want %d", i, step.path, rec.Code, step.wantStatus)
		}
	}
	if got := srv.Requests("run-baseline"); got != 5 {
		t.Errorf("Requests(run-baseline) = %d, want 5 (faulted requests count)", got)
	}
}

func TestFaultOnRouteMissingFromGeneration(t *testing.T) {
	// A client falling back from /summary to /result: the fault hits the
	// first request, whatever the route generation.
	srv := New(WithRoutes(RoutesLegacyOnly))
	srv.InjectFaults("run-baseline", ServerError(503))
	if rec := get(t, srv, "/v1/runs/run-baseline/summary"); rec.Code != 503 {
		t.Fatalf("status = %d, want 503", rec.Code)
	}
	wantCannotGet(t, get(t, srv, "/v1/runs/run-baseline/summary"), http.MethodGet, "/v1/runs/run-baseline/summary")
}

func TestDelayHonoursCancellation(t *testing.T) {
	srv := New()
	srv.InjectFaults("run-baseline", Delay(10*time.Second))
	ts := httptest.NewServer(srv)
	defer ts.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/v1/runs/run-baseline/summary", nil)
	req.Header.Set("Authorization", "Bearer "+DefaultAPIKey)
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatal("request succeeded despite the client timeout")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want a deadline error", err)
	}
	// The handler must give up too: closing the server waits for it.
	ts.Close()
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Fatalf("handler kept sleeping: %s", elapsed)
	}
	log := srv.RequestLog()
	if len(log) != 1 || log[0].Status != 0 {
		t.Fatalf("log = %+v, want one record with status 0", log)
	}
}

func TestMalformedJSONOfErrorResponse(t *testing.T) {
	srv := New()
	srv.InjectFaults("nope", MalformedJSON())
	rec := get(t, srv, "/v1/runs/nope/summary")
	body, _ := io.ReadAll(rec.Body)
	if rec.Code != 200 || json.Valid(body) || len(body) == 0 {
		t.Fatalf("status %d body %q", rec.Code, body)
	}
}

// A comparison-only fault waits in the queue while summaries of the run are
// served normally, and answers the next comparison.
func TestOnlyComparisons(t *testing.T) {
	srv := New()
	srv.InjectFaults("run-candidate", InconsistentComparison())
	steps := []struct {
		path    string
		faulted bool
	}{
		{"/v1/runs/run-candidate/summary", false},
		{"/v1/runs/run-candidate", false},
		{"/v1/runs/run-candidate/compare/run-baseline", true},
		{"/v1/runs/run-candidate/compare/run-baseline", false}, // consumed
	}
	for i, step := range steps {
		rec := get(t, srv, step.path)
		if rec.Code != 200 {
			t.Fatalf("step %d: status %d", i, rec.Code)
		}
		faulted := strings.Contains(rec.Body.String(), `"improved_count":2,"degraded_count":0`)
		if faulted != step.faulted {
			t.Fatalf("step %d %s: faulted %v, body %.200s", i, step.path, faulted, rec.Body)
		}
	}
}

// The hostile bodies are valid JSON of the shape they claim.
func TestFaultBodies(t *testing.T) {
	var wide struct {
		Metrics struct {
			Details []json.RawMessage `json:"details"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal(HostileMetricsSummaryBody(1234), &wide); err != nil || len(wide.Metrics.Details) != 1234 {
		t.Fatalf("HostileMetricsSummaryBody: %v, %d entries", err, len(wide.Metrics.Details))
	}
	for name, body := range map[string]string{
		"NullIDsSummaryBody": NullIDsSummaryBody, "ContradictorySummaryBody": ContradictorySummaryBody,
		"InconsistentComparisonBody": InconsistentComparisonBody,
	} {
		if !json.Valid([]byte(body)) {
			t.Errorf("%s is not valid JSON", name)
		}
	}
	for _, f := range []Fault{HostileMetricsSummary(3), NullIDsSummary(), ContradictorySummary()} {
		if f.status != 200 || f.comparisonsOnly {
			t.Errorf("%s: status %d, comparisons only %v", f, f.status, f.comparisonsOnly)
		}
	}
}

// getJSON asks srv for path with its key and decodes the JSON answer.
func getJSON(t *testing.T, srv *Server, path string) map[string]any {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+srv.APIKey())
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	return body
}

func TestHostileFaults(t *testing.T) {
	runID := func(v any) any { return v.(map[string]any)["run_id"] }

	t.Run("AnswerForRun", func(t *testing.T) {
		srv := New()
		srv.InjectFaults(FixtureBaseline, AnswerForRun(FixtureCandidate), AnswerForRun(FixtureCandidate), AnswerForRun(FixtureFailed))
		if got := runID(getJSON(t, srv, "/v1/runs/run-baseline/summary")["run_object"]); got != FixtureCandidate {
			t.Errorf("summary's run_object.run_id = %v", got)
		}
		if got := runID(getJSON(t, srv, "/v1/runs/run-baseline")["evaluation"]); got != FixtureCandidate {
			t.Errorf("evaluation.run_id = %v", got)
		}
		cmp := getJSON(t, srv, "/v1/runs/run-baseline/compare/run-candidate")
		if runID(cmp["new_run"]) != FixtureFailed || runID(cmp["old_run"]) != FixtureCandidate {
			t.Errorf("comparison of %v with %v", runID(cmp["new_run"]), runID(cmp["old_run"]))
		}
		if got := runID(getJSON(t, srv, "/v1/runs/run-baseline")["evaluation"]); got != FixtureBaseline {
			t.Errorf("after the faults, evaluation.run_id = %v", got)
		}
	})
	t.Run("AnswerForOldRun", func(t *testing.T) {
		srv := New()
		srv.InjectFaults(FixtureCandidate, AnswerForOldRun(FixtureFailed))
		cmp := getJSON(t, srv, "/v1/runs/run-candidate/compare/run-baseline")
		if runID(cmp["new_run"]) != FixtureCandidate || runID(cmp["old_run"]) != FixtureFailed {
			t.Errorf("comparison of %v with %v", runID(cmp["new_run"]), runID(cmp["old_run"]))
		}
	})
	t.Run("HugeRunError", func(t *testing.T) {
		srv := New()
		srv.InjectFaults(FixtureBaseline, HugeRunError(1<<20))
		s := getJSON(t, srv, "/v1/runs/run-baseline/summary")
		msg, _ := s["error"].(string)
		if s["status"] != "failed" || len(msg) != 1<<20 || !strings.HasPrefix(msg, "Traceback") {
			t.Errorf("status %v, error of %d bytes", s["status"], len(msg))
		}
		if s := getJSON(t, srv, "/v1/runs/run-baseline/summary"); s["status"] != "completed" {
			t.Errorf("after the fault, status %v", s["status"])
		}
	})
	t.Run("endless lists", func(t *testing.T) {
		srv := New()
		srv.InjectListFaults(EndlessListSameRun(), EndlessListSameRun(), EndlessListSamePage(), EndlessListFreshRuns())
		page := func(n string) ([]any, map[string]any) {
			b := getJSON(t, srv, "/v1/runs?limit=5&page="+n)
			return b["evaluations"].([]any), b["pagination"].(map[string]any)
		}
		a, p := page("1")
		b, _ := page("7")
		if len(a) != 1 || len(b) != 1 || runID(a[0]) != runID(b[0]) || p["has_next"] != true {
			t.Errorf("same run: %v, %v, %v", a, b, p)
		}
		c, _ := page("3")
		if len(c) != 5 || runID(c[0]) != runID(a[0]) {
			t.Errorf("same page: %d runs", len(c))
		}
		d, p := page("42")
		if len(d) != 1 || runID(d[0]) != "endless-42" || p["limit"] != float64(1) || p["has_next"] != true {
			t.Errorf("fresh runs: %v, %v", d, p)
		}
		if e, p := page("2"); len(e) == 0 || p["total"] == float64(1_000_000) {
			t.Errorf("after the faults: %d runs, %v", len(e), p)
		}
		if srv.ListRequests() != 5 || srv.Requests(FixtureBaseline) != 0 {
			t.Errorf("%d list requests counted", srv.ListRequests())
		}
	})
}
