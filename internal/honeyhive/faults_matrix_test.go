package honeyhive

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// faultEnv is what a TestFaultMatrix row sets up: the call under test, the
// server-side request count (for outcomes that are not an *APIError) and the
// checks on the outcome.
type faultEnv struct {
	do    func(ctx context.Context) error
	hits  func() int
	check func(t *testing.T, err error, elapsed time.Duration)
	// cancelAfter, when set, cancels the call's context after that long; the
	// row's bound then applies to the time from the cancel to the return.
	cancelAfter time.Duration
}

type faultRow struct {
	fault string
	// bound is the longest the outcome may take (from the call, or from the
	// cancel for cancellation rows), on a loaded 2-core machine with -race.
	bound   time.Duration
	arrange func(t *testing.T) faultEnv
	// idle rows spend their time waiting for a Retry-After: they run beside
	// the others, which run one at a time, as their bounds assume.
	idle bool
}

// matrixClient is a client with realistic settings scaled down for a test:
// 3 retries (the provider's default is 4), 20–100 ms backoff, a 2 s
// per-attempt timeout, the package's own HTTP client (system trust store,
// its redirect policy).
func matrixClient(t *testing.T, serverURL string, opts ...func(*Config)) *Client {
	c := newTestClient(t, serverURL, append([]func(*Config){func(c *Config) {
		c.RequestTimeout = 2 * time.Second
		c.MaxRetries = 3
	}}, opts...)...)
	c.waitMin, c.waitMax = 20*time.Millisecond, 100*time.Millisecond
	return c
}

// localFaultServer serves the local HoneyHive server (accepting testKey) with
// faults queued for the baseline fixture run.
func localFaultServer(t *testing.T, faults ...localhoneyhive.Fault) (*localhoneyhive.Server, string) {
	srv := localhoneyhive.New(localhoneyhive.WithAPIKey(testKey))
	srv.InjectFaults(localhoneyhive.FixtureBaseline, faults...)
	return srv, newServer(t, srv.ServeHTTP).URL
}

func repeatFault(f localhoneyhive.Fault, n int) []localhoneyhive.Fault {
	out := make([]localhoneyhive.Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}

// summaryCall reads the baseline fixture's summary.
func summaryCall(c *Client, runID string) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		_, err := c.GetRunSummary(ctx, runID, "", models.SummaryDecodeOptions{})
		return err
	}
}

func wantSuccess(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("want success, got %v", err)
	}
}

// wantAPIError checks the error's kind, attempts and text.
func wantAPIError(kind ErrorKind, attempts int, parts ...string) func(t *testing.T, err error, _ time.Duration) {
	return func(t *testing.T, err error, _ time.Duration) {
		t.Helper()
		ae := mustAPIError(t, err)
		if ae.Kind != kind {
			t.Errorf("kind %v, want %v: %v", ae.Kind, kind, err)
		}
		if attempts > 0 && ae.Attempts != attempts {
			t.Errorf("%d attempts, want %d: %v", ae.Attempts, attempts, err)
		}
		assertContains(t, err.Error(), parts...)
	}
}

// silentListener accepts connections and never reads or answers.
func silentListener(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

// resetMidBody sends the headers and a third of a summary, then resets the
// connection.
func resetMidBody(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(len(summaryJSON)))
	w.WriteHeader(200)
	fmt.Fprint(w, summaryJSON[:len(summaryJSON)/3])
	w.(http.Flusher).Flush()
	hijackClose(true)(w, r)
}

func faultRows() []faultRow {
	return []faultRow{
		{
			fault: "connection refused (nothing listens)", bound: 2 * time.Second,
			arrange: func(t *testing.T) faultEnv {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				addr := ln.Addr().String()
				ln.Close()
				return faultEnv{
					do: summaryCall(matrixClient(t, "http://"+addr), "r"),
					check: func(t *testing.T, err error, elapsed time.Duration) {
						wantAPIError(KindTransport, 4, `fetching the summary of run "r" from HoneyHive server http://`+addr+
							" failed: GET /v1/runs/r/summary: dial tcp", "connection refused", "; gave up after 4 attempts over ")(t, err, elapsed)
						var opErr *net.OpError
						if ae := mustAPIError(t, err); ae.StatusCode != 0 || !errors.As(err, &opErr) {
							t.Errorf("status %d, transport error in the chain: %v", ae.StatusCode, errors.As(err, &opErr))
						}
					},
				}
			},
		},
		{
			fault: "connection reset before the response, every attempt", bound: 2 * time.Second,
			arrange: func(t *testing.T) faultEnv {
				h := &hits{}
				srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { h.add(r); hijackClose(true)(w, r) })
				return faultEnv{
					do: summaryCall(matrixClient(t, srv.URL), "r"), hits: func() int { return len(h.list()) },
					check: wantAPIError(KindTransport, 4, "connection reset by peer", "gave up after 4 attempts over "),
				}
			},
		},
		{
			fault: "connection reset before the response, once", bound: 2 * time.Second,
			arrange: func(t *testing.T) faultEnv {
				h := &hits{}
				srv := newServer(t, failOnce(h, hijackClose(true)))
				return faultEnv{do: summaryCall(matrixClient(t, srv.URL), "r"), hits: func() int { return len(h.list()) },
					check: func(t *testing.T, err error, _ time.Duration) { wantSuccess(t, err) }}
			},
		},
		{
			fault: "connection reset in the middle of the body, every attempt", bound: 2 * time.Second,
			arrange: func(t *testing.T) faultEnv {
				srv := newServer(t, resetMidBody)
				return faultEnv{
					do:    summaryCall(matrixClient(t, srv.URL), "r"),
					check: wantAPIError(KindTransport, 4, "reading the body of the HTTP 200 response", "gave up after 4 attempts over "),
				}
			},
		},
		{
			fault: "connection reset in the middle of the body, once", bound: 2 * time.Second,
			arrange: func(t *testing.T) faultEnv {
				h := &hits{}
				srv := newServer(t, failOnce(h, resetMidBody))
				return faultEnv{do: summaryCall(matrixClient(t, srv.URL), "r"), hits: func() int { return len(h.list()) },
					check: func(t *testing.T, err error, _ time.Duration) { wantSuccess(t, err) }}
			},
		},
		{
			// 2 attempts of 300 ms plus one backoff.
			fault: "server accepts and never answers (request_timeout 300ms, 1 retry)", bound: 2 * time.Second,
			arrange: func(t *testing.T) faultEnv {
				c := matrixClient(t, silentListener(t), func(c *Config) { c.RequestTimeout = 300 * time.Millisecond; c.MaxRetries = 1 })
				return faultEnv{
					do: summaryCall(c, "r"),
					check: func(t *testing.T, err error, elapsed time.Duration) {
						wantAPIError(KindTransport, 2, "GET /v1/runs/r/summary: no response within the per-attempt request timeout of 300ms",
							"gave up after 2 attempts over ")(t, err, elapsed)
						if !mustAPIError(t, err).Timeout {
							t.Error("the error does not say the attempt timed out")
						}
						if elapsed < 600*time.Millisecond {
							t.Errorf("gave up after %v, before two timeouts of 300ms", elapsed)
						}
					},
				}
			},
		},
		{
			fault: "body trickles 1 byte/50ms (request_timeout 300ms, 1 retry)", bound: 2 * time.Second,
			arrange: func(t *testing.T) faultEnv {
				srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					w.Header().Set("Content-Length", fmt.Sprint(len(summaryJSON)))
					w.WriteHeader(200)
					for i := 0; i < len(summaryJSON); i++ {
						if _, err := io.WriteString(w, summaryJSON[i:i+1]); err != nil {
							return
						}
						w.(http.Flusher).Flush()
						select {
						case <-r.Context().Done():
							return
						case <-time.After(50 * time.Millisecond):
						}
					}
				})
				c := matrixClient(t, srv.URL, func(c *Config) { c.RequestTimeout = 300 * time.Millisecond; c.MaxRetries = 1 })
				return faultEnv{
					do: summaryCall(c, "r"),
					check: wantAPIError(KindTransport, 2, "HTTP 200 OK, but the body did not arrive within the per-attempt request timeout of 300ms",
						"gave up after 2 attempts over "),
				}
			},
		},
		{
			fault: "5xx storm: local server answers 503 every time", bound: 2 * time.Second,
			arrange: func(t *testing.T) faultEnv {
				srv, u := localFaultServer(t, repeatFault(localhoneyhive.ServerError(503), 50)...)
				return faultEnv{
					do: summaryCall(matrixClient(t, u), localhoneyhive.FixtureBaseline), hits: func() int { return srv.Requests(localhoneyhive.FixtureBaseline) },
					check: wantAPIError(KindHTTPStatus, 4, "HTTP 503 Service Unavailable", `server said "Service Unavailable"`, "gave up after 4 attempts over "),
				}
			},
		},
		{
			fault: "5xx storm: load balancer's HTML 502 every time", bound: 2 * time.Second,
			arrange: func(t *testing.T) faultEnv {
				srv, u := localFaultServer(t, repeatFault(localhoneyhive.HTML502(), 50)...)
				return faultEnv{
					do: summaryCall(matrixClient(t, u), localhoneyhive.FixtureBaseline), hits: func() int { return srv.Requests(localhoneyhive.FixtureBaseline) },
					check: wantAPIError(KindHTTPStatus, 4, "HTTP 502 Bad Gateway", "text/html body", "gave up after 4 attempts over "),
				}
			},
		},
		{
			// 3 attempts, 2 waits of the 1 s the server asks for.
			fault: "429 storm with Retry-After: 1 (2 retries)", bound: 4 * time.Second, idle: true,
			arrange: func(t *testing.T) faultEnv {
				srv, u := localFaultServer(t, repeatFault(localhoneyhive.RateLimited("1"), 50)...)
				return faultEnv{
					do:   summaryCall(matrixClient(t, u, func(c *Config) { c.MaxRetries = 2 }), localhoneyhive.FixtureBaseline),
					hits: func() int { return srv.Requests(localhoneyhive.FixtureBaseline) },
					check: func(t *testing.T, err error, elapsed time.Duration) {
						wantAPIError(KindHTTPStatus, 3, "HTTP 429 Too Many Requests", "RATE_LIMITED", "gave up after 3 attempts over 2.")(t, err, elapsed)
						if elapsed < 1900*time.Millisecond {
							t.Errorf("gave up after %v, before waiting the 2 × 1 s asked for", elapsed)
						}
					},
				}
			},
		},
		{
			fault: "429 storm without Retry-After", bound: 2 * time.Second,
			arrange: func(t *testing.T) faultEnv {
				srv, u := localFaultServer(t, repeatFault(localhoneyhive.RateLimited(""), 50)...)
				return faultEnv{
					do: summaryCall(matrixClient(t, u), localhoneyhive.FixtureBaseline), hits: func() int { return srv.Requests(localhoneyhive.FixtureBaseline) },
					check: wantAPIError(KindHTTPStatus, 4, "HTTP 429 Too Many Requests", "gave up after 4 attempts over "),
				}
			},
		},
		{
			fault: "Retry-After: 1 (seconds), once", bound: 3 * time.Second, idle: true,
			arrange: func(t *testing.T) faultEnv {
				srv, u := localFaultServer(t, localhoneyhive.RateLimited("1"))
				return faultEnv{
					do: summaryCall(matrixClient(t, u), localhoneyhive.FixtureBaseline), hits: func() int { return srv.Requests(localhoneyhive.FixtureBaseline) },
					check: func(t *testing.T, err error, elapsed time.Duration) {
						wantSuccess(t, err)
						if elapsed < 950*time.Millisecond {
							t.Errorf("retried after %v, before the 1 s asked for", elapsed)
						}
						if n := srv.Requests(localhoneyhive.FixtureBaseline); n != 2 {
							t.Errorf("%d requests, want 2", n)
						}
					},
				}
			},
		},
		{
			// The date has a 1 s resolution: the wait is 1–2 s.
			fault: "Retry-After: HTTP date 2s ahead, once", bound: 4 * time.Second, idle: true,
			arrange: func(t *testing.T) faultEnv {
				date := time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat)
				srv, u := localFaultServer(t, localhoneyhive.RateLimited(date))
				return faultEnv{
					do: summaryCall(matrixClient(t, u), localhoneyhive.FixtureBaseline), hits: func() int { return srv.Requests(localhoneyhive.FixtureBaseline) },
					check: func(t *testing.T, err error, elapsed time.Duration) {
						wantSuccess(t, err)
						if elapsed < 900*time.Millisecond {
							t.Errorf("retried after %v, before the date asked for", elapsed)
						}
					},
				}
			},
		},
		{
			fault: "Retry-After: HTTP date in the past, once", bound: time.Second,
			arrange: func(t *testing.T) faultEnv {
				date := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
				srv, u := localFaultServer(t, localhoneyhive.RateLimited(date))
				return faultEnv{
					do: summaryCall(matrixClient(t, u), localhoneyhive.FixtureBaseline), hits: func() int { return srv.Requests(localhoneyhive.FixtureBaseline) },
					check: func(t *testing.T, err error, _ time.Duration) { wantSuccess(t, err) },
				}
			},
		},
		{
			fault: "redirect (307) to another host name (127.0.0.1 → localhost)", bound: 2 * time.Second,
			arrange: func(t *testing.T) faultEnv { return redirectEnv(t, "localhost") },
		},
		{
			fault: "redirect (307) to another port of the same host", bound: 2 * time.Second,
			arrange: func(t *testing.T) faultEnv { return redirectEnv(t, "127.0.0.1") },
		},
		{
			fault: "redirect (307) within the same server (key still sent)", bound: 2 * time.Second,
			arrange: func(t *testing.T) faultEnv {
				h := &hits{}
				srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
					h.add(r)
					if r.Header.Get("Authorization") != "Bearer "+testKey {
						writeJSON(w, 401, apiErrorJSON(401, "Invalid API key", "UNAUTHORIZED"))
						return
					}
					if r.URL.Path == "/v1/runs/r/summary" {
						http.Redirect(w, r, "/v1/runs/moved/summary", http.StatusTemporaryRedirect)
						return
					}
					writeJSON(w, 200, summaryJSON)
				})
				return faultEnv{do: summaryCall(matrixClient(t, srv.URL), "r"), hits: func() int { return len(h.list()) },
					check: func(t *testing.T, err error, _ time.Duration) { wantSuccess(t, err) }}
			},
		},
		{
			fault: "TLS server with a certificate the machine does not trust", bound: 2 * time.Second,
			arrange: func(t *testing.T) faultEnv {
				// Load the system roots first: on a loaded machine with -race
				// that alone can take longer than the attempt's timeout.
				if _, err := x509.SystemCertPool(); err != nil {
					t.Fatal(err)
				}
				h := &hits{}
				srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.add(r); writeJSON(w, 200, summaryJSON) }))
				srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake failures are expected
				t.Cleanup(func() { srv.Close(); forgetRoutes(srv.URL) })
				c := matrixClient(t, srv.URL)
				// No option of the client disables verification: its own
				// transport verifies certificates.
				tr, ok := c.httpClient.Transport.(*http.Transport)
				if !ok {
					t.Fatalf("default transport is %T", c.httpClient.Transport)
				}
				if tr.TLSClientConfig != nil && tr.TLSClientConfig.InsecureSkipVerify {
					t.Fatal("the default transport skips certificate verification")
				}
				return faultEnv{
					do: summaryCall(c, "r"), hits: func() int { return len(h.list()) },
					check: func(t *testing.T, err error, elapsed time.Duration) {
						wantAPIError(KindTransport, 1, "GET /v1/runs/r/summary: tls: failed to verify certificate",
							"certificate signed by unknown authority")(t, err, elapsed)
						if mustAPIError(t, err).Retryable || IsRetryable(err) {
							t.Error("a certificate error is retryable")
						}
						if n := len(h.list()); n != 0 {
							t.Errorf("the untrusted server answered %d requests", n)
						}
					},
				}
			},
		},
		{
			fault: "body over the size cap (4 KiB cap, Content-Length 64 KiB)", bound: time.Second,
			arrange: func(t *testing.T) faultEnv { return tooLargeEnv(t, true) },
		},
		{
			fault: "body over the size cap (4 KiB cap, chunked, no length)", bound: time.Second,
			arrange: func(t *testing.T) faultEnv { return tooLargeEnv(t, false) },
		},
		{
			fault: "200 with truncated JSON (local MalformedJSON)", bound: time.Second,
			arrange: func(t *testing.T) faultEnv {
				srv, u := localFaultServer(t, localhoneyhive.MalformedJSON())
				return faultEnv{
					do: summaryCall(matrixClient(t, u), localhoneyhive.FixtureBaseline), hits: func() int { return srv.Requests(localhoneyhive.FixtureBaseline) },
					check: wantAPIError(KindInvalidBody, 1, "but the body is not a valid run summary"),
				}
			},
		},
		{
			fault: "200 with an empty body", bound: time.Second,
			arrange: func(t *testing.T) faultEnv {
				srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) })
				return faultEnv{do: summaryCall(matrixClient(t, srv.URL), "r"),
					check: wantAPIError(KindInvalidBody, 1, "empty body where a JSON object was expected")}
			},
		},
		{
			fault: "cancel during a 503 storm's Retry-After: 30 wait", bound: promptly,
			arrange: func(t *testing.T) faultEnv {
				h := &hits{}
				srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
					h.add(r)
					w.Header().Set("Retry-After", "30")
					writeJSON(w, 503, apiErrorJSON(503, "maintenance", ""))
				})
				return faultEnv{do: summaryCall(matrixClient(t, srv.URL), "r"), hits: func() int { return len(h.list()) }, cancelAfter: 200 * time.Millisecond,
					check: wantCanceled(`fetching the summary of run "r" from HoneyHive server http://`, "stopped after 1 attempt over", "context canceled")}
			},
		},
		{
			fault: "cancel while the request is in flight (server never answers, 60s timeout)", bound: promptly,
			arrange: func(t *testing.T) faultEnv {
				c := matrixClient(t, silentListener(t), func(c *Config) { c.RequestTimeout = DefaultRequestTimeout })
				return faultEnv{do: summaryCall(c, "r"), hits: func() int { return 1 }, cancelAfter: 200 * time.Millisecond, check: wantCanceled("stopped after 1 attempt over")}
			},
		},
		{
			fault: "cancel while waiting for a running run (poll every 10s)", bound: time.Second,
			arrange: func(t *testing.T) faultEnv {
				srv, u := localFaultServer(t)
				c := matrixClient(t, u)
				return faultEnv{
					do: func(ctx context.Context) error {
						_, err := c.WaitForRunSummary(ctx, localhoneyhive.FixtureRunning, "", WaitOptions{PollMin: 10 * time.Second, PollMax: 10 * time.Second}, models.SummaryDecodeOptions{})
						return err
					},
					hits:        func() int { return srv.Requests(localhoneyhive.FixtureRunning) },
					cancelAfter: 300 * time.Millisecond,
					check:       wantCanceled(`run "run-running"`),
				}
			},
		},
	}
}

func wantCanceled(parts ...string) func(t *testing.T, err error, _ time.Duration) {
	return func(t *testing.T, err error, _ time.Duration) {
		t.Helper()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("want context.Canceled, got %v", err)
		}
		if _, ok := AsAPIError(err); ok {
			t.Errorf("cancellation reported as an API error: %v", err)
		}
		assertNoKey(t, "error", err.Error())
		assertContains(t, err.Error(), parts...)
	}
}

// redirectEnv: the API server answers 307 to a second server at host (on
// another port); the second server must never see the Authorization header.
func redirectEnv(t *testing.T, host string) faultEnv {
	var mu sync.Mutex
	var seen []string // Authorization values the second server received
	second := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		writeJSON(w, 200, summaryJSON)
	})
	_, port, err := net.SplitHostPort(strings.TrimPrefix(second.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	target := "http://" + net.JoinHostPort(host, port)
	first := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testKey {
			t.Errorf("the API server did not get the key")
		}
		http.Redirect(w, r, target+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	})
	return faultEnv{
		do: summaryCall(matrixClient(t, first.URL), "r"),
		hits: func() int {
			mu.Lock()
			defer mu.Unlock()
			return len(seen)
		},
		check: func(t *testing.T, err error, _ time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			if len(seen) == 0 {
				t.Fatalf("the redirect was not followed: %v", err)
			}
			for _, a := range seen {
				if a != "" {
					t.Errorf("the second server received an Authorization header (%d bytes)", len(a))
				}
			}
			if err != nil {
				t.Logf("outcome after the redirect: %v", err)
			}
		},
	}
}

// tooLargeEnv: a 64 KiB summary against a 4 KiB cap, with or without a
// Content-Length; never retried.
func tooLargeEnv(t *testing.T, withLength bool) faultEnv {
	big := `{"status":"completed","passed":[` + strings.Repeat(`"dp-000000",`, 64<<10/12) + `"x"]}`
	h := &hits{}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		h.add(r)
		w.Header().Set("Content-Type", "application/json")
		if withLength {
			w.Header().Set("Content-Length", fmt.Sprint(len(big)))
		}
		w.WriteHeader(200)
		for i := 0; i < len(big); i += 1000 { // several writes: chunked when no length
			_, _ = io.WriteString(w, big[i:min(i+1000, len(big))]) // the client may hang up past the cap
			w.(http.Flusher).Flush()
		}
	})
	c := matrixClient(t, srv.URL)
	c.maxResponseBytes = 4 << 10
	return faultEnv{
		do: summaryCall(c, "r"), hits: func() int { return len(h.list()) },
		check: func(t *testing.T, err error, elapsed time.Duration) {
			wantAPIError(KindTooLarge, 1, "exceeds the 4 KiB limit")(t, err, elapsed)
			if n := len(h.list()); n != 1 {
				t.Errorf("%d requests, want 1 (a too-large body is not retried)", n)
			}
		},
	}
}

var portNumber = regexp.MustCompile(`127\.0\.0\.1:[0-9]+`)

// TestFaultMatrix runs every transport fault against a local server and logs
// the outcomes as a Markdown table (go test -run TestFaultMatrix -v). The
// idle rows' calls run beside the others'; each row's checks then run as its
// own subtest.
func TestFaultMatrix(t *testing.T) {
	rows := faultRows()
	envs := make([]faultEnv, len(rows))
	runs := make([]faultRun, len(rows))
	var wg sync.WaitGroup
	for i, row := range rows {
		if row.idle {
			envs[i] = row.arrange(t)
			wg.Go(func() { runs[i] = runFault(envs[i]) })
		}
	}
	for i, row := range rows {
		if !row.idle {
			envs[i] = row.arrange(t)
			runs[i] = runFault(envs[i])
		}
	}
	wg.Wait()

	var b strings.Builder
	b.WriteString("\n| fault | outcome | attempts | time to outcome | bound | pass |\n|---|---|---|---|---|---|\n")
	for i, row := range rows {
		env, run := envs[i], runs[i]
		ok := t.Run(row.fault, func(t *testing.T) {
			if env.cancelAfter > 0 && run.beforeCancel {
				t.Errorf("returned after %v, before the cancel", run.took)
			}
			if run.took > row.bound {
				t.Errorf("outcome after %v, bound %v: %v", run.took, row.bound, run.err)
			}
			env.check(t, run.err, run.elapsed)
		})
		outcome, attempts := "success", 0
		switch ae, isAPI := AsAPIError(run.err); {
		case isAPI:
			outcome = fmt.Sprintf("%s (%d): %s", ae.Summary(), ae.Kind, run.err)
			attempts = ae.Attempts
		case run.err != nil:
			outcome = run.err.Error()
		}
		if attempts == 0 && env.hits != nil {
			attempts = env.hits()
		}
		took := roundDuration(run.took).String()
		if env.cancelAfter > 0 {
			took += " after the cancel"
		}
		pass := "yes"
		if !ok {
			pass = "**NO**"
		}
		outcome = portNumber.ReplaceAllString(strings.ReplaceAll(outcome, "|", `\|`), "127.0.0.1:PORT")
		fmt.Fprintf(&b, "| %s | %s | %d | %s | %s | %s |\n", row.fault, outcome, attempts, took, row.bound, pass)
	}
	t.Log(b.String())
}

// faultRun is how a row's call went: its outcome, the time to it (from the
// cancel for cancellation rows) and the time from the call.
type faultRun struct {
	err           error
	took, elapsed time.Duration
	beforeCancel  bool // a cancellation row's call returned before the cancel
}

// runFault makes a row's call, cancelling it after env.cancelAfter if set.
func runFault(env faultEnv) faultRun {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var cancelled atomic.Pointer[time.Time]
	if env.cancelAfter > 0 {
		timer := time.AfterFunc(env.cancelAfter, func() {
			now := time.Now()
			cancelled.Store(&now)
			cancel()
		})
		defer timer.Stop()
	}
	start := time.Now()
	run := faultRun{err: env.do(ctx)}
	end := time.Now()
	run.took, run.elapsed = end.Sub(start), end.Sub(start)
	if env.cancelAfter > 0 {
		if at := cancelled.Load(); at == nil {
			run.beforeCancel = true
		} else {
			run.took = end.Sub(*at)
		}
	}
	return run
}
