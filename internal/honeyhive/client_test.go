package honeyhive

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

func TestGetRunSummaryRequest(t *testing.T) {
	tests := []struct {
		name      string
		aggregate string
		wantQuery string
	}{
		{"omitted", "", ""},
		{"p95", "p95", "aggregate_function=p95"},
		{"passed through unvalidated and encoded", "my func&x=1", "aggregate_function=my+func%26x%3D1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *http.Request
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				got = r.Clone(context.Background())
				writeJSON(w, 200, summaryJSON)
			})
			c := newTestClient(t, srv.URL)
			s, err := c.GetRunSummary(context.Background(), "run-1", tt.aggregate, models.SummaryDecodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if s.RunID != "run-1" || len(s.Passed) != 1 || s.Status != "completed" {
				t.Errorf("decoded summary: %+v", s)
			}
			if got.Method != http.MethodGet || got.URL.Path != "/v1/runs/run-1/summary" {
				t.Errorf("request %s %s", got.Method, got.URL.Path)
			}
			if got.URL.RawQuery != tt.wantQuery {
				t.Errorf("query %q, want %q", got.URL.RawQuery, tt.wantQuery)
			}
			if tt.aggregate != "" && got.URL.Query().Get("aggregate_function") != tt.aggregate {
				t.Errorf("server read aggregate_function %q", got.URL.Query().Get("aggregate_function"))
			}
			wantHeaders := map[string]string{
				"Authorization": "Bearer " + testKey,
				"Accept":        "application/json",
				"User-Agent":    "terraform-provider-honeyhive/1.2.3 (Terraform/1.9.0)",
			}
			for k, v := range wantHeaders {
				if got.Header.Get(k) != v {
					t.Errorf("header %s = %q, want %q", k, got.Header.Get(k), v)
				}
			}
		})
	}
}

func TestCompareRunsRequest(t *testing.T) {
	var uri string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		uri = r.RequestURI
		writeJSON(w, 200, comparisonJSON)
	})
	c := newTestClient(t, srv.URL)
	res, err := c.CompareRuns(context.Background(), "new-1", "old-1", "median", models.ComparisonDecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if uri != "/v1/runs/new-1/compare/old-1?aggregate_function=median" {
		t.Errorf("request URI %q", uri)
	}
	if res.NewRunID != "new-1" || res.OldRunID != "old-1" || res.CommonDatapoints != 2 || len(res.MetricDeltas) != 1 {
		t.Errorf("decoded comparison: %+v", res)
	}
}

func TestEmptyRunIDs(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1")
	if _, err := c.GetRunSummary(context.Background(), "", "", models.SummaryDecodeOptions{}); err == nil || !strings.Contains(err.Error(), "run ID is empty") {
		t.Errorf("summary: %v", err)
	}
	for _, ids := range [][2]string{{"", "b"}, {"a", ""}, {"", ""}} {
		if _, err := c.CompareRuns(context.Background(), ids[0], ids[1], "", models.ComparisonDecodeOptions{}); err == nil || !strings.Contains(err.Error(), "empty") {
			t.Errorf("compare %q: %v", ids, err)
		}
	}
}

func TestPathEscaping(t *testing.T) {
	tests := []struct {
		id, wantURI string
	}{
		{"3c9e1f00-aaaa-4bbb-8ccc-0123456789ab", "/v1/runs/3c9e1f00-aaaa-4bbb-8ccc-0123456789ab/summary"},
		{"a/b", "/v1/runs/a%2Fb/summary"},
		{"a b", "/v1/runs/a%20b/summary"},
		{"q?x=1#frag", "/v1/runs/q%3Fx=1%23frag/summary"},
		{"100%", "/v1/runs/100%25/summary"},
		{"ünï", "/v1/runs/%C3%BCn%C3%AF/summary"},
		{"..", "/v1/runs/%2E%2E/summary"},
		{".", "/v1/runs/%2E/summary"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			var uri, path string
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				uri, path = r.RequestURI, r.URL.Path
				writeJSON(w, 200, summaryJSON)
			})
			c := newTestClient(t, srv.URL)
			if _, err := c.GetRunSummary(context.Background(), tt.id, "", models.SummaryDecodeOptions{}); err != nil {
				t.Fatal(err)
			}
			if uri != tt.wantURI {
				t.Errorf("request URI %q, want %q", uri, tt.wantURI)
			}
			if path != "/v1/runs/"+tt.id+"/summary" {
				t.Errorf("server decoded path %q", path)
			}
		})
	}

	t.Run("comparison", func(t *testing.T) {
		var uri string
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			uri = r.RequestURI
			writeJSON(w, 200, comparisonJSON)
		})
		c := newTestClient(t, srv.URL)
		if _, err := c.CompareRuns(context.Background(), "n/1", "o 2", "", models.ComparisonDecodeOptions{}); err != nil {
			t.Fatal(err)
		}
		if uri != "/v1/runs/n%2F1/compare/o%202" {
			t.Errorf("request URI %q", uri)
		}
	})
}

func TestServerURLWithPathPrefix(t *testing.T) {
	var path string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.Path
		writeJSON(w, 200, summaryJSON)
	})
	c := newTestClient(t, srv.URL+"/api/")
	if _, err := c.GetRunSummary(context.Background(), "r", "", models.SummaryDecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if path != "/api/v1/runs/r/summary" {
		t.Errorf("path %q", path)
	}
}

// routeServer serves the alias routes only and answers the current ones with
// the given 404 handler.
func routeServer(t *testing.T, h *hits, currentMissing http.HandlerFunc) string {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		h.add(r)
		p := r.URL.Path
		switch {
		case strings.HasSuffix(p, "/result"):
			writeJSON(w, 200, summaryJSON)
		case strings.Contains(p, "/compare-with/"):
			writeJSON(w, 200, comparisonJSON)
		default:
			currentMissing(w, r)
		}
	})
	return srv.URL
}

func TestRouteFallback(t *testing.T) {
	type fetchFunc func(c *Client) error
	summary := func(c *Client) error {
		_, err := c.GetRunSummary(context.Background(), "r1", "max", models.SummaryDecodeOptions{})
		return err
	}
	compare := func(c *Client) error {
		_, err := c.CompareRuns(context.Background(), "n1", "o1", "max", models.ComparisonDecodeOptions{})
		return err
	}
	nestMissing := func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 404, fmt.Sprintf(`{"statusCode":404,"message":"Cannot GET %s","error":"Not Found"}`, r.URL.Path))
	}
	emptyMissing := func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) }
	tests := []struct {
		name           string
		fetch          fetchFunc
		missing        http.HandlerFunc
		current, alias string
	}{
		{"summary, Express 404", summary, expressNotFound, "/v1/runs/r1/summary", "/v1/runs/r1/result"},
		{"comparison, Express 404", compare, expressNotFound, "/v1/runs/n1/compare/o1", "/v1/runs/n1/compare-with/o1"},
		{"summary, NestJS JSON Cannot GET", summary, nestMissing, "/v1/runs/r1/summary", "/v1/runs/r1/result"},
		{"summary, empty 404", summary, emptyMissing, "/v1/runs/r1/summary", "/v1/runs/r1/result"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &hits{}
			url := routeServer(t, h, tt.missing)
			c := newTestClient(t, url)
			if err := tt.fetch(c); err != nil {
				t.Fatalf("first call: %v", err)
			}
			// Remembered for later calls, including by other clients of the same server.
			if err := tt.fetch(newTestClient(t, url)); err != nil {
				t.Fatalf("second call: %v", err)
			}
			want := []string{tt.current, tt.alias, tt.alias}
			if got := h.list(); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("requests %v, want %v", got, want)
			}
		})
	}
}

func TestRouteMemoryIsPerServerAndKind(t *testing.T) {
	h1 := &hits{}
	url1 := routeServer(t, h1, expressNotFound)
	if _, err := newTestClient(t, url1).GetRunSummary(context.Background(), "r", "", models.SummaryDecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	// The comparison route of the same server has not been learnt.
	if _, err := newTestClient(t, url1).CompareRuns(context.Background(), "n", "o", "", models.ComparisonDecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	want := "/v1/runs/r/summary /v1/runs/r/result /v1/runs/n/compare/o /v1/runs/n/compare-with/o"
	if got := strings.Join(h1.list(), " "); got != want {
		t.Errorf("requests %s, want %s", got, want)
	}

	// Another server still gets the current route first.
	h2 := &hits{}
	srv2 := newServer(t, func(w http.ResponseWriter, r *http.Request) { h2.add(r); writeJSON(w, 200, summaryJSON) })
	if _, err := newTestClient(t, srv2.URL).GetRunSummary(context.Background(), "r", "", models.SummaryDecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := h2.list(); len(got) != 1 || got[0] != "/v1/runs/r/summary" {
		t.Errorf("other server: %v", got)
	}
}

func TestRouteMemoryFlipsBackWhenAliasDisappears(t *testing.T) {
	h := &hits{}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		h.add(r)
		if strings.HasSuffix(r.URL.Path, "/result") {
			expressNotFound(w, r)
			return
		}
		writeJSON(w, 200, summaryJSON)
	})
	aliasFirst.Store(routeMemoryKey(srv.URL, routeSummary), true) // learnt earlier, server upgraded since
	c := newTestClient(t, srv.URL)
	for range 2 {
		if _, err := c.GetRunSummary(context.Background(), "r", "", models.SummaryDecodeOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	want := "/v1/runs/r/result /v1/runs/r/summary /v1/runs/r/summary"
	if got := strings.Join(h.list(), " "); got != want {
		t.Errorf("requests %s, want %s", got, want)
	}
}

func TestJSONNotFoundDoesNotFallBack(t *testing.T) {
	tests := []struct {
		name  string
		fetch func(c *Client) error
		wants []string
	}{
		{"summary", func(c *Client) error {
			_, err := c.GetRunSummary(context.Background(), "run-404", "", models.SummaryDecodeOptions{})
			return err
		},
			[]string{`run "run-404" was not found on HoneyHive server http://`, "HTTP 404 Not Found from GET /v1/runs/run-404/summary",
				`server said "Run not found", error code RUN_NOT_FOUND`, "Check the run ID"}},
		{"comparison", func(c *Client) error {
			_, err := c.CompareRuns(context.Background(), "n-404", "o-1", "", models.ComparisonDecodeOptions{})
			return err
		},
			[]string{`run "n-404" or run "o-1" was not found on HoneyHive server`, "GET /v1/runs/n-404/compare/o-1", "Check both run IDs"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &hits{}
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				h.add(r)
				writeJSON(w, 404, apiErrorJSON(404, "Run not found", "RUN_NOT_FOUND"))
			})
			err := tt.fetch(newTestClient(t, srv.URL))
			ae := mustAPIError(t, err)
			if ae.Kind != KindNotFound || !IsNotFound(err) || isKind(err, KindRouteNotFound) {
				t.Errorf("kind %v", ae.Kind)
			}
			assertContains(t, err.Error(), tt.wants...)
			if n := len(h.list()); n != 1 {
				t.Errorf("%d requests, want 1 (no fallback, no retry)", n)
			}
		})
	}
}

func TestBothRoutesMissing(t *testing.T) {
	h := &hits{}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { h.add(r); expressNotFound(w, r) })
	c := newTestClient(t, srv.URL)
	_, err := c.GetRunSummary(context.Background(), "r1", "", models.SummaryDecodeOptions{})
	ae := mustAPIError(t, err)
	if !isKind(err, KindRouteNotFound) || IsNotFound(err) {
		t.Errorf("kind %v", ae.Kind)
	}
	assertContains(t, err.Error(),
		"HoneyHive server "+srv.URL+" has neither GET /v1/runs/r1/summary nor GET /v1/runs/r1/result",
		`text/html body: "Cannot GET /v1/runs/r1/result"`,
		`fetching the summary of run "r1"`,
		"Is server_url (or HH_DATA_PLANE_URL) the URL of the HoneyHive API")
	if n := len(h.list()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	_, err = c.CompareRuns(context.Background(), "n", "o", "", models.ComparisonDecodeOptions{})
	assertContains(t, mustAPIError(t, err).Error(), "has neither GET /v1/runs/n/compare/o nor GET /v1/runs/n/compare-with/o")
}

func TestConcurrentUse(t *testing.T) {
	var mu sync.Mutex
	flaky := map[string]bool{}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		mu.Lock()
		first := !flaky[p]
		flaky[p] = true
		mu.Unlock()
		switch {
		case first && strings.HasSuffix(p, "6/result"):
			writeJSON(w, 503, apiErrorJSON(503, "busy", ""))
		case strings.HasSuffix(p, "/result"):
			writeJSON(w, 200, summaryJSON)
		case strings.Contains(p, "/compare/"):
			writeJSON(w, 200, comparisonJSON)
		default:
			expressNotFound(w, r)
		}
	})
	log := &captureLogger{}
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Logger = log })
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		wg.Go(func() {
			var err error
			if i%2 == 0 {
				_, err = c.GetRunSummary(context.Background(), fmt.Sprintf("run-%d", i), "", models.SummaryDecodeOptions{})
			} else {
				_, err = c.CompareRuns(context.Background(), fmt.Sprintf("n-%d", i), "o", "sum", models.ComparisonDecodeOptions{})
			}
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if v, _ := aliasFirst.Load(routeMemoryKey(srv.URL, routeSummary)); v != true {
		t.Errorf("summary alias not remembered: %v", v)
	}
	if v, _ := aliasFirst.Load(routeMemoryKey(srv.URL, routeCompare)); v == true {
		t.Errorf("comparison alias wrongly remembered")
	}
}

func TestLoggerRedactsHeaders(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1/runs/bad") {
			// A server echoing the key must not get it into the log.
			writeJSON(w, 500, apiErrorJSON(500, "internal error for key "+testKey, ""))
			return
		}
		writeJSON(w, 200, summaryJSON)
	})
	log := &captureLogger{}
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Logger = log; cfg.MaxRetries = 1 })
	if _, err := c.GetRunSummary(context.Background(), "ok", "average", models.SummaryDecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := c.GetRunSummary(context.Background(), "bad", "", models.SummaryDecodeOptions{})
	assertContains(t, mustAPIError(t, err).Error(), `server said "internal error for key [redacted]"`)

	entries := log.all()
	var requests, responses, retries int
	for _, e := range entries {
		assertNoKey(t, "log entry "+e.msg, fmt.Sprintf("%v", e.fields))
		switch e.msg {
		case "HoneyHive API request":
			requests++
			h, _ := e.fields["request_headers"].(map[string]string)
			if h["Authorization"] != "Bearer [redacted]" || h["Accept"] != "application/json" ||
				!strings.HasPrefix(h["User-Agent"], "terraform-provider-honeyhive/") {
				t.Errorf("logged headers %v", h)
			}
			for _, k := range []string{"method", "url", "attempt"} {
				if _, ok := e.fields[k]; !ok {
					t.Errorf("request entry lacks %s: %v", k, e.fields)
				}
			}
		case "HoneyHive API response":
			responses++
			for _, k := range []string{"status_code", "content_length", "bytes_read", "duration"} {
				if _, ok := e.fields[k]; !ok {
					t.Errorf("response entry lacks %s: %v", k, e.fields)
				}
			}
		case "HoneyHive API request failed; retrying":
			retries++
		}
	}
	if requests != 3 || responses != 3 || retries != 1 {
		t.Errorf("%d requests, %d responses, %d retries logged; want 3, 3, 1: %v", requests, responses, retries, entries)
	}
	first := entries[1].fields
	if first["status_code"] != 200 || first["bytes_read"] != len(summaryJSON) || first["url"] != srv.URL+"/v1/runs/ok/summary?aggregate_function=average" {
		t.Errorf("response entry %v", first)
	}
}

func TestRouteNotRememberedWithoutProof(t *testing.T) {
	h := &hits{}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		h.add(r)
		if strings.HasSuffix(r.URL.Path, "/result") {
			w.WriteHeader(503) // a load balancer's answer says nothing about the route
			return
		}
		expressNotFound(w, r)
	})
	_, err := newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = 0 }).GetRunSummary(context.Background(), "r", "", models.SummaryDecodeOptions{})
	if ae := mustAPIError(t, err); ae.StatusCode != 503 || ae.Route != "/v1/runs/r/result" {
		t.Errorf("APIError %+v", ae)
	}
	if _, ok := aliasFirst.Load(routeMemoryKey(srv.URL, routeSummary)); ok {
		t.Error("alias remembered after a 503")
	}
}

// The decode options reach the decoder through GetRunSummary and
// WaitForRunSummary alike: counted datapoints are left undecoded, pairing
// datapoints without metric values are decoded as far as pairing needs; the
// zero options decode everything.
func TestRunSummaryDecodeOptions(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/runs/r1" {
			writeJSON(w, 200, `{"evaluation":{"run_id":"r1","status":"completed"}}`)
			return
		}
		writeJSON(w, 200, summaryJSON)
	})
	c := newTestClient(t, srv.URL)
	ctx := context.Background()
	reads := map[string]func(models.SummaryDecodeOptions) (*models.ExperimentResultSummary, error){
		"GetRunSummary": func(o models.SummaryDecodeOptions) (*models.ExperimentResultSummary, error) {
			return c.GetRunSummary(ctx, "r1", "", o)
		},
		"WaitForRunSummary": func(o models.SummaryDecodeOptions) (*models.ExperimentResultSummary, error) {
			return c.WaitForRunSummary(ctx, "r1", "", WaitOptions{}, o)
		},
	}
	for name, read := range reads {
		t.Run(name, func(t *testing.T) {
			skipped, err := read(models.SummaryDecodeOptions{SkipDatapoints: true})
			if err != nil {
				t.Fatal(err)
			}
			if skipped.Datapoints != nil || skipped.DatapointCount == nil || *skipped.DatapointCount != 2 {
				t.Errorf("with SkipDatapoints: %d datapoints kept, count %v; want none kept, count 2",
					len(skipped.Datapoints), skipped.DatapointCount)
			}
			if len(skipped.Metrics.Entries()) != 1 || len(skipped.Passed) != 1 {
				t.Errorf("with SkipDatapoints the rest is lost: %+v", skipped)
			}
			full, err := read(models.SummaryDecodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(full.Datapoints) != 2 || full.DatapointCount == nil || *full.DatapointCount != 2 ||
				len(full.Metrics.Details[0].Values) != 2 {
				t.Errorf("by default: %d datapoints, count %v; want 2 and 2", len(full.Datapoints), full.DatapointCount)
			}
			noValues, err := read(models.SummaryDecodeOptions{SkipMetricValues: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(noValues.Datapoints) != 2 || *noValues.Datapoints[1].DatapointID != "d2" ||
				noValues.Metrics.Details[0].Values != nil || !noValues.Metrics.Details[0].Aggregate.Equal(models.Number(0.5)) {
				t.Errorf("without metric values: %+v", noValues)
			}
		})
	}
}

// SkipDatapointLists leaves the comparison's per-datapoint lists out and
// keeps the counts.
func TestCompareRunsSkipDatapointLists(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, comparisonJSON) })
	c := newTestClient(t, srv.URL)
	ctx := context.Background()
	full, err := c.CompareRuns(ctx, "n", "o", "", models.ComparisonDecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	skipped, err := c.CompareRuns(ctx, "n", "o", "", models.ComparisonDecodeOptions{SkipDatapointLists: true})
	if err != nil {
		t.Fatal(err)
	}
	if full.CommonDatapointIDs == nil || full.MetricDeltas[0].Improved == nil {
		t.Errorf("by default the lists are lost: %+v", full)
	}
	d := skipped.MetricDeltas[0]
	if skipped.CommonDatapoints != 2 || skipped.CommonDatapointIDs != nil || d.Improved != nil || d.Same != nil ||
		d.ImprovedCount == nil || *d.ImprovedCount != 1 || !d.Difference.Equal(models.Number(0.5)) {
		t.Errorf("with SkipDatapointLists: %+v, entry %+v", skipped, d)
	}
}
