package honeyhive

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func TestGetRun(t *testing.T) {
	var requests atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		switch r.URL.EscapedPath() {
		case "/v1/runs/run%2F1":
			writeJSON(w, 200, `{"evaluation":{"run_id":"run/1","name":"nightly","status":"running","dataset_id":"ds-1","metrics":{"a":1}}}`)
		case "/v1/runs/gone":
			writeJSON(w, 404, apiErrorJSON(404, "Evaluation run not found", ""))
		default:
			expressNotFound(w, r)
		}
	})
	c := newTestClient(t, srv.URL)

	run, err := c.GetRun(context.Background(), "run/1")
	if err != nil {
		t.Fatal(err)
	}
	if run.RunID != "run/1" || *run.Name != "nightly" || run.Status != "running" || *run.DatasetID != "ds-1" {
		t.Errorf("decoded %+v", run)
	}

	_, err = c.GetRun(context.Background(), "gone")
	if !IsNotFound(err) || !strings.Contains(err.Error(), `run "gone" was not found`) {
		t.Errorf("unknown run: %v", err)
	}

	// A plain 404 on a route without an alias is reported at once, not retried
	// on another path.
	requests.Store(0)
	_, err = c.GetRun(context.Background(), "missing-route")
	if !isKind(err, KindRouteNotFound) || !strings.Contains(err.Error(), "has no GET /v1/runs/missing-route") {
		t.Errorf("route not found: %v", err)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("route not found took %d requests, want 1", n)
	}
	if _, err := c.GetRun(context.Background(), ""); err == nil {
		t.Error("an empty run ID must be an error")
	}
}
