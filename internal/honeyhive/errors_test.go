package honeyhive

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

func TestHTTPErrorMessages(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		kind        ErrorKind
		wants       []string
		check       func(error) bool
	}{
		{name: "400 with server message", status: 400, contentType: "application/json",
			body: apiErrorJSON(400, "Invalid aggregate_function: bogus", "BAD_REQUEST"), kind: KindBadRequest,
			wants: []string{`HoneyHive rejected the request for the summary of run "r-1"`,
				"HTTP 400 Bad Request from GET /v1/runs/r-1/summary?aggregate_function=bogus on http://",
				`server said "Invalid aggregate_function: bogus", error code BAD_REQUEST`,
				"some deployments answer 400 for a run they do not know"}},
		{name: "400 unknown run counts as not found", status: 400, contentType: "application/json",
			body: apiErrorJSON(400, "Experiment run r-1 not found", ""), kind: KindBadRequest,
			wants: []string{`server said "Experiment run r-1 not found"`}, check: IsNotFound},
		{name: "400 NestJS validation list", status: 400, contentType: "application/json",
			body: `{"statusCode":400,"message":["aggregate_function must be one of average, min"],"error":"Bad Request"}`, kind: KindBadRequest,
			wants: []string{`server said "aggregate_function must be one of average, min"`}},
		{name: "401", status: 401, contentType: "application/json",
			body: apiErrorJSON(401, "Invalid API key "+testKey, ""), kind: KindUnauthorized, check: func(err error) bool { return isKind(err, KindUnauthorized) },
			wants: []string{"HoneyHive rejected the API key for server_url http://", "HTTP 401 Unauthorized from GET /v1/runs/r-1/summary",
				`fetching the summary of run "r-1"`, `server said "Invalid API key [redacted]"`,
				"An API key belongs to one HoneyHive deployment", "check that api_key (or HH_PROJECT_API_KEY) is a key",
				"issued by the deployment at server_url (or HH_DATA_PLANE_URL)"}},
		{name: "403 plain text", status: 403, contentType: "text/plain", body: "Forbidden", kind: KindUnauthorized, check: func(err error) bool { return isKind(err, KindUnauthorized) },
			wants: []string{"HoneyHive rejected the API key", "HTTP 403 Forbidden", `text/plain body: "Forbidden"`}},
		{name: "404 JSON", status: 404, contentType: "application/json", body: apiErrorJSON(404, "Run not found", ""), kind: KindNotFound,
			check: IsNotFound, wants: []string{`run "r-1" was not found on HoneyHive server`, `server said "Run not found"`,
				"Either no such run exists on this deployment, or the API key cannot see it",
				"HoneyHive answers 404, not 401 or 403, for a key that is invalid, revoked or expired, or that has no access",
				"Check the run ID; that api_key (or HH_PROJECT_API_KEY) holds a current key of this deployment",
				"and that server_url (or HH_DATA_PLANE_URL) is the deployment the run was created on"}},
		{name: "501 not retried", status: 501, contentType: "application/json", body: apiErrorJSON(501, "not implemented", ""), kind: KindHTTPStatus,
			wants: []string{`fetching the summary of run "r-1" from HoneyHive server http://`, "failed: HTTP 501 Not Implemented from GET /v1/runs/r-1/summary",
				`server said "not implemented"`}},
		{name: "409", status: 409, contentType: "application/json", body: apiErrorJSON(409, "conflict", ""), kind: KindHTTPStatus,
			wants: []string{"HTTP 409 Conflict"}},
		{name: "422", status: 422, contentType: "application/json", body: apiErrorJSON(422, "unprocessable", ""), kind: KindHTTPStatus,
			wants: []string{"HTTP 422 Unprocessable Entity"}},
		{name: "405 empty body", status: 405, kind: KindHTTPStatus, wants: []string{"HTTP 405 Method Not Allowed", "(empty body)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &hits{}
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				h.add(r)
				w.Header().Set("Retry-After", "0") // a wait to honour does not make a status retryable
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.WriteHeader(tt.status)
				fmt.Fprint(w, tt.body)
			})
			agg := ""
			if tt.status == 400 {
				agg = "bogus"
			}
			_, err := newTestClient(t, srv.URL).GetRunSummary(context.Background(), "r-1", agg, models.SummaryDecodeOptions{})
			ae := mustAPIError(t, err)
			if ae.Kind != tt.kind || ae.StatusCode != tt.status || ae.RunID != "r-1" || ae.Route != "/v1/runs/r-1/summary" {
				t.Errorf("APIError %+v", ae)
			}
			if tt.check != nil && !tt.check(err) {
				t.Errorf("classification failed for %v", err)
			}
			assertContains(t, err.Error(), tt.wants...)
			if n := len(h.list()); n != 1 || ae.Retryable || IsRetryable(err) {
				t.Errorf("%d requests, retryable %v; want 1 (not retried)", n, ae.Retryable)
			}
			if strings.Contains(err.Error(), "gave up") {
				t.Errorf("message talks about giving up: %v", err)
			}
		})
	}
}

func TestHTMLErrorPageExcerptIsShort(t *testing.T) {
	page := "<html>\n<head><title>502 Bad Gateway</title><style>body { color: red }</style>" +
		"<script>var secret = 1;</script></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx/1.25.3</center>\n" +
		strings.Repeat("<p>padding &amp; more padding</p>\n", 500) + "</body>\n</html>\n"
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		fmt.Fprint(w, page)
	})
	_, err := newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = 0 }).GetRunSummary(context.Background(), "r", "", models.SummaryDecodeOptions{})
	ae := mustAPIError(t, err)
	if !ae.Retryable || ae.Kind != KindHTTPStatus {
		t.Errorf("APIError %+v", ae)
	}
	if n := utf8.RuneCountInString(ae.Excerpt); n > excerptLen+maxClipMark {
		t.Errorf("excerpt of %d runes", n)
	}
	assertContains(t, err.Error(), "HTTP 502 Bad Gateway from GET /v1/runs/r/summary", `text/html body: "502 Bad Gateway nginx/1.25.3 padding & more padding`)
	for _, bad := range []string{"<", "color: red", "secret"} {
		if strings.Contains(ae.Excerpt, bad) {
			t.Errorf("excerpt contains %q: %s", bad, ae.Excerpt)
		}
	}
	if len(err.Error()) > 600 {
		t.Errorf("message of %d bytes: %s", len(err.Error()), err)
	}
}

func TestInvalidSuccessBodies(t *testing.T) {
	tests := []struct {
		name        string
		compare     bool
		contentType string
		body        string
		wants       []string
	}{
		{name: "malformed JSON", contentType: "application/json", body: `{"status": "completed", "passed": [`,
			wants: []string{`HoneyHive server http://`, `answered GET /v1/runs/r-1/summary (the summary of run "r-1") with HTTP 200 OK, but the body is not a valid run summary: invalid JSON body`,
				`(application/json, 35 bytes: "{\"status\": \"completed\", \"passed\": [")`}},
		{name: "empty body", contentType: "application/json", body: "",
			wants: []string{"is not a valid run summary: empty body where a JSON object was expected"}},
		{name: "HTML with 200", contentType: "text/html", body: "<html><body><h1>Welcome to HoneyHive</h1></body></html>",
			wants: []string{"not a valid run summary: body is not a JSON object", `(text/html, 55 bytes: "Welcome to HoneyHive")`}},
		{name: "wrong JSON type", contentType: "application/json", body: `{"passed": "d1"}`, wants: []string{"not a valid run summary"}},
		{name: "comparison", compare: true, contentType: "application/json", body: `[]`,
			wants: []string{`answered GET /v1/runs/n/compare/o (the comparison of run "n" with run "o") with HTTP 200 OK, but the body is not a valid run comparison`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &hits{}
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				h.add(r)
				w.Header().Set("Content-Type", tt.contentType)
				fmt.Fprint(w, tt.body)
			})
			c := newTestClient(t, srv.URL)
			var err error
			if tt.compare {
				_, err = c.CompareRuns(context.Background(), "n", "o", "", models.ComparisonDecodeOptions{})
			} else {
				_, err = c.GetRunSummary(context.Background(), "r-1", "", models.SummaryDecodeOptions{})
			}
			ae := mustAPIError(t, err)
			if ae.Kind != KindInvalidBody || ae.Err == nil || errors.Unwrap(err) == nil {
				t.Errorf("APIError %+v", ae)
			}
			assertContains(t, err.Error(), tt.wants...)
			if n := len(h.list()); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

func TestResponseSizeCap(t *testing.T) {
	big := `{"status":"completed","padding":"` + strings.Repeat("x", 2000) + `"}`
	tests := []struct {
		name    string
		limit   int64
		chunked bool
		body    string
		wantErr string
	}{
		// Over the limit with and without a Content-Length: TestFaultMatrix.
		{"odd limit", 1000, true, big, "response from GET /v1/runs/r/summary exceeds the 1000-byte limit"},
		{"exactly at the limit", int64(len(summaryJSON)), true, summaryJSON, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &hits{}
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				h.add(r)
				w.Header().Set("Content-Type", "application/json")
				if !tt.chunked {
					w.Header().Set("Content-Length", fmt.Sprint(len(tt.body)))
				}
				for i := 0; i < len(tt.body); i += 100 {
					fmt.Fprint(w, tt.body[i:min(i+100, len(tt.body))])
					w.(http.Flusher).Flush()
				}
			})
			c := newTestClient(t, srv.URL)
			c.maxResponseBytes = tt.limit
			_, err := c.GetRunSummary(context.Background(), "r", "", models.SummaryDecodeOptions{})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			ae := mustAPIError(t, err)
			if ae.Kind != KindTooLarge || ae.Retryable {
				t.Errorf("APIError %+v", ae)
			}
			assertContains(t, err.Error(), tt.wantErr, `fetching the summary of run "r"`)
			if n := len(h.list()); n != 1 || ae.Retryable || IsRetryable(err) {
				t.Errorf("%d requests, retryable %v; want 1 (not retried)", n, ae.Retryable)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		v      string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"1", time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"99999999999999999999999", time.Duration(1<<63 - 1), true},
		{"Fri, 01 May 2026 12:00:30 GMT", 30 * time.Second, true}, // IMF-fixdate
		{"Friday, 01-May-26 12:01:00 GMT", time.Minute, true},     // RFC 850
		{"Fri May  1 12:00:05 2026", 5 * time.Second, true},       // ANSI C asctime
		{"Fri, 01 May 2026 11:59:00 GMT", 0, true},                // in the past: no wait
		{"Fri, 01 May 2026 12:00:30 +0200", 0, false},             // not an HTTP-date
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.v, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("parseRetryAfter(%q) = (%v, %v), want (%v, %v)", tt.v, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestExcerpt(t *testing.T) {
	tests := []struct{ body, ct, want string }{
		{"  plain\n\ttext  ", "text/plain", "plain text"},
		{"<pre>Cannot GET /x</pre>", "", "Cannot GET /x"},
		{"<!-- c --><b>a</b>b &lt;tag&gt;", "text/html", "a b <tag>"},
		{"<html><script>x()</script><STYLE>p{}</STYLE>ok", "text/html", "ok"},
		{"<html><head><title>T</title></head><body><header>H</header>B</body></html>", "text/html", "H B"},
		{"<html><head><title>Only a title</title></head><body></body></html>", "text/html", "Only a title"},
		{"a < b", "text/plain", "a < b"},
		{"bad \xff utf8", "text/plain", "bad \uFFFD utf8"},
		{strings.Repeat("é", 300), "text/plain", strings.Repeat("é", excerptLen) + "… (100 more characters)"},
	}
	for _, tt := range tests {
		if got := excerpt([]byte(tt.body), tt.ct); got != tt.want {
			t.Errorf("excerpt(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	c := &Client{waitMin: 10 * time.Millisecond, waitMax: 300 * time.Millisecond}
	for n := 1; n <= 70; n++ {
		ceiling := min(c.waitMax, c.waitMin<<min(n-1, 30))
		for range 50 {
			d := c.backoff(n)
			if d < c.waitMin || d > ceiling || d < ceiling/2 {
				t.Fatalf("backoff(%d) = %v, want in [%v, %v]", n, d, max(c.waitMin, ceiling/2), ceiling)
			}
		}
	}
}

func TestErrorKindAndSummary(t *testing.T) {
	for k := KindHTTPStatus; k <= KindWrongRun; k++ {
		if (&APIError{Kind: k}).Summary() == "" {
			t.Errorf("kind %v has no summary", k)
		}
	}
	if IsNotFound(errors.New("x")) || IsNotFound(nil) || IsRetryable(context.Canceled) {
		t.Error("non-API errors classified")
	}
}
