// Package honeyhive is the HoneyHive HTTP API client the provider uses to read
// experiment results: a run's result summary and the comparison of two runs.
//
// It has no Terraform imports; the provider adapts it. What it adds over a bare
// http.Get:
//
//   - configuration resolution (ResolveServerURL, ResolveAccess)
//     in the order HoneyHive's own SDK uses, with errors that say where a bad
//     value came from, naming the caller's settings as the caller names them
//     (Names);
//   - with a data-plane key and a project ID, the project routes
//     (/v1/projects/{project_id}/runs..., routes.go) for every request, with no
//     fallback; with a classic key, the classic routes (/v1/runs/{id}/summary,
//     /v1/runs/{new}/compare/{old}) with a fallback to the deprecated aliases
//     (/result, /compare-with) for deployments that do not have the current
//     ones yet, remembered per server;
//   - retries of these idempotent GETs on connection errors, timeouts, 408, 429
//     and 5xx (except 501), with capped, jittered exponential backoff that
//     honours Retry-After, and a timeout per attempt that covers the whole body;
//   - a cap on the response size;
//   - errors (*APIError) written for the person running Terraform: which run,
//     which request, what the server said, and what to check. They never contain
//     the API key, and neither does the debug log.
//
// A Client is safe for concurrent use.
package honeyhive
