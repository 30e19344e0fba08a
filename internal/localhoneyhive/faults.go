package localhoneyhive

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"
)

// faultKind says how a Fault answers.
type faultKind int

const (
	faultStatus      faultKind = iota // fixed status, content type and body
	faultMalformed                    // the normal response, truncated, as 200
	faultDelay                        // sleep, then answer normally
	faultNotFound                     // Express-style "Cannot GET /path"
	faultOtherRun                     // the answer for another run
	faultHugeError                    // a failed run with a huge error
	faultEndlessList                  // a list page that announces another, forever
)

// endlessMode is how an endless list repeats itself.
type endlessMode int

const (
	endlessSameRun   endlessMode = iota // the first run of the list on every page
	endlessSamePage                     // page 1, every run of it, as every page
	endlessFreshRuns                    // one run never seen before per page, limit 1
)

// listFaultKey is the queue and request count of GET /v1/runs, which touches
// no run. No run ID can hold a NUL byte in a URL path segment the client
// escapes, so it never collides with one.
const listFaultKey = "\x00list"

// Fault is one injected misbehaviour. It applies to exactly one request
// that touches the run it was injected for, and is then consumed.
type Fault struct {
	kind        faultKind
	status      int
	contentType string
	body        string
	header      http.Header
	delay       time.Duration
	description string
	// otherRun and oldSide: faultOtherRun answers for otherRun in place of
	// the run (the old run of a comparison when oldSide).
	otherRun string
	oldSide  bool
	size     int // faultHugeError's number of characters
	endless  endlessMode
	// comparisonsOnly leaves the fault queued for any request but a
	// comparison (OnlyComparisons).
	comparisonsOnly bool
}

// String describes the fault for test failure messages.
func (f Fault) String() string { return f.description }

// StatusFault answers with an arbitrary status, content type and body, for
// shapes the other constructors do not cover.
func StatusFault(code int, contentType, body string) Fault {
	return Fault{kind: faultStatus, status: code, contentType: contentType, body: body,
		description: fmt.Sprintf("status %d (%s)", code, contentType)}
}

// withDescription returns f described as description.
func (f Fault) withDescription(description string) Fault {
	f.description = description
	return f
}

// ServerError answers code with the service's JSON error body, as an
// application failure (5xx) would.
func ServerError(code int) Fault {
	message := http.StatusText(code)
	if message == "" {
		message = "Server error"
	}
	return StatusFault(code, jsonContentType, string(encodeError(code, message, errorCodeFor(code)))).
		withDescription(fmt.Sprintf("server error %d", code))
}

// RateLimited answers 429 with a JSON error body and, unless retryAfter is
// empty, a Retry-After header (seconds or an HTTP date, passed through
// verbatim so clients can be tested with both forms).
func RateLimited(retryAfter string) Fault {
	f := StatusFault(http.StatusTooManyRequests, jsonContentType,
		string(encodeError(http.StatusTooManyRequests, "Too many requests, please try again later.", "RATE_LIMITED")))
	if retryAfter != "" {
		f.header = http.Header{"Retry-After": []string{retryAfter}}
	}
	return f.withDescription(fmt.Sprintf("rate limited (Retry-After %q)", retryAfter))
}

// badGatewayPage imitates a cloud load balancer's 502 page, padded the way
// nginx pads error pages (so browsers show them) to a few KB.
//
//go:embed fixtures/bad-gateway.html
var badGatewayPage string

// HTML502 answers 502 with the kind of HTML page a load balancer sends when
// the service behind it is down: a few KB of text/html that a client must
// not try to decode as JSON (nor dump whole into an error message).
func HTML502() Fault {
	return StatusFault(http.StatusBadGateway, "text/html", badGatewayPage).withDescription("HTML 502 from the load balancer")
}

// MalformedJSON answers 200 with the first half of the body the request
// would normally get, keeping its JSON content type: a strict prefix of a
// JSON object is never valid JSON, so clients see a decoding error on a
// success status (a connection cut mid-body).
func MalformedJSON() Fault {
	return Fault{kind: faultMalformed, description: "truncated JSON body"}
}

// Delay sleeps for d before answering normally. The sleep ends early when
// the request's context is cancelled (client timeout or disconnect); the
// server then writes nothing.
func Delay(d time.Duration) Fault {
	return Fault{kind: faultDelay, delay: d, description: fmt.Sprintf("delay %s", d)}
}

// PlainNotFound answers like Express's default handler for an unknown
// route: 404 text/plain "Cannot GET /path". A client should treat it as
// "route missing" (e.g. fall back to the older alias), not "run missing".
func PlainNotFound() Fault {
	return Fault{kind: faultNotFound, description: "plain-text 404 Cannot GET"}
}

// Repeat returns n copies of f, to queue a fault for n requests.
func Repeat(f Fault, n int) []Fault {
	out := make([]Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}

// The faults below answer 200 with what a hostile or broken deployment could
// send and a client must not believe (issue 21).

// AnswerForRun answers a request about the run it is injected for as if it
// were about runID (for a comparison, as if runID were the new run): a proxy
// or cache answering with another run's body.
func AnswerForRun(runID string) Fault {
	return Fault{kind: faultOtherRun, otherRun: runID, description: fmt.Sprintf("the answer for run %q", runID)}
}

// AnswerForOldRun answers a comparison as if runID were its old run. Inject
// it for the comparison's new run (whose queue a comparison reads first).
func AnswerForOldRun(runID string) Fault {
	return Fault{kind: faultOtherRun, otherRun: runID, oldSide: true,
		description: fmt.Sprintf("the comparison with old run %q", runID)}
}

// HugeRunError answers a summary request with the run's summary, made a
// failed run whose error is size characters long (a whole log pasted in).
// Other routes are answered normally.
func HugeRunError(size int) Fault {
	return Fault{kind: faultHugeError, size: size, description: fmt.Sprintf("run error of %d characters", size)}
}

// EndlessListSameRun answers a page of GET /v1/runs with the first run of
// the list alone, announcing a next page and a million runs.
func EndlessListSameRun() Fault {
	return Fault{kind: faultEndlessList, endless: endlessSameRun, description: "endless list of the same run"}
}

// EndlessListSamePage answers every page of GET /v1/runs with page 1,
// announcing a next page: pages of runs already seen.
func EndlessListSamePage() Fault {
	return Fault{kind: faultEndlessList, endless: endlessSamePage, description: "endless list repeating page 1"}
}

// EndlessListFreshRuns answers page N of GET /v1/runs with one run never
// listed before, "endless-N", reporting a limit of 1 and a next page: a list
// that only a request budget ends.
func EndlessListFreshRuns() Fault {
	return Fault{kind: faultEndlessList, endless: endlessFreshRuns, description: "endless list of new runs"}
}

// OnlyComparisons restricts f to comparison requests: a summary or run
// object request that touches the run leaves it queued. A comparison reads
// both runs' summaries too, in parallel, so a comparison body fault needs it.
func OnlyComparisons(f Fault) Fault {
	f.comparisonsOnly = true
	f.description += " (comparisons only)"
	return f
}

// okBody answers 200 with a JSON body.
func okBody(body, description string) Fault {
	return StatusFault(http.StatusOK, jsonContentType, body).withDescription(description)
}

// HostileMetricsSummaryBody is a completed run's summary with entries metric
// entries, each with a value and one datapoint passed: about 80 bytes of JSON
// per entry, each decoding into a metric with its lists. 10⁶ entries drove
// the provider past 9 GB before it had limits.
func HostileMetricsSummaryBody(entries int) []byte {
	var b strings.Builder
	b.Grow(entries*80 + 200)
	b.WriteString(`{"status":"completed","success":true,"error":null,"passed":["dp"],"failed":[],` +
		`"metrics":{"aggregation_function":"average","details":[`)
	for i := range entries {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"metric_name":"m` + strconv.Itoa(i) +
			`","metric_type":"PYTHON","aggregate":1,"values":[1],"datapoints":{"passed":["dp"],"failed":[]}}`)
	}
	b.WriteString(`]},"datapoints":[{"datapoint_id":"dp","passed":true,"metrics":[{"name":"m0","value":1}]}]}`)
	return []byte(b.String())
}

// HostileMetricsSummary answers a summary request with
// HostileMetricsSummaryBody(entries).
func HostileMetricsSummary(entries int) Fault {
	return okBody(string(HostileMetricsSummaryBody(entries)), fmt.Sprintf("summary with %d metric entries", entries))
}

// NullIDsSummaryBody is a completed run's summary whose lists hold null and
// empty IDs and repeats: as sent, 4 passed and 2 failed; in truth a, b passed
// and c failed, on datapoints a, b and c (one datapoint has no ID at all).
const NullIDsSummaryBody = `{"status":"completed","success":false,"error":null,
	"passed":["a",null,"b",""],"failed":["c","c"],
	"metrics":{"aggregation_function":"average","details":[
		{"metric_name":"accuracy","metric_type":"PYTHON","aggregate":0.67,"values":[1,1,0],
		 "datapoints":{"passed":["a","b",null],"failed":["c"]}}]},
	"datapoints":[
		{"datapoint_id":"a","passed":true,"metrics":[{"name":"accuracy","value":1}]},
		{"datapoint_id":"b","passed":true,"metrics":[{"name":"accuracy","value":1}]},
		{"datapoint_id":"c","passed":false,"metrics":[{"name":"accuracy","value":0}]},
		{"datapoint_id":null,"session_id":null,"passed":true,"metrics":[{"name":"accuracy","value":1}]}]}`

// NullIDsSummary answers a summary request with NullIDsSummaryBody.
func NullIDsSummary() Fault {
	return okBody(NullIDsSummaryBody, "summary with null, empty and repeated datapoint IDs")
}

// ContradictorySummaryBody is a completed run's summary that lists datapoint
// b as both passed and failed.
const ContradictorySummaryBody = `{"status":"completed","success":false,"error":null,
	"passed":["a","b"],"failed":["b","c"],
	"metrics":{"aggregation_function":"average","details":[
		{"metric_name":"accuracy","metric_type":"PYTHON","aggregate":0.5,"datapoints":{"passed":["a","b"],"failed":["c"]}}]},
	"datapoints":[{"datapoint_id":"a"},{"datapoint_id":"b"},{"datapoint_id":"c"}]}`

// ContradictorySummary answers a summary request with
// ContradictorySummaryBody.
func ContradictorySummary() Fault {
	return okBody(ContradictorySummaryBody, "summary with a datapoint both passed and failed")
}

// InconsistentComparisonBody is a comparison whose counts disagree with
// their lists: accuracy says degraded_count 0 but lists a degraded datapoint
// (twice) and improved_count 2 with one listed; commonDatapoints repeats an
// ID and holds a null.
const InconsistentComparisonBody = `{"commonDatapoints":["a","b","c","a",null],"metrics":[
	{"metric_name":"accuracy","metric_type":"PYTHON","old_aggregate":0.5,"new_aggregate":0.5,"difference":0,
	 "percentage_change":0,"found_count":3,"improved_count":2,"degraded_count":0,"same_count":1,
	 "improved":["a"],"degraded":["b","b"],"same":["c"],"old_values":[0,1,1],"new_values":[1,0,1]}],
	"event_details":[],"old_run":null,"new_run":null}`

// InconsistentComparison answers a comparison request with
// InconsistentComparisonBody; summary requests of the run leave it queued.
func InconsistentComparison() Fault {
	return OnlyComparisons(okBody(InconsistentComparisonBody, "comparison whose counts disagree with its lists"))
}

// InjectFaults queues faults for runID. Each request that touches runID
// (summary, result, run object, or a comparison where it is the new or the
// old run) consumes the next fault, in order; requests after the queue is
// empty are answered normally. A comparison consumes from the new run's
// queue first, and from the old run's only when the new one's is empty.
// Faults apply before authentication, as a load balancer's would.
func (s *Server) InjectFaults(runID string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[runID] = append(s.faults[runID], faults...)
}

// InjectListFaults queues faults for GET /v1/runs: each list request
// consumes the next one, as InjectFaults does for a run's requests.
func (s *Server) InjectListFaults(faults ...Fault) {
	s.InjectFaults(listFaultKey, faults...)
}

// ListRequests reports how many GET /v1/runs requests the server received.
func (s *Server) ListRequests() int {
	return s.Requests(listFaultKey)
}

// serveFault answers r with f. It returns false when the request should
// continue to the normal handler (after a Delay).
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, rt route, f Fault) (handled bool) {
	switch f.kind {
	case faultDelay:
		timer := time.NewTimer(f.delay)
		defer timer.Stop()
		select {
		case <-timer.C:
			return false
		case <-r.Context().Done():
			return true // client gone: nothing to write
		}
	case faultNotFound:
		writeCannot(w, r)
	case faultOtherRun:
		other := rt
		if f.oldSide {
			other.oldRunID = f.otherRun
		} else {
			other.runID = f.otherRun
		}
		s.serveRoute(w, r, other)
	case faultHugeError:
		s.serveHugeError(w, r, rt, f.size)
	case faultEndlessList:
		s.serveEndlessList(w, r, rt, f.endless)
	case faultMalformed:
		rec := s.record(r, rt)
		body := rec.Body.Bytes()
		cut := len(body) / 2
		if cut == 0 {
			body = []byte(`{"status":"comp`)
			cut = len(body)
		}
		copyHeader(w, rec.Header())
		// The length of what is sent: a complete response whose JSON is cut,
		// not a connection that ends before the announced length.
		w.Header().Set("Content-Length", strconv.Itoa(cut))
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", jsonContentType)
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body[:cut])
	default:
		copyHeader(w, f.header)
		if f.contentType != "" {
			w.Header().Set("Content-Type", f.contentType)
		}
		w.WriteHeader(f.status)
		_, _ = w.Write([]byte(f.body))
	}
	return true
}

// record answers r in memory, for faults that change the normal answer.
func (s *Server) record(r *http.Request, rt route) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.serveRoute(rec, r, rt)
	return rec
}

// copyHeader adds header to w's header.
func copyHeader(w http.ResponseWriter, header http.Header) {
	for key, values := range header {
		w.Header()[key] = values
	}
}

// writeRecorded writes a recorded response as it is.
func writeRecorded(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	copyHeader(w, rec.Header())
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// serveHugeError serves the summary with status failed and an error of size
// characters; other routes normally.
func (s *Server) serveHugeError(w http.ResponseWriter, r *http.Request, rt route, size int) {
	if rt.kind != routeSummary {
		s.serveRoute(w, r, rt)
		return
	}
	rec := s.record(r, rt)
	var body map[string]json.RawMessage
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &body) != nil {
		writeRecorded(w, rec)
		return
	}
	const head = "Traceback (most recent call last): "
	msg := head + strings.Repeat("x", max(size-len(head), 0))
	body["status"], _ = json.Marshal("failed")
	body["error"], _ = json.Marshal(msg[:size])
	writeJSON(w, http.StatusOK, body)
}

// serveEndlessList answers a list page so that another always seems to
// follow.
func (s *Server) serveEndlessList(w http.ResponseWriter, r *http.Request, rt route, mode endlessMode) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	page, limit = max(page, 1), max(limit, 1)
	var runs []*runObject
	if mode == endlessFreshRuns {
		runs, limit = []*runObject{completeRunObject(&runObject{RunID: fmt.Sprintf("endless-%d", page), IsActive: true})}, 1
	} else {
		// Page 1 of the real list, as the request filters it.
		first := r.Clone(r.Context())
		q := first.URL.Query()
		q.Set("page", "1")
		first.URL.RawQuery = q.Encode()
		rec := s.record(first, rt)
		var body struct{ Evaluations []*runObject }
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &body) != nil || len(body.Evaluations) == 0 {
			writeRecorded(w, rec)
			return
		}
		runs = body.Evaluations
		if mode == endlessSameRun {
			runs = runs[:1]
		}
	}
	const total = 1_000_000
	writeJSON(w, http.StatusOK, listBody{
		Evaluations: runs,
		Pagination: pagination{Page: page, Limit: limit, Total: total, TotalUnfiltered: total,
			TotalPages: (total + limit - 1) / limit, HasNext: true, HasPrev: page > 1},
		Metrics: []string{},
	})
}
