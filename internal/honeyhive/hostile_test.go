package honeyhive

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// A server that answers 200 with something not to believe: a list that never
// ends, another run's body, megabytes of text meant for a message.

func localServer(t *testing.T) (*localhoneyhive.Server, string) {
	srv := localhoneyhive.New(localhoneyhive.WithAPIKey(testKey))
	return srv, newServer(t, srv.ServeHTTP).URL
}

// Every endless list ends within the request budget, says why, and leaves the
// total unknown; the server saw exactly the requests the listing reports.
func TestFindRunsEndlessLists(t *testing.T) {
	for _, tc := range []struct {
		name         string
		fault        localhoneyhive.Fault
		limits       ListLimits
		metadata     models.MetadataFilter
		wantCut      ListCutoff
		wantPages    int
		wantRequests int
	}{
		{"the same run on every page", localhoneyhive.EndlessListSameRun(), ListLimits{MaxResults: 20}, nil, ListStalled, 2, 2},
		{"page 1 again and again", localhoneyhive.EndlessListSamePage(), ListLimits{MaxResults: 1000}, nil, ListStalled, 2, 2},
		{"the same run, metadata scan of 10,000", localhoneyhive.EndlessListSameRun(), ListLimits{MaxResults: 5, ScanLimit: 10000},
			models.MetadataFilter{"branch": "nowhere"}, ListStalled, 2, 2},
		// Pages of one new run, reporting a limit of 1: only the budget ends it.
		{"a new run on every page", localhoneyhive.EndlessListFreshRuns(), ListLimits{MaxResults: 1000}, nil,
			ListRequestBudget, MaxListRequests, MaxListRequests},
		{"a new run on every page, metadata scan of 10,000", localhoneyhive.EndlessListFreshRuns(),
			ListLimits{MaxResults: 5, ScanLimit: 10000}, models.MetadataFilter{"branch": "nowhere"},
			ListRequestBudget, MaxListRequests, MaxListRequests},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, u := localServer(t)
			srv.InjectListFaults(localhoneyhive.Repeat(tc.fault, 2*MaxListRequests)...)
			start := time.Now()
			l, err := newTestClient(t, u).FindRuns(context.Background(), ListRunsQuery{Metadata: tc.metadata}, tc.limits)
			if err != nil {
				t.Fatal(err)
			}
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("took %v", took)
			}
			if l.CutShort != tc.wantCut || l.Pages != tc.wantPages || l.Requests != tc.wantRequests {
				t.Errorf("cut %v after %d pages, %d requests; want %v, %d, %d", l.CutShort, l.Pages, l.Requests,
					tc.wantCut, tc.wantPages, tc.wantRequests)
			}
			if got := srv.ListRequests(); got != l.Requests {
				t.Errorf("the server saw %d list requests, the listing reports %d", got, l.Requests)
			}
			if l.Total != TotalUnknown {
				t.Errorf("total %d for a list cut short, want unknown", l.Total)
			}
			if len(l.Runs) == 0 && tc.metadata == nil {
				t.Error("the runs read were dropped")
			}
			if r := l.CutShort.Reason(l.Pages); !strings.Contains(r, fmt.Sprint(tc.wantPages)) && tc.wantCut == ListStalled {
				t.Errorf("reason %q does not name the page", r)
			}
		})
	}
}

// freshPages serves page N as one new run "p-N", announcing a next page and
// the limit asked for; every odd request is a 503 first when flaky.
type freshPages struct {
	mu       sync.Mutex
	requests int
	flaky    bool
	// failFrom, when above 0, answers 503 from that request on.
	failFrom int
	// limitOne reports a limit of 1, whatever was asked: pages of one run
	// are then all there is to it, and no page cap applies.
	limitOne bool
}

func (f *freshPages) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests++
	n := f.requests
	f.mu.Unlock()
	if (f.flaky && n%2 == 1) || (f.failFrom > 0 && n >= f.failFrom) {
		writeJSON(w, 503, apiErrorJSON(503, "Service Unavailable", ""))
		return
	}
	page, limit := r.URL.Query().Get("page"), r.URL.Query().Get("limit")
	if f.limitOne {
		limit = "1"
	}
	writeJSON(w, 200, fmt.Sprintf(`{"evaluations":[{"run_id":"p-%s"}],"pagination":{"page":%s,"limit":%s,"has_next":true}}`, page, page, limit))
}

func (f *freshPages) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

func TestFindRunsCutOff(t *testing.T) {
	t.Run("page cap: more pages announced than the limits need", func(t *testing.T) {
		f := &freshPages{}
		l, err := newTestClient(t, newServer(t, f.serve).URL).FindRuns(context.Background(), ListRunsQuery{}, ListLimits{MaxResults: 150})
		if err != nil {
			t.Fatal(err)
		}
		// Pages of 100 asked, one run each: 2 pages needed, 1 more allowed.
		if l.CutShort != ListPageCap || l.Pages != 3 || l.Requests != 3 || f.count() != 3 || l.Total != TotalUnknown {
			t.Errorf("cut %v after %d pages, %d requests (server: %d), total %d", l.CutShort, l.Pages, l.Requests, f.count(), l.Total)
		}
	})
	t.Run("budget counts retries", func(t *testing.T) {
		f := &freshPages{flaky: true, limitOne: true}
		l, err := newTestClient(t, newServer(t, f.serve).URL).FindRuns(context.Background(),
			ListRunsQuery{Metadata: models.MetadataFilter{"a": "b"}}, ListLimits{MaxResults: 5, ScanLimit: 10000})
		if err != nil {
			t.Fatal(err)
		}
		if l.CutShort != ListRequestBudget || l.Requests != MaxListRequests || f.count() != MaxListRequests || l.Pages != MaxListRequests/2 {
			t.Errorf("cut %v after %d pages, %d requests (server: %d)", l.CutShort, l.Pages, l.Requests, f.count())
		}
	})
	t.Run("retries stop at the budget", func(t *testing.T) {
		f := &freshPages{failFrom: MaxListRequests - 1, limitOne: true}
		_, err := newTestClient(t, newServer(t, f.serve).URL).FindRuns(context.Background(),
			ListRunsQuery{Metadata: models.MetadataFilter{"a": "b"}}, ListLimits{MaxResults: 5, ScanLimit: 10000})
		if f.count() != MaxListRequests {
			t.Errorf("the server saw %d requests, want the budget, %d", f.count(), MaxListRequests)
		}
		ae := mustAPIError(t, err)
		if ae.StatusCode != 503 {
			t.Errorf("status %d", ae.StatusCode)
		}
		assertContains(t, err.Error(), "HTTP 503", "stopped retrying page 199 at its budget of 200 requests per read", "198 pages read")
	})
}

// A body about another run than the one asked for is an error naming both;
// a body that names no run (older deployments), or names the run by its id,
// is accepted.
func TestWrongRun(t *testing.T) {
	base, cand := localhoneyhive.FixtureBaseline, localhoneyhive.FixtureCandidate
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		fault localhoneyhive.Fault
		call  func(c *Client) error
		want  []string
	}{
		{"summary", localhoneyhive.AnswerForRun(cand),
			func(c *Client) error {
				_, err := c.GetRunSummary(ctx, base, "", models.SummaryDecodeOptions{})
				return err
			},
			[]string{"GET /v1/runs/run-baseline/summary", `asked for run "run-baseline", the body is run "run-candidate" (its run_object.run_id)`}},
		{"run object", localhoneyhive.AnswerForRun(cand),
			func(c *Client) error { _, err := c.GetRun(ctx, base); return err },
			[]string{`asked for run "run-baseline", the body is run "run-candidate" (its evaluation.run_id)`}},
		{"waiting reads the run object first", localhoneyhive.AnswerForRun(cand),
			func(c *Client) error {
				_, err := c.WaitForRunSummary(ctx, base, "", WaitOptions{PollMin: time.Millisecond, PollMax: time.Millisecond}, models.SummaryDecodeOptions{})
				return err
			},
			[]string{`asked for run "run-baseline", the body is run "run-candidate"`}},
		{"comparison, new run", localhoneyhive.AnswerForRun(localhoneyhive.FixtureFailed),
			func(c *Client) error {
				_, err := c.CompareRuns(ctx, base, cand, "", models.ComparisonDecodeOptions{})
				return err
			},
			[]string{`asked for new run "run-baseline", the body's new run is "run-failed" (its new_run.run_id)`}},
		{"comparison, old run", localhoneyhive.AnswerForOldRun(localhoneyhive.FixtureFailed),
			func(c *Client) error {
				_, err := c.CompareRuns(ctx, base, cand, "", models.ComparisonDecodeOptions{})
				return err
			},
			[]string{`asked for old run "run-candidate", the body's old run is "run-failed" (its old_run.run_id)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, u := localServer(t)
			srv.InjectFaults(base, tc.fault)
			err := tc.call(newTestClient(t, u))
			ae := mustAPIError(t, err)
			if ae.Kind != KindWrongRun || IsRetryable(err) || ae.Summary() != "HoneyHive answered with another run's data" {
				t.Errorf("kind %v, retryable %v: %v", ae.Kind, IsRetryable(err), err)
			}
			assertContains(t, err.Error(), append(tc.want, "HTTP 200", "it was not used")...)
			// Without the fault, the same call succeeds.
			if err := tc.call(newTestClient(t, u)); err != nil {
				t.Errorf("without the fault: %v", err)
			}
		})
	}

	t.Run("bodies that name no run, or the run by its id", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/v1/runs/legacy":
				writeJSON(w, 200, `{"evaluation":{"name":"old deployment","status":"completed"}}`)
			case "/v1/runs/legacy/summary":
				writeJSON(w, 200, `{"status":"completed","passed":[],"failed":[],"metrics":{},"run_object":{"name":"x"}}`)
			case "/v1/runs/obj-1":
				writeJSON(w, 200, `{"evaluation":{"id":"obj-1","run_id":"3c9e-run","status":"completed"}}`)
			case "/v1/runs/legacy/compare/obj-1":
				writeJSON(w, 200, `{"commonDatapoints":[],"metrics":[],"new_run":{"status":"completed"},"old_run":{"id":"obj-1","run_id":"3c9e-run"}}`)
			default:
				http.NotFound(w, r)
			}
		})
		c := newTestClient(t, srv.URL)
		if _, err := c.GetRun(ctx, "legacy"); err != nil {
			t.Error(err)
		}
		if _, err := c.GetRunSummary(ctx, "legacy", "", models.SummaryDecodeOptions{}); err != nil {
			t.Error(err)
		}
		if _, err := c.GetRun(ctx, "obj-1"); err != nil {
			t.Error(err)
		}
		if _, err := c.CompareRuns(ctx, "legacy", "obj-1", "", models.ComparisonDecodeOptions{}); err != nil {
			t.Error(err)
		}
	})

	t.Run("every fixture's own bodies", func(t *testing.T) {
		_, u := localServer(t)
		c := newTestClient(t, u)
		for _, id := range localhoneyhive.FixtureRunIDs() {
			if _, err := c.GetRunSummary(ctx, id, "", models.SummaryDecodeOptions{}); err != nil && !IsNotFound(err) {
				if ae, ok := AsAPIError(err); ok && ae.Kind == KindWrongRun {
					t.Errorf("%s: %v", id, err)
				}
			}
			if _, err := c.GetRun(ctx, id); err != nil {
				t.Errorf("%s: %v", id, err)
			}
		}
	})
}

// Server text copied into an error is cut, saying how much was left out.
func TestServerTextIsClipped(t *testing.T) {
	huge := strings.Repeat("é", 1<<20)
	got := ServerText(huge)
	want := strings.Repeat("é", ServerTextLimit) + "… (1,048,276 more characters)"
	if got != want {
		t.Errorf("ServerText of 1 MiB = %.40q… (%d bytes)", got, len(got))
	}
	if ServerText(" short ") != " short " {
		t.Error("short text changed")
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1048576: "1,048,576", 1234567890: "1,234,567,890"} {
		if got := groupDigits(n); got != want {
			t.Errorf("groupDigits(%d) = %q, want %q", n, got, want)
		}
	}
	if got := clip("abcdef", 5); got != "abcde… (1 more character)" {
		t.Errorf("clip = %q", got)
	}

	// The server's message, an HTML page's excerpt, and a decoding error
	// quoting a value of the body.
	msg := strings.Repeat("m", 100_000)
	for name, h := range map[string]http.HandlerFunc{
		"message": func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 500, apiErrorJSON(500, msg, "")) },
		"excerpt": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(502)
			fmt.Fprint(w, msg)
		},
		"decoding error": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"commonDatapoints":[],"metrics":[{"metric_name":"m","found_count":"`+msg+`"}]}`)
		},
	} {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t, newServer(t, h).URL, func(c *Config) { c.MaxRetries = 0 })
			_, err := c.CompareRuns(ctx(), "n", "o", "", models.ComparisonDecodeOptions{})
			if err == nil {
				t.Fatal("no error")
			}
			if n := len(err.Error()); n > 2000 {
				t.Errorf("error of %d bytes: %.300s", n, err)
			}
			assertContains(t, err.Error(), "more characters)")
		})
	}
}

func ctx() context.Context { return context.Background() }

// RedactURL hides user information and queries, also in text that does not
// parse, and leaves plain URLs alone.
func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://api.dp1.us.honeyhive.ai":     "https://api.dp1.us.honeyhive.ai",
		"http://127.0.0.1:8080/prefix":        "http://127.0.0.1:8080/prefix",
		"https://user:secret@host":            "https://[redacted]@host",
		"https://user@host/x":                 "https://[redacted]@host/x",
		"https://user:pa?ss@host":             "https://[redacted]@host",
		"https://user:p@ss/w#rd@host:99/v1":   "https://[redacted]@host:99/v1",
		"https://host/v1?token=secret&x=1":    "https://host/v1?[redacted]",
		"https://host#frag-secret":            "https://host#[redacted]",
		"https://host?":                       "https://host?",
		"user:secret@host":                    "[redacted]@host",
		"ftp://user:secret@host?key=secret":   "ftp://[redacted]@host?[redacted]",
		"https://us er:sec ret@ho st/%zz?q=s": "https://[redacted]@ho st/%zz?[redacted]",
		"":                                    "",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
		if got := RedactURL(RedactURL(in)); got != RedactURL(in) {
			t.Errorf("RedactURL is not idempotent on %q: %q", in, got)
		}
	}
}

// Every message that shows server_url shows it redacted: configuration
// errors, whatever is wrong with the value, and the redirect policy's.
func TestServerURLCredentialsNeverShown(t *testing.T) {
	const secret = "s3cr3tPassw0rd"
	for _, raw := range []string{
		"https://alice:" + secret + "@api.example.test",
		"https://" + secret + "@api.example.test",
		"https://alice:" + secret + "@api.example.test/v1?x=1",
		"ftp://alice:" + secret + "@api.example.test",
		"https://alice:" + secret + "@",
		"https://alice:" + secret[:5] + "?" + secret[5:] + "@api.example.test", // does not parse; the port reads "s3cr3"
		"https://alice:" + secret + "@api.example.test:bad",
		"https://api.example.test/?token=" + secret,
		"https://api.example.test/#" + secret,
		"https://alice:" + secret + "@ho st",
	} {
		_, _, err := ResolveServerURL("", testNames, func(k string) string {
			if k == EnvAPIURL {
				return raw
			}
			return ""
		})
		if err == nil {
			t.Errorf("%q accepted", raw)
			continue
		}
		for _, part := range []string{secret, secret[:5], secret[5:], "alice"} {
			if strings.Contains(err.Error(), part) {
				t.Errorf("the error for %q shows %q: %v", raw, part, err)
			}
		}
		assertContains(t, err.Error(), "server_url", "(from HH_API_URL)")
		if _, err := NewClient(Config{Names: testNames, ServerURL: raw, APIKey: testKey}); err == nil || strings.Contains(err.Error(), secret[:5]) {
			t.Errorf("NewClient(%q): %v", raw, err)
		}
	}

	// A redirect from https to http, to a URL with credentials in its query
	// (a presigned URL): the refusal does not show them.
	check := newHTTPClient().CheckRedirect
	via, _ := http.NewRequest(http.MethodGet, "https://api.example.test/v1/runs/r/summary", nil)
	next, _ := http.NewRequest(http.MethodGet, "http://alice:"+secret+"@cdn.example.test/r?X-Signature="+secret, nil)
	err := check(next, []*http.Request{via})
	if err == nil || !errors.Is(err, errRedirectPolicy) || strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "alice") {
		t.Errorf("redirect refusal: %v", err)
	}
}

// The request log and the errors show the server URL through RedactURL, even
// for a client whose URL skipped validation (which refuses user information):
// every request URL, retry and route fallback in the debug log, and each kind
// of error text.
func TestLogAndErrorsRedactServerURL(t *testing.T) {
	const secret = "s3cr3tPassw0rd"
	srv, u := localServer(t)
	srv.InjectFaults(localhoneyhive.FixtureBaseline, localhoneyhive.ServerError(503), localhoneyhive.PlainNotFound())
	log := &captureLogger{}
	c := newTestClient(t, u, func(cfg *Config) { cfg.Logger = log; cfg.MaxRetries = 1 })
	c.cfg.ServerURL = strings.Replace(u, "http://", "http://alice:"+secret+"@", 1)
	t.Cleanup(func() { forgetRoutes(c.cfg.ServerURL) })
	var texts []string
	for _, call := range []func() error{
		func() error {
			_, err := c.GetRunSummary(ctx(), localhoneyhive.FixtureBaseline, "", models.SummaryDecodeOptions{})
			return err
		}, // 503, then the alias after a 404
		func() error {
			_, err := c.GetRunSummary(ctx(), "run-nope", "", models.SummaryDecodeOptions{})
			return err
		}, // JSON 404
		func() error {
			_, err := c.FindRuns(ctx(), ListRunsQuery{Status: "bogus"}, ListLimits{MaxResults: 1})
			return err
		}, // 400
	} {
		if err := call(); err != nil {
			texts = append(texts, err.Error())
		}
	}
	if len(texts) != 2 {
		t.Fatalf("want 2 errors, got %q", texts)
	}
	entries := log.all()
	if len(entries) < 5 {
		t.Fatalf("only %d log entries", len(entries))
	}
	for _, e := range entries {
		texts = append(texts, fmt.Sprint(e.msg, e.fields))
	}
	for _, text := range texts {
		if strings.Contains(text, secret) || strings.Contains(text, "alice") {
			t.Errorf("shows the credentials: %s", text)
		}
	}
	assertContains(t, strings.Join(texts, "\n"), "http://[redacted]@127.0.0.1:")
}
