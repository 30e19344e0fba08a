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
}

// touchedRuns lists the runs a request concerns, for fault injection and
// request counting.
func (rt route) touchedRuns() []string {
	switch rt.kind {
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

// parseRoute matches the path against the experiment-results routes. Path
// segments are unescaped individually, so run IDs may contain any
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
	if len(segments) < 2 || segments[0] != "v1" || segments[1] != "runs" {
		return route{}
	}
	switch len(segments) {
	case 2:
		return route{kind: routeList}
	case 3:
		return route{kind: routeRun, runID: segments[2]}
	case 4:
		switch segments[3] {
		case "summary":
			return route{kind: routeSummary, runID: segments[2]}
		case "result":
			return route{kind: routeSummary, legacy: true, runID: segments[2]}
		}
	case 5:
		switch segments[3] {
		case "compare":
			return route{kind: routeCompare, runID: segments[2], oldRunID: segments[4]}
		case "compare-with":
			return route{kind: routeCompare, legacy: true, runID: segments[2], oldRunID: segments[4]}
		}
	}
	return route{}
}
