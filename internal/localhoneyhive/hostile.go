package localhoneyhive

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Faults of a hostile or broken server that answers 200 with a body that is
// well formed but must not be believed: another run's answer, a run error of
// a megabyte, a run list that never ends. The list faults are queued with
// InjectListFaults; the others, like every fault, for a run.

// listFaultKey is the queue and request count of GET /v1/runs, which touches
// no run. No run ID can hold a NUL byte in a URL path segment the client
// escapes, so it never collides with one.
const listFaultKey = "\x00list"

// endlessMode is how an endless list repeats itself.
type endlessMode int

const (
	// endlessSameRun serves the first run of the list on every page.
	endlessSameRun endlessMode = iota
	// endlessSamePage serves page 1, every run of it, as every page.
	endlessSamePage
	// endlessFreshRuns serves one run never seen before on every page, and
	// reports a limit of 1, as if it served pages of one run.
	endlessFreshRuns
)

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

// Repeat returns n copies of f, to queue a fault for n requests.
func Repeat(f Fault, n int) []Fault {
	out := make([]Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}

// InjectListFaults queues faults for GET /v1/runs: each list request
// consumes the next one, as InjectFaults does for a run's requests.
func (s *Server) InjectListFaults(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[listFaultKey] = append(s.faults[listFaultKey], faults...)
}

// ListRequests reports how many GET /v1/runs requests the server received.
func (s *Server) ListRequests() int {
	return s.Requests(listFaultKey)
}

// serveHugeError serves the summary with status failed and an error of size
// characters; other routes normally.
func (s *Server) serveHugeError(w http.ResponseWriter, r *http.Request, rt route, size int) {
	if rt.kind != routeSummary {
		s.serveRoute(w, r, rt)
		return
	}
	buf := newBufferedResponse()
	s.serveRoute(buf, r, rt)
	var body map[string]json.RawMessage
	if buf.status != http.StatusOK || json.Unmarshal(buf.body.Bytes(), &body) != nil {
		copyBuffered(w, buf)
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
	var runs []json.RawMessage
	if mode == endlessFreshRuns {
		obj := &runObject{ID: objectIDFor(fmt.Sprintf("endless-%d", page)), RunID: fmt.Sprintf("endless-%d", page),
			Metadata: map[string]any{}, Results: map[string]any{}, Metrics: map[string]float64{}, EventIDs: []string{},
			Configuration: map[string]any{}, IsActive: true, CreatedAt: defaultCreatedAt.Format(jsTimeLayout),
			ScopeType: "project", ScopeID: localScopeID}
		raw, _ := json.Marshal(obj)
		runs, limit = []json.RawMessage{raw}, 1
	} else {
		// Page 1 of the real list, as the request filters it.
		first := r.Clone(r.Context())
		q := first.URL.Query()
		q.Set("page", "1")
		first.URL.RawQuery = q.Encode()
		buf := newBufferedResponse()
		s.serveRoute(buf, first, rt)
		var body struct {
			Evaluations []json.RawMessage `json:"evaluations"`
		}
		if buf.status != http.StatusOK || json.Unmarshal(buf.body.Bytes(), &body) != nil || len(body.Evaluations) == 0 {
			copyBuffered(w, buf)
			return
		}
		runs = body.Evaluations
		if mode == endlessSameRun {
			runs = runs[:1]
		}
	}
	const total = 1_000_000
	writeJSON(w, http.StatusOK, map[string]any{
		"evaluations": runs,
		"pagination": map[string]any{"page": page, "limit": limit, "total": total, "total_unfiltered": total,
			"total_pages": (total + limit - 1) / limit, "has_next": true, "has_prev": page > 1},
		"metrics": []string{},
	})
}

// copyBuffered writes a buffered response as it is.
func copyBuffered(w http.ResponseWriter, buf *bufferedResponse) {
	for key, values := range buf.header {
		w.Header()[key] = values
	}
	w.WriteHeader(buf.status)
	_, _ = w.Write(buf.body.Bytes())
}
