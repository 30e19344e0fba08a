package localhoneyhive

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

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
