package honeyhive

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// testKey must never appear in an error or a log entry.
const testKey = "hh_SECRET_test_key_3f9a1c"

const summaryJSON = `{"status":"completed","success":true,"error":null,"passed":["d1"],"failed":["d2"],
 "metrics":{"aggregation_function":"average","details":[{"metric_name":"accuracy","metric_type":"CLIENT_SIDE",
 "event_name":"predictor","event_type":"chain","aggregate":0.5,"values":[1,0]}]},
 "datapoints":[{"datapoint_id":"d1","passed":true,"metrics":[]},{"datapoint_id":"d2","passed":false,"metrics":[]}]}`

const comparisonJSON = `{"commonDatapoints":["d1","d2"],"metrics":[{"metric_name":"accuracy","old_aggregate":0.5,
 "new_aggregate":1,"difference":0.5,"percentage_change":100,"found_count":2,"improved_count":1,"degraded_count":0,
 "same_count":1,"improved":["d2"],"degraded":[],"same":["d1"]}]}`

// testNames are the provider's names for its settings, which the messages
// the tests check use.
var testNames = Names{
	ServerURL: "server_url", APIKey: "api_key", DataPlaneAPIKey: "data_plane_api_key", ProjectID: "project_id",
	AggregateFunction: "aggregate_function", ReadTimeout: "timeouts.read", CreatedBounds: "created_after, created_before",
	Block: `the provider "honeyhive" block`,
}

// newServer starts an httptest server and, at cleanup, closes it and forgets
// what the client learned about its routes (ports get reused).
func newServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		forgetRoutes(srv.URL)
	})
	return srv
}

func forgetRoutes(serverURL string) {
	aliasFirst.Delete(routeMemoryKey(serverURL, routeSummary))
	aliasFirst.Delete(routeMemoryKey(serverURL, routeCompare))
}

// newTestClient returns a client with fast retries: 1–10 ms waits, 3 retries.
func newTestClient(t *testing.T, serverURL string, opts ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		ServerURL:      serverURL,
		APIKey:         testKey,
		UserAgent:      "terraform-provider-honeyhive/1.2.3 (Terraform/1.9.0)",
		RequestTimeout: 5 * time.Second,
		MaxRetries:     3,
		Names:          testNames,
	}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	c.waitMin, c.waitMax = time.Millisecond, 10*time.Millisecond
	return c
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

func apiErrorJSON(status int, message, code string) string {
	if code == "" {
		return fmt.Sprintf(`{"statusCode":%d,"message":%q,"success":false}`, status, message)
	}
	return fmt.Sprintf(`{"statusCode":%d,"message":%q,"success":false,"errorCode":%q}`, status, message, code)
}

// expressNotFound answers like Express does for a route it does not have.
func expressNotFound(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Error</title></head>\n<body>\n<pre>Cannot GET %s</pre>\n</body>\n</html>\n", r.URL.Path)
}

// assertNoKey fails if the API key appears in s.
func assertNoKey(t *testing.T, what, s string) {
	t.Helper()
	if strings.Contains(s, testKey) {
		t.Errorf("%s contains the API key: %s", what, s)
	}
}

func mustAPIError(t *testing.T, err error) *APIError {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error, got nil")
	}
	assertNoKey(t, "error", err.Error())
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("expected an *APIError, got %T: %v", err, err)
	}
	return ae
}

func assertContains(t *testing.T, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("message lacks %q:\n%s", w, s)
		}
	}
}

// hits counts requests per path (escaped form) and in total.
type hits struct {
	mu    sync.Mutex
	paths []string
	n     atomic.Int32
}

func (h *hits) add(r *http.Request) int {
	h.mu.Lock()
	h.paths = append(h.paths, r.URL.EscapedPath())
	h.mu.Unlock()
	return int(h.n.Add(1))
}

func (h *hits) list() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.paths...)
}

// captureLogger records debug entries.
type captureLogger struct {
	mu      sync.Mutex
	entries []logEntry
}

type logEntry struct {
	msg    string
	fields map[string]any
}

func (l *captureLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, logEntry{msg, fields})
}

func (l *captureLogger) all() []logEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]logEntry(nil), l.entries...)
}

// listRuns lists up to maxResults runs matching q with the default scan limit.
func listRuns(c *Client, ctx context.Context, q ListRunsQuery, maxResults int) ([]models.Run, int, error) {
	l, err := c.FindRuns(ctx, q, ListLimits{MaxResults: maxResults})
	if err != nil {
		return nil, 0, err
	}
	return l.Runs, l.Total, nil
}

// isKind reports whether err is an *APIError of kind k.
func isKind(err error, k ErrorKind) bool {
	e, ok := AsAPIError(err)
	return ok && e.Kind == k
}
