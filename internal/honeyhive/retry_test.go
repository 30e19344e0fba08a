package honeyhive

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// promptly is how soon a cancelled call must return: about 100 ms, with some
// slack for a loaded machine running the race detector.
const promptly = 150 * time.Millisecond

// failOnce answers the first request with fail and the later ones with the summary.
func failOnce(h *hits, fail http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.add(r) == 1 {
			fail(w, r)
			return
		}
		writeJSON(w, 200, summaryJSON)
	}
}

func hijackClose(reset bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		if tcp, ok := conn.(*net.TCPConn); ok && reset {
			_ = tcp.SetLinger(0) // close with RST
		}
		conn.Close()
	}
}

func TestRetriesThatSucceed(t *testing.T) {
	tests := []struct {
		name    string
		fail    http.HandlerFunc
		timeout time.Duration
	}{
		{name: "503", fail: func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 503, apiErrorJSON(503, "unavailable", "")) }},
		{name: "500 plain", fail: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", 500) }},
		{name: "502 HTML", fail: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			fmt.Fprint(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
		}},
		{name: "504", fail: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(504) }},
		{name: "408", fail: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(408) }},
		{name: "429 without Retry-After", fail: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(429) }},
		{name: "429 with Retry-After 0", fail: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(429)
		}},
		{name: "connection closed", fail: hijackClose(false)},
		{name: "connection reset", fail: hijackClose(true)},
		{name: "body cut short", fail: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "5000")
			w.WriteHeader(200)
			fmt.Fprint(w, `{"status":`)
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}},
		{name: "timeout before headers", timeout: 150 * time.Millisecond, fail: func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(3 * time.Second):
			}
		}},
		{name: "timeout while reading the body", timeout: 150 * time.Millisecond, fail: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(200)
			fmt.Fprint(w, `{"status":"completed",`)
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(3 * time.Second):
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &hits{}
			srv := newServer(t, failOnce(h, tt.fail))
			c := newTestClient(t, srv.URL, func(c *Config) {
				if tt.timeout > 0 {
					c.RequestTimeout = tt.timeout
				}
			})
			s, err := c.GetRunSummary(context.Background(), "r", "", models.SummaryDecodeOptions{})
			if err != nil {
				t.Fatalf("want success after a retry: %v", err)
			}
			if s.Status != "completed" {
				t.Errorf("summary %+v", s)
			}
			if n := len(h.list()); n != 2 {
				t.Errorf("%d requests, want 2", n)
			}
		})
	}
}

func TestRetriesGiveUp(t *testing.T) {
	t.Run("503", func(t *testing.T) {
		h := &hits{}
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			h.add(r)
			writeJSON(w, 503, apiErrorJSON(503, "Service temporarily unavailable", ""))
		})
		_, err := newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = 2 }).CompareRuns(context.Background(), "n", "o", "p99", models.ComparisonDecodeOptions{})
		ae := mustAPIError(t, err)
		if ae.Attempts != 3 || !ae.Retryable || !IsRetryable(err) || ae.Elapsed <= 0 {
			t.Errorf("APIError %+v", ae)
		}
		assertContains(t, err.Error(),
			`fetching the comparison of run "n" with run "o" from HoneyHive server http://`,
			"failed: HTTP 503 Service Unavailable from GET /v1/runs/n/compare/o?aggregate_function=p99",
			`(server said "Service temporarily unavailable")`, "; gave up after 3 attempts over ")
		if n := len(h.list()); n != 3 {
			t.Errorf("%d requests, want 3", n)
		}
	})
}

func TestRetryAfterTooLong(t *testing.T) {
	tests := []struct {
		name, value, want string
	}{
		{"seconds", "600", "asked to retry after 10m0s, longer than this client waits (2m0s)"},
		{"HTTP-date", time.Now().Add(90 * time.Minute).UTC().Format(http.TimeFormat), "asked to retry after 1h"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &hits{}
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				h.add(r)
				w.Header().Set("Retry-After", tt.value)
				writeJSON(w, 429, apiErrorJSON(429, "Rate limit exceeded", ""))
			})
			start := time.Now()
			_, err := newTestClient(t, srv.URL).GetRunSummary(context.Background(), "r", "", models.SummaryDecodeOptions{})
			ae := mustAPIError(t, err)
			if ae.Kind != KindRetryAfterTooLong || !IsRetryable(err) {
				t.Errorf("APIError %+v", ae)
			}
			assertContains(t, err.Error(), "HTTP 429 Too Many Requests from GET /v1/runs/r/summary", `server said "Rate limit exceeded"`, tt.want, "try again later")
			if time.Since(start) > time.Second || len(h.list()) != 1 {
				t.Errorf("should give up at once: %v, %d requests", time.Since(start), len(h.list()))
			}
		})
	}
}

func TestContextCancellation(t *testing.T) {
	// Cancelling during a backoff or a request in flight: TestFaultMatrix.
	t.Run("already cancelled", func(t *testing.T) {
		h := &hits{}
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { h.add(r) })
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := newTestClient(t, srv.URL).GetRunSummary(ctx, "r", "", models.SummaryDecodeOptions{})
		if !errors.Is(err, context.Canceled) || len(h.list()) != 0 {
			t.Errorf("err %v, %d requests", err, len(h.list()))
		}
	})

	t.Run("deadline shorter than the next wait", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "5")
			writeJSON(w, 503, apiErrorJSON(503, "maintenance", ""))
		})
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		start := time.Now()
		_, err := newTestClient(t, srv.URL).GetRunSummary(ctx, "r", "", models.SummaryDecodeOptions{})
		if time.Since(start) > 500*time.Millisecond {
			t.Errorf("waited %v for a retry that could not happen", time.Since(start))
		}
		ae := mustAPIError(t, err)
		if ae.RetryAfter != 5*time.Second {
			t.Errorf("RetryAfter %v", ae.RetryAfter)
		}
		// The wait is Retry-After plus up to one minimum wait of jitter.
		assertContains(t, err.Error(), "HTTP 503 Service Unavailable", `server said "maintenance"`,
			"gave up after 1 attempt over", "because the next retry (in 5", "would start after the operation's deadline")
	})

	t.Run("deadline expires in flight", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(3 * time.Second):
			}
		})
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := newTestClient(t, srv.URL).GetRunSummary(ctx, "r", "", models.SummaryDecodeOptions{})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("want context.DeadlineExceeded, got %v", err)
		}
		if strings.Contains(err.Error(), "per-attempt") {
			t.Errorf("caller's deadline reported as the per-attempt timeout: %v", err)
		}
	})
}

func TestKeyNeverInErrors(t *testing.T) {
	// Servers echoing the key in every way they could.
	handlers := []http.HandlerFunc{
		func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 401, apiErrorJSON(401, r.Header.Get("Authorization"), testKey))
		},
		func(w http.ResponseWriter, r *http.Request) { http.Error(w, "bad key "+testKey, http.StatusForbidden) },
		func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "<h1>"+r.Header.Get("Authorization")+"</h1>", 404)
		},
		func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 400, apiErrorJSON(400, "unknown key "+testKey, ""))
		},
		func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"status": "`+testKey) },
		func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 500, `{"detail":"`+testKey+`"}`) },
	}
	for i, h := range handlers {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			srv := newServer(t, h)
			c := newTestClient(t, srv.URL, func(c *Config) { c.MaxRetries = 1 })
			_, err := c.GetRunSummary(context.Background(), "r", "", models.SummaryDecodeOptions{})
			ae := mustAPIError(t, err) // asserts the key is absent from Error()
			assertNoKey(t, "fields", fmt.Sprintf("%+v", *ae))
			_, err = c.CompareRuns(context.Background(), "n", "o", "", models.ComparisonDecodeOptions{})
			ae = mustAPIError(t, err)
			assertNoKey(t, "comparison fields", fmt.Sprintf("%+v", *ae))
		})
	}
}
