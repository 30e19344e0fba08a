// Package localhoneyhive is a local, in-memory stand-in for the HoneyHive
// experiment-results API, for acceptance tests
// (httptest.NewServer(localhoneyhive.New())) and demos (cmd/honeyhive-local).
// It shares no code with the provider's API client, so a decoding bug there
// cannot be mirrored here; contract_test.go holds its answers to HoneyHive's
// OpenAPI specs (testdata/openapi).
//
// Routes (GET and HEAD), each also under /v1/projects/{project_id} without
// the deprecated aliases /result and /compare-with (WithRoutes limits the
// classic ones to one generation):
//
//	/v1/runs/{run_id}/summary?aggregate_function=F   (alias /result)
//	/v1/runs/{new}/compare/{old}?aggregate_function=F (alias /compare-with)
//	/v1/runs/{run_id}                                 {"evaluation": run object}
//	/v1/runs?name=&dataset_id=&status=&run_ids[]=&dateRange[$gte]=&dateRange[$lte]=&page=&limit=&sort_by=&sort_order=
//
// Anything else answers like Express: 404 text/plain "Cannot GET /path".
// Bad parameters answer 400 with errorCode INVALID_PARAMETER; an unknown run
// answers 404 {"message":"Evaluation run not found","errorCode":"NOT_FOUND"}.
// The classic routes take the classic key (DefaultAPIKey), the project routes
// the data-plane key (DefaultDataPlaneAPIKey); a missing or wrong key, a key
// on the other kind of route or an unserved project gets that same 404, as
// from HoneyHive since 2026-09 (WithRejectedKeyStatus(401) gives the older
// 401 "Invalid API key"). Authentication comes before routing.
//
// Structured runs (PutRun) get summaries computed per aggregate function:
// numbers as is and booleans as 1/0, strings and nulls skipped, an aggregate
// over nothing null; percentiles interpolate linearly between closest ranks;
// a value passes when in its metric's inclusive passing_range; a datapoint
// passes when none of its values fails. Raw summaries (PutRunSummary) are
// served byte for byte. Comparisons are computed from the two summaries (see
// compareSummaries). The built-in fixtures are listed in fixtures.go.
//
// InjectFaults and InjectListFaults queue Fault values (errors, slow or
// truncated answers, and 200s a client must not believe) that requests
// consume one each; Requests and RequestLog tell tests what the server
// received (never the Authorization value).
package localhoneyhive
