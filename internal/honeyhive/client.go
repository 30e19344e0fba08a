package honeyhive

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// routeKind names a pair of routes: the current one and its deprecated alias.
type routeKind string

const (
	routeSummary routeKind = "summary" // /v1/runs/{id}/summary, alias /v1/runs/{id}/result
	routeCompare routeKind = "compare" // /v1/runs/{new}/compare/{old}, alias /v1/runs/{new}/compare-with/{old}
	routeRun     routeKind = "run"     // /v1/runs/{id}, no alias
)

// aliasFirst remembers, for the life of the process, which servers lack a
// current route: key serverURL+"\x00"+kind, value true when the alias is to be
// tried first. It is shared by every Client (the provider may configure several
// with the same server) and safe for concurrent use.
var aliasFirst sync.Map

func routeMemoryKey(serverURL string, kind routeKind) string {
	return serverURL + "\x00" + string(kind)
}

// call is one public method invocation: what is fetched and how it went.
type call struct {
	op       Operation
	runID    string
	oldRunID string
	kind     routeKind
	current  string // escaped path of the current route
	alias    string // escaped path of the deprecated alias
	query    string
	start    time.Time
	attempts int // HTTP requests made so far, over both routes
	// maxAttempts, when above 0, is the most requests the call may make,
	// retries included: what is left of a listing's request budget.
	maxAttempts int
}

func (cl *call) subject() string {
	return (&APIError{Operation: cl.op, RunID: cl.runID, OldRunID: cl.oldRunID}).subject()
}

// GetRunSummary fetches the result summary of a run:
// GET /v1/runs/{runID}/summary?aggregate_function=F (or the deprecated
// /v1/runs/{runID}/result on servers without it), or with a project
// /v1/projects/{project_id}/runs/{runID}/summary (no alias). An empty aggregateFunction
// omits the parameter (the server's default is "average"); any other value is
// passed through for the server to judge. runID may be any non-empty string; it
// is path-escaped.
//
// Failures of the exchange are *APIError; a cancelled or expired ctx gives an
// error wrapping ctx.Err(). opts change how the body is decoded.
func (c *Client) GetRunSummary(ctx context.Context, runID, aggregateFunction string, opts ...SummaryOption) (*models.ExperimentResultSummary, error) {
	if runID == "" {
		return nil, errors.New("cannot fetch a HoneyHive run summary: the run ID is empty")
	}
	cl := &call{
		op:      OperationSummary,
		runID:   runID,
		kind:    routeSummary,
		current: summaryPath(c.projectID, runID),
		alias:   summaryAliasPath(c.projectID, runID),
		query:   aggregateQuery(aggregateFunction),
	}
	resp, err := c.fetch(ctx, cl)
	if err != nil {
		return nil, err
	}
	var decode models.SummaryDecodeOptions
	for _, opt := range opts {
		opt(&decode)
	}
	if decode.Limits == (models.DecodeLimits{}) {
		decode.Limits = c.decodeLimits
	}
	s, err := models.DecodeExperimentResultSummaryWith(runID, resp.body, decode)
	if err != nil {
		return nil, c.invalidBody(cl, resp, err)
	}
	if s.RunObject != nil && s.RunObject.Identity().Contradicts(runID) {
		return nil, c.wrongRun(cl, resp, s.RunObject.RunID, "")
	}
	return s, nil
}

// SummaryOption changes how GetRunSummary and WaitForRunSummary decode a
// summary.
type SummaryOption func(*models.SummaryDecodeOptions)

// SummaryDecode decodes the summary as o says.
func SummaryDecode(o models.SummaryDecodeOptions) SummaryOption {
	return func(opts *models.SummaryDecodeOptions) { *opts = o }
}

// SkipDatapoints decodes the summary without the contents of its
// per-datapoint list, only their count (models.SummaryDecodeOptions.SkipDatapoints):
// for callers that use no per-datapoint data, it saves most of the
// decoding's time and memory on large runs.
func SkipDatapoints() SummaryOption {
	return func(o *models.SummaryDecodeOptions) { o.SkipDatapoints = true }
}

// SkipMetricValues decodes the summary without each metric's per-datapoint
// values (models.SummaryDecodeOptions.SkipMetricValues).
func SkipMetricValues() SummaryOption {
	return func(o *models.SummaryDecodeOptions) { o.SkipMetricValues = true }
}

// ComparisonOption changes how CompareRuns decodes a comparison.
type ComparisonOption func(*models.ComparisonDecodeOptions)

// ComparisonDecode decodes the comparison as o says.
func ComparisonDecode(o models.ComparisonDecodeOptions) ComparisonOption {
	return func(opts *models.ComparisonDecodeOptions) { *opts = o }
}

// SkipComparisonLists decodes the comparison without its per-datapoint lists
// (models.ComparisonDecodeOptions.SkipDatapointLists); the counts stay.
func SkipComparisonLists() ComparisonOption {
	return func(o *models.ComparisonDecodeOptions) { o.SkipDatapointLists = true }
}

// CompareRuns fetches the comparison of newRunID against the baseline oldRunID:
// GET /v1/runs/{new}/compare/{old}?aggregate_function=F (or the deprecated
// /v1/runs/{new}/compare-with/{old}), or with a project
// /v1/projects/{project_id}/runs/{new}/compare/{old} (no alias). Parameters and errors are as for
// GetRunSummary; opts change how the body is decoded.
func (c *Client) CompareRuns(ctx context.Context, newRunID, oldRunID, aggregateFunction string, opts ...ComparisonOption) (*models.RunComparisonResult, error) {
	switch {
	case newRunID == "" && oldRunID == "":
		return nil, errors.New("cannot compare HoneyHive runs: both run IDs are empty")
	case newRunID == "":
		return nil, fmt.Errorf("cannot compare HoneyHive runs: the new run ID is empty (old run %q)", oldRunID)
	case oldRunID == "":
		return nil, fmt.Errorf("cannot compare HoneyHive runs: the old run ID is empty (new run %q)", newRunID)
	}
	cl := &call{
		op:       OperationComparison,
		runID:    newRunID,
		oldRunID: oldRunID,
		kind:     routeCompare,
		current:  comparePath(c.projectID, newRunID, oldRunID),
		alias:    compareAliasPath(c.projectID, newRunID, oldRunID),
		query:    aggregateQuery(aggregateFunction),
	}
	resp, err := c.fetch(ctx, cl)
	if err != nil {
		return nil, err
	}
	var decode models.ComparisonDecodeOptions
	for _, opt := range opts {
		opt(&decode)
	}
	if decode.Limits == (models.DecodeLimits{}) {
		decode.Limits = c.decodeLimits
	}
	r, err := models.DecodeRunComparisonResultWith(newRunID, oldRunID, resp.body, decode)
	if err != nil {
		return nil, c.invalidBody(cl, resp, err)
	}
	var wrongNew, wrongOld string
	if r.BodyNewRun.Contradicts(newRunID) {
		wrongNew = r.BodyNewRun.RunID
	}
	if r.BodyOldRun.Contradicts(oldRunID) {
		wrongOld = r.BodyOldRun.RunID
	}
	if wrongNew != "" || wrongOld != "" {
		return nil, c.wrongRun(cl, resp, wrongNew, wrongOld)
	}
	return r, nil
}

// GetRun fetches a run object (name, dataset, status): GET /v1/runs/{runID},
// or with a project /v1/projects/{project_id}/runs/{runID}.
// It has no deprecated alias. Errors are as for GetRunSummary.
func (c *Client) GetRun(ctx context.Context, runID string) (*models.Run, error) {
	if runID == "" {
		return nil, errors.New("cannot fetch a HoneyHive run: the run ID is empty")
	}
	cl := &call{
		op:      OperationRun,
		runID:   runID,
		kind:    routeRun,
		current: runPath(c.projectID, runID),
	}
	resp, err := c.fetch(ctx, cl)
	if err != nil {
		return nil, err
	}
	r, err := models.DecodeRun(resp.body)
	if err != nil {
		return nil, c.invalidBody(cl, resp, err)
	}
	if r.Identity().Contradicts(runID) {
		return nil, c.wrongRun(cl, resp, r.RunID, "")
	}
	return r, nil
}

// escapeSegment escapes a run or project ID as one path segment. "." and ".." are
// percent-encoded too, so that no client, proxy or server resolves them as
// dot-segments.
func escapeSegment(id string) string {
	switch id {
	case ".":
		return "%2E"
	case "..":
		return "%2E%2E"
	}
	return url.PathEscape(id)
}

func aggregateQuery(f string) string {
	if f == "" {
		return ""
	}
	return url.Values{"aggregate_function": {f}}.Encode()
}

// fetch GETs the call's current route, or its alias when the server lacks the
// current one (a 404 that is not the API's JSON error), remembering per server
// which one works. A call without an alias (every project route) requests its
// current route only, whatever was remembered for the classic routes.
func (c *Client) fetch(ctx context.Context, cl *call) (*response, error) {
	cl.start = time.Now()
	key := routeMemoryKey(c.serverURL, cl.kind)
	first, second := cl.current, cl.alias
	useAlias, _ := aliasFirst.Load(key)
	if b, _ := useAlias.(bool); b && cl.alias != "" {
		first, second = second, first
	}
	resp, err := c.fetchRoute(ctx, cl, first)
	var ae *APIError
	if err == nil || !errors.As(err, &ae) || ae.Kind != KindRouteNotFound || cl.alias == "" {
		return resp, err
	}
	c.debug(ctx, "HoneyHive API route not found on this server; trying the other route", map[string]any{
		"missing_route": first,
		"next_route":    second,
		"server_url":    RedactURL(c.serverURL),
	})
	resp, err = c.fetchRoute(ctx, cl, second)
	if errors.As(err, &ae) && ae.Kind == KindRouteNotFound {
		ae.TriedRoutes = []string{first, second}
		return nil, ae
	}
	if routeAnswered(err) {
		// The second route exists: go straight to it from now on.
		aliasFirst.Store(key, second == cl.alias)
	}
	return resp, err
}

// routeAnswered reports whether a request's outcome proves that its route
// exists: a 2xx, or an answer only the route's handler gives (the API's JSON
// 404 or a 400). A 401, a 5xx or a connection error may come from anything in
// front of it, so they prove nothing.
func routeAnswered(err error) bool {
	if err == nil {
		return true
	}
	var ae *APIError
	return errors.As(err, &ae) && (ae.Kind == KindNotFound || ae.Kind == KindBadRequest || ae.Kind == KindInvalidBody || ae.Kind == KindTooLarge)
}

// invalidBody builds the error for a 2xx whose body the decoder rejected.
func (c *Client) invalidBody(cl *call, resp *response, decodeErr error) error {
	red := redactor(c.apiKey)
	e := c.answerError(KindInvalidBody, cl, resp)
	e.Excerpt = red.String(excerpt(resp.body, resp.contentType))
	e.Err = clipError(red.Error(decodeErr))
	return e
}

// wrongRun builds the error for a 2xx whose body names another run than
// asked for (bodyRunID, bodyOldRunID: the IDs it named instead, "" for a run
// it named rightly). A body that names no run is accepted: older deployments
// send none.
func (c *Client) wrongRun(cl *call, resp *response, bodyRunID, bodyOldRunID string) error {
	red := redactor(c.apiKey)
	e := c.answerError(KindWrongRun, cl, resp)
	e.BodyRunID = red.String(clip(bodyRunID, ServerTextLimit))
	e.BodyOldRunID = red.String(clip(bodyOldRunID, ServerTextLimit))
	return e
}

// answerError is the error of kind for a 2xx answer that cannot be believed:
// the call, the server and where its settings came from, and the answer.
func (c *Client) answerError(kind ErrorKind, cl *call, resp *response) *APIError {
	return &APIError{
		Kind:          kind,
		Operation:     cl.op,
		RunID:         cl.runID,
		OldRunID:      cl.oldRunID,
		Method:        "GET",
		ServerURL:     RedactURL(c.serverURL),
		ServerSource:  c.serverURLSource,
		KeySource:     c.apiKeySource,
		ProjectID:     c.projectID,
		ProjectSource: c.projectIDSource,
		Route:         resp.route,
		Query:         cl.query,
		StatusCode:    resp.status,
		ContentType:   resp.contentType,
		BodyBytes:     len(resp.body),
		Attempts:      cl.attempts,
		Elapsed:       time.Since(cl.start),
	}
}

func (c *Client) debug(ctx context.Context, msg string, fields map[string]any) {
	if c.logger != nil {
		c.logger.Debug(ctx, msg, fields)
	}
}
