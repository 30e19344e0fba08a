// Package localhoneyhive is a local, in-memory stand-in for the HoneyHive
// experiment-results API (routes, bodies and quirks as HoneyHive's API
// documents them; its OpenAPI specs are in testdata/openapi), for
// acceptance tests (httptest.NewServer(localhoneyhive.New())) and demos
// (cmd/honeyhive-local).
//
// It deliberately shares no code with the provider's API client: it is the
// "other side" of the wire, so a decoding bug in the client cannot be
// mirrored here and hidden. Its responses are checked against HoneyHive's
// published OpenAPI specs by contract_test.go.
//
// # Routes
//
//	GET /v1/runs/{run_id}/summary?aggregate_function=F          current
//	GET /v1/runs/{run_id}/result?aggregate_function=F           deprecated alias, same body
//	GET /v1/runs/{new_run_id}/compare/{old_run_id}?aggregate_function=F
//	GET /v1/runs/{new_run_id}/compare-with/{old_run_id}?...     deprecated alias, same body
//	GET /v1/runs/{run_id}                                       {"evaluation": run object}
//	GET /v1/runs?name=&dataset_id=&status=&run_ids[]=&dateRange[$gte]=&dateRange[$lte]=&page=&limit=&sort_by=&sort_order=
//
// The same routes under a project, without the deprecated aliases (HoneyHive's
// project routes, spec 1.17.0), for each project of WithProjects
// (DefaultProjectID unless told otherwise); every run is in each project:
//
//	GET /v1/projects/{project_id}/runs/{run_id}/summary?aggregate_function=F
//	GET /v1/projects/{project_id}/runs/{new_run_id}/compare/{old_run_id}?aggregate_function=F
//	GET /v1/projects/{project_id}/runs/{run_id}
//	GET /v1/projects/{project_id}/runs?...
//
// dateRange keeps the runs created within [$gte, $lte] (inclusive), sent as
// dateRange[$gte]=…&dateRange[$lte]=… or as a JSON object string; see
// parseDateRange. Metadata is not a filter of the list route.
//
// F is one of average (default), min, max, median, p90, p95, p99, sum,
// count; anything else is a 400 JSON error. WithRoutes limits the server to
// one route generation; the routes of the other answer like Express does
// for unknown routes (404 text/plain "Cannot GET /path"), as does every
// other path and every method but GET/HEAD.
//
// Requests need "Authorization: Bearer <key>": on the classic routes the
// classic project key (DefaultAPIKey unless WithAPIKey), on the project
// routes the data-plane key (DefaultDataPlaneAPIKey unless
// WithDataPlaneAPIKey). Either key on the other kind of route, and a project
// the server does not serve, get the 404 of an unknown run, as from
// HoneyHive. Like HoneyHive since about 2026-09-22, a missing or wrong key
// gets the answer of an unknown run, 404 {"statusCode":404,"message":
// "Evaluation run not found","success":false,"errorCode":"NOT_FOUND"};
// WithRejectedKeyStatus(401) restores the earlier answer, 401
// {"statusCode":401,"message":"Invalid API key","success":false,
// "errorCode":"UNAUTHORIZED"}, which older deployments still give.
// Authentication comes before routing, as an app-wide middleware would, so
// even unknown paths answer so without a valid key. Unknown runs answer the
// same 404; bad query parameters 400 with errorCode INVALID_PARAMETER.
//
// # Summaries and comparisons
//
// For structured runs (PutRun) the summary is computed per request and
// cached per aggregate function:
//
//   - aggregates use numbers as is and booleans as 1/0; strings, nulls and
//     unrecorded values are skipped; an aggregate over nothing is null
//     (count is 0). Percentiles (median, p90, p95, p99) interpolate
//     linearly between closest ranks (numpy's default, Excel's
//     PERCENTILE.INC). Aggregates are not rounded.
//   - a value passes when it lies in the metric's inclusive passing_range
//     (booleans as 1/0, so true passes [1,1]); every recorded value passes
//     when there is no range; strings fail a range; nulls neither pass nor
//     fail. A datapoint passes when none of its values fails.
//   - passed/failed hold datapoint IDs, or the session ID where the
//     datapoint ID is null; success is status completed, no error and no
//     failed datapoint.
//
// Raw summaries (PutRunSummary) are served byte for byte, whatever the
// aggregate function. Comparisons are computed from the two runs'
// summaries, raw ones included (legacy metrics format too); see
// compareSummaries for the exact rules.
//
// # Built-in fixtures
//
// All but run-legacy and run-mixed are structured runs (fixtures.go); those
// two are raw bodies embedded from fixtures/*.json.
//
//	run ID             status     what it is for
//	-----------------  ---------  ------------------------------------------------------------
//	run-baseline       completed  dataset ds-support-qa, name nightly-main; dp-01..dp-08;
//	                              accuracy (CLIENT_SIDE, predictor/chain, 0/1, range [1,1]) avg 0.625,
//	                              relevance (LLM, responder/model, 0..1, range [0.7,1]) avg 0.7525,
//	                              latency_ms (PYTHON, predictor/chain, ms, range [0,2000]) avg 1110
//	run-candidate      completed  dp-01..dp-07 + dp-09, dp-10 (dp-08 old-only, 2 new-only);
//	                              accuracy 8/9 ≈ 0.889 (vs baseline: dp-03, dp-05 improved, dp-07
//	                              degraded), relevance ≈ 0.793 (a bit better), latency 1170 (worse)
//	run-regressed      completed  baseline's datapoints; accuracy 0.375 (fails a ≥ 0.8 gate)
//	run-legacy         completed  raw; legacy metrics format: no details, metrics =
//	                              {"aggregation_function":"average","accuracy":{"aggregate":0.85,
//	                              "values":[0.8,0.9]},"relevance":{...}}; ignores aggregate_function
//	run-mixed          completed  raw; boolean is_safe (aggregate true), string grade ("A","B"),
//	                              null aggregate/values (coherence, no event_name, no
//	                              passing_range), a datapoint with datapoint_id null (its session
//	                              ID is in failed), a datapoint with metrics null, error null
//	run-repeated       completed  accuracy on retriever/tool (0.75) and on generator/model (0.5)
//	run-running        running    success false, no metrics, no datapoints
//	run-failed         failed     success false, error message set, 3 partial datapoints
//	run-empty-metrics  completed  metrics.details empty while the pipeline catches up;
//	                              dp-01..dp-08 with empty metric lists (they pass vacuously)
//
// created_at is 2026-05-01T12:00:00.000Z for run-baseline and one day later
// for each run down the table (run-empty-metrics: 2026-05-09). The metadata
// of the runs a CI pipeline started is {"git_sha", "branch", "build" (a
// number), "triggered_by": "ci"}: run-baseline 3f9c2ab, main, 101;
// run-candidate 8d41e07, feature/gpt-4o, 102; run-regressed c0ffee1,
// feature/smaller-model, 103; run-running 5e6f7a8, main, 106; run-failed
// 9b0c1d2, main, 107. The others have none ({}), but run-mixed: {"note": …}.
//
// PutSummarizerRuns adds two runs that are not built in (so that lists of the
// built-in runs stay as they are): run-summarizer-v1 and run-summarizer-v2,
// a news summarizer (dataset ds-news-summaries, doc-01..doc-10) scored on
// faithfulness, coverage, conciseness and latency_ms before and after a
// prompt change, where faithfulness regressed at 95% alone but not as one of
// the four metrics judged together; see SummarizerRuns.
//
// PutFinishingRun adds run-finishing (not built in either): running, with no
// metrics, until a delay has passed since the first request that touched it,
// then completed with 9 of 10 datapoints passing (FinishingRun), to try
// wait_for_completion on; PutRunCompletingAfter does the same for any run.
//
// # Fault injection
//
// InjectFaults queues Fault values per run (StatusFault, ServerError,
// RateLimited, HTML502, MalformedJSON, Delay, PlainNotFound); each request
// touching the run consumes one. Requests counts requests per run and
// RequestLog records every request (its path, and which of the server's keys
// it carried, never the Authorization value), so tests can assert retries,
// headers and the routes a client used.
//
// A hostile or broken server answers 200 with what must not be believed:
// AnswerForRun and AnswerForOldRun (another run's body), HugeRunError (a run
// error of any size); InjectListFaults queues EndlessListSameRun,
// EndlessListSamePage and EndlessListFreshRuns for GET /v1/runs, whose
// requests ListRequests counts. Repeat queues a fault for many requests.
package localhoneyhive
