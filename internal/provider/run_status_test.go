package provider

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// stripSummaryFields serves the local server, except that the summary of
// runID loses the given top-level fields, as older deployments send it.
func stripSummaryFields(t *testing.T, runID string, fields ...string) func(*localhoneyhive.Server) http.Handler {
	return func(srv *localhoneyhive.Server) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/v1/runs/"+runID+"/summary" {
				srv.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, r)
			var body map[string]json.RawMessage
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Errorf("summary of %s: %v", runID, err)
			}
			for _, f := range fields {
				delete(body, f)
			}
			out, _ := json.Marshal(body)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(rec.Code)
			_, _ = w.Write(out)
		})
	}
}

// A summary without a status of its own takes its run object's status: the
// one it embeds, else GET /v1/runs/{id}, else (for a comparison) the
// comparison's copy; with none anywhere, status is null, not "".
func TestAccStatus_fallsBackToTheRunObject(t *testing.T) {
	t.Parallel()
	const bare = "run-bare" // structured, completed; its summary loses status and run_object below
	srv := newWrappedTestServer(t, stripSummaryFields(t, bare, "status", "run_object"))
	srv.PutRun(localhoneyhive.Run{ID: bare, Name: "bare", Status: "completed",
		Metrics:    []localhoneyhive.Metric{{Name: "accuracy"}},
		Datapoints: []localhoneyhive.Datapoint{{ID: "dp-01", Values: []localhoneyhive.Value{localhoneyhive.Number(1)}}}})
	// Raw bodies: one whose run_object holds the status, one with none anywhere.
	srv.PutRunSummary("run-embedded", []byte(`{"success":true,"passed":["dp-01"],"failed":[],
		"metrics":{"details":[{"metric_name":"accuracy","aggregate":1}]},"datapoints":[],
		"run_object":{"id":"o1","run_id":"run-embedded","status":"failed"}}`))
	srv.PutRunSummary("run-statusless", []byte(`{"success":true,"passed":["dp-01"],"failed":[],
		"metrics":{"details":[{"metric_name":"accuracy","aggregate":1}]},"datapoints":[]}`))

	srv.test(t, resource.TestStep{
		Config: `
data "honeyhive_experiment_run" "bare" {
  run_id = "run-bare"
}
data "honeyhive_experiment_run" "embedded" {
  run_id = "run-embedded"
}
data "honeyhive_experiment_run" "statusless" {
  run_id = "run-statusless"
}
data "honeyhive_run_comparison" "bare" {
  new_run_id = "run-bare"
  old_run_id = "run-embedded"
}
data "honeyhive_run_comparison" "statusless" {
  new_run_id = "run-baseline"
  old_run_id = "run-statusless"
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			expect("data.honeyhive_experiment_run.bare", knownvalue.StringExact("completed"), "status"),
			expect("data.honeyhive_experiment_run.embedded", knownvalue.StringExact("failed"), "status"),
			expect("data.honeyhive_experiment_run.statusless", knownvalue.Null(), "status"),
			expect("data.honeyhive_run_comparison.bare", knownvalue.StringExact("completed"), "new_run_status"),
			expect("data.honeyhive_run_comparison.bare", knownvalue.StringExact("failed"), "old_run_status"),
			expect("data.honeyhive_run_comparison.statusless", knownvalue.StringExact("completed"), "new_run_status"),
			expect("data.honeyhive_run_comparison.statusless", knownvalue.Null(), "old_run_status"),
		},
	})
	// The bare summary really had no status: the provider had to look further.
	var sawRunObject bool
	for _, r := range srv.RequestLog() {
		sawRunObject = sawRunObject || r.Path == "/v1/runs/"+bare
	}
	if !sawRunObject {
		t.Error("the run object of run-bare was never fetched")
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/v1/runs/"+bare+"/summary", nil)
	req.Header.Set("Authorization", "Bearer "+srv.APIKey())
	stripSummaryFields(t, bare, "status", "run_object")(srv.Server).ServeHTTP(rec, req)
	if bytes.Contains(rec.Body.Bytes(), []byte(`"status"`)) {
		t.Errorf("the stripped summary still has a status: %s", rec.Body)
	}
}
