package honeyhive

// The paths of the run routes, one function per route, so that a change on
// HoneyHive's side is one edit here. project is "" for the classic routes
// (/v1/runs..., read with a classic project key) and a project ID for the
// project routes (/v1/projects/{project_id}/runs..., the only routes a
// data-plane key is accepted on). HoneyHive's data-plane spec 1.17.0 names
// the project twins of the run list and the run object in the deprecation
// notes of the classic routes; the summary and comparison twins follow the
// same pattern. Query parameters and bodies are the classic ones. The project
// routes have no deprecated aliases: the alias functions return "" for them,
// and a request never falls back from a project route to anything else.

// runsPath is the run list: GET /v1/runs, or /v1/projects/{project_id}/runs.
func runsPath(project string) string {
	if project == "" {
		return "/v1/runs"
	}
	return "/v1/projects/" + escapeSegment(project) + "/runs"
}

// runPath is one run object: GET .../runs/{run_id}.
func runPath(project, runID string) string {
	return runsPath(project) + "/" + escapeSegment(runID)
}

// summaryPath is a run's result summary: GET .../runs/{run_id}/summary.
func summaryPath(project, runID string) string {
	return runPath(project, runID) + "/summary"
}

// summaryAliasPath is the deprecated alias of summaryPath,
// GET /v1/runs/{run_id}/result; "" on project routes, which have none.
func summaryAliasPath(project, runID string) string {
	if project != "" {
		return ""
	}
	return runPath(project, runID) + "/result"
}

// comparePath is the comparison of two runs:
// GET .../runs/{new_run_id}/compare/{old_run_id}.
func comparePath(project, newRunID, oldRunID string) string {
	return runPath(project, newRunID) + "/compare/" + escapeSegment(oldRunID)
}

// compareAliasPath is the deprecated alias of comparePath,
// GET /v1/runs/{new_run_id}/compare-with/{old_run_id}; "" on project routes.
func compareAliasPath(project, newRunID, oldRunID string) string {
	if project != "" {
		return ""
	}
	return runPath(project, newRunID) + "/compare-with/" + escapeSegment(oldRunID)
}
