package localhoneyhive

import (
	"net/http"
	"net/url"
	"strings"
)

// routeKind is what a request path addresses.
type routeKind int

const (
	routeUnknown routeKind = iota
	routeList              // /v1/runs
	routeRun               // /v1/runs/{id}
	routeSummary           // /v1/runs/{id}/summary, legacy /result
	routeCompare           // /v1/runs/{new}/compare/{old}, legacy /compare-with
)

// route is a parsed request path.
type route struct {
	kind     routeKind
	legacy   bool // the deprecated alias of the route
	runID    string
	oldRunID string
	// project is the project of a project route
	// (/v1/projects/{project_id}/runs...), "" for a classic route.
	project string
}

// touchedRuns lists the runs a request concerns, for fault injection and
// request counting; the list route has its own queue and count.
func (rt route) touchedRuns() []string {
	switch rt.kind {
	case routeList:
		return []string{listFaultKey}
	case routeRun, routeSummary:
		return []string{rt.runID}
	case routeCompare:
		if rt.oldRunID == rt.runID {
			return []string{rt.runID}
		}
		return []string{rt.runID, rt.oldRunID}
	}
	return nil
}

// parseRoute matches the path against the experiment-results routes: the
// classic ones under /v1/runs and their twins under
// /v1/projects/{project_id}/runs, which have no deprecated aliases. Path
// segments are unescaped individually, so run and project IDs may contain any
// character; one trailing slash is ignored, as Express does by default.
func parseRoute(r *http.Request) route {
	path := strings.TrimSuffix(r.URL.EscapedPath(), "/")
	rawSegments := strings.Split(strings.TrimPrefix(path, "/"), "/")
	segments := make([]string, len(rawSegments))
	for i, raw := range rawSegments {
		seg, err := url.PathUnescape(raw)
		if err != nil || seg == "" {
			return route{}
		}
		segments[i] = seg
	}
	if len(segments) >= 4 && segments[0] == "v1" && segments[1] == "projects" && segments[3] == "runs" {
		rt := runRoute(segments[3:])
		if rt.legacy {
			rt = route{} // the project routes have no aliases
		}
		rt.project = segments[2]
		return rt
	}
	if len(segments) < 2 || segments[0] != "v1" || segments[1] != "runs" {
		return route{}
	}
	return runRoute(segments[1:])
}

// runRoute matches the segments from "runs" on: runs, runs/{id},
// runs/{id}/summary (or result), runs/{new}/compare/{old} (or compare-with).
func runRoute(segments []string) route {
	switch len(segments) {
	case 1:
		return route{kind: routeList}
	case 2:
		return route{kind: routeRun, runID: segments[1]}
	case 3:
		switch segments[2] {
		case "summary":
			return route{kind: routeSummary, runID: segments[1]}
		case "result":
			return route{kind: routeSummary, legacy: true, runID: segments[1]}
		}
	case 4:
		switch segments[2] {
		case "compare":
			return route{kind: routeCompare, runID: segments[1], oldRunID: segments[3]}
		case "compare-with":
			return route{kind: routeCompare, legacy: true, runID: segments[1], oldRunID: segments[3]}
		}
	}
	return route{}
}
