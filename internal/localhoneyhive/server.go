package localhoneyhive

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// DefaultAPIKey is the classic project key New accepts on the classic routes
// (/v1/runs...) unless WithAPIKey says otherwise. It starts with "hh_" like
// real keys so key-format checks in clients pass.
const DefaultAPIKey = "hh_local_demo_key"

// DefaultDataPlaneAPIKey is the fine-grained data-plane key New accepts on
// the project routes (/v1/projects/{project_id}/runs...) unless
// WithDataPlaneAPIKey says otherwise; it has HoneyHive's "hh_fgdp_" prefix.
const DefaultDataPlaneAPIKey = "hh_fgdp_local_demo_key"

// DefaultProjectID is the project whose routes New serves unless WithProjects
// says otherwise.
const DefaultProjectID = "local-project"

const jsonContentType = "application/json; charset=utf-8"

// RouteGeneration selects which generation of the experiment-results
// routes the server answers, so clients can be tested against deployments
// that only have the current routes or only the deprecated aliases.
type RouteGeneration int

const (
	// RoutesBoth serves the current routes and the deprecated aliases,
	// like the service today.
	RoutesBoth RouteGeneration = iota
	// RoutesCurrentOnly serves /summary and /compare only; the aliases
	// answer Express's plain-text 404.
	RoutesCurrentOnly
	// RoutesLegacyOnly serves /result and /compare-with only (an older
	// deployment); the current routes answer the plain-text 404.
	RoutesLegacyOnly
)

// String names the generation for test output.
func (g RouteGeneration) String() string {
	if names := []string{"both", "current-only", "legacy-only"}; g >= 0 && int(g) < len(names) {
		return names[g]
	}
	return fmt.Sprintf("RouteGeneration(%d)", int(g))
}

// Server is a local stand-in for the HoneyHive experiment-results API. It
// implements http.Handler (wrap it in httptest.NewServer or http.Server) and
// is safe for concurrent use, including changing runs and faults while
// requests are in flight.
type Server struct {
	apiKey       string
	dataPlaneKey string
	// projects are the projects whose routes are served; every run is in
	// each of them.
	projects     []string
	routes       RouteGeneration
	withFixtures bool
	// rejectedKeyStatus answers a request without the right key: 404 like
	// HoneyHive since 2026-09, or 401 like it did before (WithRejectedKeyStatus).
	rejectedKeyStatus int

	mu            sync.Mutex
	runs          map[string]*storedRun
	nextSeq       int
	faults        map[string][]Fault
	requestCounts map[string]int
	requestLog    []RequestRecord
	// comparisons caches comparison bodies, as the stored runs cache their
	// summaries, so that repeated requests (benchmarks) time the client, not
	// this server. Keys hold the stored runs, so replacing a run misses.
	comparisons map[comparisonKey][]byte
	// pending holds runs stored as running that complete after a delay
	// counted from their first read (PutRunCompletingAfter).
	pending map[string]*pendingCompletion
}

type comparisonKey struct {
	newRun, oldRun *storedRun
	fn             AggregateFunction
}

// Option configures a Server in New.
type Option func(*Server)

// WithAPIKey sets the classic project key, the only key the server accepts
// on the classic routes.
func WithAPIKey(key string) Option {
	return func(s *Server) { s.apiKey = key }
}

// WithDataPlaneAPIKey sets the data-plane key, the only key the server
// accepts on the project routes.
func WithDataPlaneAPIKey(key string) Option {
	return func(s *Server) { s.dataPlaneKey = key }
}

// WithProjects sets the projects whose routes the server serves (every run
// is in each); the project routes of any other project answer 404 like an
// unknown run, as HoneyHive answers a key without access. With none, no
// project route is served.
func WithProjects(ids ...string) Option {
	return func(s *Server) { s.projects = append([]string(nil), ids...) }
}

// WithRejectedKeyStatus sets how the server answers a request without the
// right key: http.StatusNotFound (the default), with the same JSON body as an
// unknown run, as HoneyHive does since about 2026-09-22 for a key that is
// invalid, revoked, expired or without access; or http.StatusUnauthorized
// (or 403), with {"message":"Invalid API key","errorCode":"UNAUTHORIZED"} (or
// "FORBIDDEN"), as
// it did before and older deployments still do. Any other status panics.
func WithRejectedKeyStatus(status int) Option {
	switch status {
	case http.StatusNotFound, http.StatusUnauthorized, http.StatusForbidden:
	default:
		panic(fmt.Sprintf("localhoneyhive: WithRejectedKeyStatus(%d): want 404, 401 or 403", status))
	}
	return func(s *Server) { s.rejectedKeyStatus = status }
}

// WithRoutes selects the generation of the classic routes (RoutesBoth by
// default); the project routes are served whatever it is.
func WithRoutes(r RouteGeneration) Option {
	return func(s *Server) { s.routes = r }
}

// WithoutFixtures starts the server with no runs, for tests that want to
// control every run themselves.
func WithoutFixtures() Option {
	return func(s *Server) { s.withFixtures = false }
}

// New returns a server loaded with the built-in fixture runs (see the
// package documentation) unless WithoutFixtures is given.
func New(opts ...Option) *Server {
	s := &Server{
		apiKey:            DefaultAPIKey,
		dataPlaneKey:      DefaultDataPlaneAPIKey,
		projects:          []string{DefaultProjectID},
		routes:            RoutesBoth,
		withFixtures:      true,
		rejectedKeyStatus: http.StatusNotFound,
		runs:              map[string]*storedRun{},
		faults:            map[string][]Fault{},
		requestCounts:     map[string]int{},
	}
	for _, opt := range opts {
		opt(s)
	}
	if s.withFixtures {
		loadFixtures(s)
	}
	return s
}

// APIKey returns the classic key the server accepts (for demos and tests
// that did not choose one).
func (s *Server) APIKey() string { return s.apiKey }

// DataPlaneAPIKey returns the data-plane key the server accepts on the
// project routes.
func (s *Server) DataPlaneAPIKey() string { return s.dataPlaneKey }

// KeyKind is the kind of key a request carried, as the server recognised it.
type KeyKind string

const (
	// KeyNone is no key, or one the server does not accept.
	KeyNone KeyKind = ""
	// KeyClassic is the server's classic project key.
	KeyClassic KeyKind = "classic"
	// KeyDataPlane is the server's data-plane key.
	KeyDataPlane KeyKind = "data-plane"
)

// RequestRecord is what the server remembers about one request. It never
// holds the Authorization value, only whether the header was sent and which
// of the server's keys it was, so logs can be printed in tests without
// leaking keys.
type RequestRecord struct {
	Method           string
	Path             string // decoded URL path
	EscapedPath      string // the path as sent
	RawQuery         string
	HasAuthorization bool
	Key              KeyKind
	UserAgent        string
	// Status is the status code written, or 0 when nothing was written
	// (the client went away during a Delay fault).
	Status int
}

// PutRun stores (or replaces) a structured run. The summary, run object and
// comparisons are derived from it on request, honouring aggregate_function.
// The run is copied, so the caller may reuse it.
func (s *Server) PutRun(run Run) {
	stored := run.clone()
	normalizeRun(&stored)
	s.store(run.ID, newStructuredRun(&stored))
}

// PutRunSummary stores a raw summary body for runID, served byte for byte
// by the summary routes whatever the aggregate_function (use it for
// awkward or legacy bodies a structured Run cannot express). The run also
// gets a run object, taken from the body's run_object when it decodes, and
// comparisons decode the body leniently; a body that does not decode makes
// comparisons with the run answer 400.
func (s *Server) PutRunSummary(runID string, summaryJSON []byte) {
	s.store(runID, newRawRun(runID, bytes.Clone(summaryJSON)))
}

func (s *Server) store(runID string, entry *storedRun) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.runs[runID]; ok {
		entry.seq = old.seq // replacing keeps the insertion order
	} else {
		entry.seq = s.nextSeq
		s.nextSeq++
	}
	s.runs[runID] = entry
}

// Requests reports how many requests touched runID so far (see
// InjectFaults for "touched"), whatever their outcome, so tests can assert
// retry counts. The list route touches no run.
func (s *Server) Requests(runID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requestCounts[runID]
}

// RequestLog returns a copy of every request record, in the order the
// requests finished.
func (s *Server) RequestLog() []RequestRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]RequestRecord(nil), s.requestLog...)
}

// RunIDs lists the stored run IDs in insertion order.
func (s *Server) RunIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, len(s.runs))
	for id, entry := range s.runs {
		ids[entry.seq] = id
	}
	return ids
}

// ServeHTTP answers one request: faults first, then authentication, then
// the route.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	recorder := &statusRecorder{ResponseWriter: w, log: func(status int) { s.logRequest(r, status) }}
	rt := parseRoute(r)
	fault, faulted := s.begin(rt)
	defer recorder.record(0) // a request that wrote nothing (a Delay cut short) is logged with status 0

	if faulted && s.serveFault(recorder, r, rt, fault) {
		return
	}
	s.serveRoute(recorder, r, rt)
}

// begin counts the request against the runs it touches and pops the fault
// it must suffer, if any.
func (s *Server) begin(rt route) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	touched := rt.touchedRuns()
	for _, id := range touched {
		s.requestCounts[id]++
		s.startCompletionLocked(id)
	}
	for _, id := range touched {
		if queue := s.faults[id]; len(queue) > 0 && (!queue[0].comparisonsOnly || rt.kind == routeCompare) {
			s.faults[id] = queue[1:]
			return queue[0], true
		}
	}
	return Fault{}, false
}

// logRequest appends a request to the log. It runs as the status is written,
// before any byte of the response leaves, so a client that has its answer
// always finds its request in RequestLog.
func (s *Server) logRequest(r *http.Request, status int) {
	record := RequestRecord{
		Method:           r.Method,
		Path:             r.URL.Path,
		EscapedPath:      r.URL.EscapedPath(),
		RawQuery:         r.URL.RawQuery,
		HasAuthorization: r.Header.Get("Authorization") != "",
		Key:              s.keyKind(r),
		UserAgent:        r.UserAgent(),
		Status:           status,
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requestLog = append(s.requestLog, record)
}

// serveRoute answers a request with no fault: authentication, then routing.
func (s *Server) serveRoute(w http.ResponseWriter, r *http.Request, rt route) {
	key := s.keyKind(r)
	if key == KeyNone {
		if s.rejectedKeyStatus == http.StatusNotFound {
			// Indistinguishable from an unknown run, on every route.
			writeRunNotFound(w)
			return
		}
		writeError(w, s.rejectedKeyStatus, "Invalid API key", errorCodeFor(s.rejectedKeyStatus))
		return
	}
	// HoneyHive accepts a data-plane key only on project routes, and its
	// clients send a classic key only to classic routes; a project the key
	// cannot see is a 404 too. All answer like an unknown run.
	if (key == KeyDataPlane) != (rt.project != "") || (rt.project != "" && !slices.Contains(s.projects, rt.project)) {
		writeRunNotFound(w)
		return
	}
	if (r.Method != http.MethodGet && r.Method != http.MethodHead) || !s.serves(rt) {
		writeCannot(w, r)
		return
	}
	switch rt.kind {
	case routeList:
		s.serveList(w, r)
	case routeRun:
		s.serveRunObject(w, rt.runID)
	case routeSummary:
		s.serveSummary(w, r, rt.runID)
	case routeCompare:
		s.serveCompare(w, r, rt.runID, rt.oldRunID)
	}
}

// keyKind reads "Authorization: Bearer <key>" and tells which of the
// server's keys it is, comparing in constant time.
func (s *Server) keyKind(r *http.Request) KeyKind {
	scheme, key, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return KeyNone
	}
	key = strings.TrimSpace(key)
	switch {
	case subtle.ConstantTimeCompare([]byte(key), []byte(s.apiKey)) == 1:
		return KeyClassic
	case s.dataPlaneKey != "" && subtle.ConstantTimeCompare([]byte(key), []byte(s.dataPlaneKey)) == 1:
		return KeyDataPlane
	}
	return KeyNone
}

// serves reports whether the configured route generation has rt. The
// generations are those of the classic routes: the project routes have one.
func (s *Server) serves(rt route) bool {
	switch rt.kind {
	case routeUnknown:
		return false
	case routeSummary, routeCompare:
		if rt.project != "" {
			return true
		}
		switch s.routes {
		case RoutesCurrentOnly:
			return !rt.legacy
		case RoutesLegacyOnly:
			return rt.legacy
		}
	}
	return true
}

func (s *Server) lookup(runID string) *storedRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.runs[runID]
}

func (s *Server) serveRunObject(w http.ResponseWriter, runID string) {
	entry := s.lookup(runID)
	if entry == nil {
		writeRunNotFound(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]*runObject{"evaluation": entry.object})
}

func (s *Server) serveSummary(w http.ResponseWriter, r *http.Request, runID string) {
	fn, err := aggregateFunctionFrom(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), "INVALID_PARAMETER")
		return
	}
	entry := s.lookup(runID)
	if entry == nil {
		writeRunNotFound(w)
		return
	}
	body, err := entry.summaryJSON(fn)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "Error processing experiment summary", "INTERNAL_SERVER_ERROR")
		return
	}
	writeJSONBytes(w, http.StatusOK, body)
}

func (s *Server) serveCompare(w http.ResponseWriter, r *http.Request, newRunID, oldRunID string) {
	fn, err := aggregateFunctionFrom(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), "INVALID_PARAMETER")
		return
	}
	newEntry, oldEntry := s.lookup(newRunID), s.lookup(oldRunID)
	if newEntry == nil || oldEntry == nil {
		writeRunNotFound(w)
		return
	}
	body, err := s.comparisonJSON(newEntry, oldEntry, fn)
	if err != nil {
		writeError(w, http.StatusBadRequest, "Error processing experiment comparison: "+err.Error(), "COMPARISON_FAILED")
		return
	}
	writeJSONBytes(w, http.StatusOK, body)
}

// comparisonJSON returns the comparison body of two stored runs for fn.
func (s *Server) comparisonJSON(newEntry, oldEntry *storedRun, fn AggregateFunction) ([]byte, error) {
	key := comparisonKey{newEntry, oldEntry, fn}
	s.mu.Lock()
	body, ok := s.comparisons[key]
	s.mu.Unlock()
	if ok {
		return body, nil
	}
	newSum, err := newEntry.summaryView(fn)
	if err != nil {
		return nil, err
	}
	oldSum, err := oldEntry.summaryView(fn)
	if err != nil {
		return nil, err
	}
	if body, err = json.Marshal(compareSummaries(oldSum, newSum)); err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.comparisons == nil {
		s.comparisons = map[comparisonKey][]byte{}
	}
	s.comparisons[key] = body
	s.mu.Unlock()
	return body, nil
}

// aggregateFunctionFrom reads ?aggregate_function=; absent or empty means
// average, anything outside the documented set is an error.
func aggregateFunctionFrom(r *http.Request) (AggregateFunction, error) {
	raw := r.URL.Query().Get("aggregate_function")
	if raw == "" {
		return DefaultAggregateFunction, nil
	}
	fn := AggregateFunction(raw)
	if !fn.valid() {
		return "", fmt.Errorf("invalid aggregate_function %q: expected one of %s", raw, aggregateFunctionNames())
	}
	return fn, nil
}

// statusRecorder remembers the status written, for the request log.
type statusRecorder struct {
	http.ResponseWriter
	log func(status int)
}

// record logs the request once, with the first status written.
func (r *statusRecorder) record(code int) {
	if r.log != nil {
		r.log(code)
		r.log = nil
	}
}

func (r *statusRecorder) WriteHeader(code int) {
	r.record(code)
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	r.record(http.StatusOK)
	return r.ResponseWriter.Write(p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "Internal server error", "INTERNAL_SERVER_ERROR")
		return
	}
	writeJSONBytes(w, status, body)
}

func writeJSONBytes(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", jsonContentType)
	// Announce the length of a body already in memory rather than chunk it.
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// encodeError renders the service's JSON error shape.
func encodeError(status int, message, errorCode string) []byte {
	body, _ := json.Marshal(errorBody{StatusCode: status, Message: message, Success: false, ErrorCode: errorCode})
	return body
}

func writeError(w http.ResponseWriter, status int, message, errorCode string) {
	writeJSONBytes(w, status, encodeError(status, message, errorCode))
}

func writeRunNotFound(w http.ResponseWriter) {
	writeError(w, http.StatusNotFound, "Evaluation run not found", "NOT_FOUND")
}

// writeCannot answers like Express's final handler: 404 text/plain
// "Cannot GET /path".
func writeCannot(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusNotFound)
	_, _ = fmt.Fprintf(w, "Cannot %s %s", r.Method, r.URL.Path)
}

// errorCodeFor names the errorCode the service uses for a status.
func errorCodeFor(status int) string {
	switch {
	case status == http.StatusServiceUnavailable:
		return "SERVICE_UNAVAILABLE"
	case status >= 500:
		return "INTERNAL_SERVER_ERROR"
	case status == http.StatusTooManyRequests:
		return "RATE_LIMITED"
	case status == http.StatusNotFound:
		return "NOT_FOUND"
	case status == http.StatusUnauthorized:
		return "UNAUTHORIZED"
	case status == http.StatusForbidden:
		return "FORBIDDEN"
	}
	return "BAD_REQUEST"
}
