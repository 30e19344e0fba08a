package localhoneyhive

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The project routes serve the same bodies as the classic ones, for the
// server's projects, with the data-plane key only; the classic routes take
// the classic key only. Every other pairing is the 404 of an unknown run.
func TestProjectRoutes(t *testing.T) {
	srv := New(WithProjects("p1", "p/2"))
	classic := "Bearer " + DefaultAPIKey
	dataPlane := "Bearer " + DefaultDataPlaneAPIKey
	tests := []struct {
		name, path, auth string
		status           int
		contains         string
	}{
		{"project summary", "/v1/projects/p1/runs/run-baseline/summary", dataPlane, 200, `"run_id":"run-baseline"`},
		{"escaped project", "/v1/projects/p%2F2/runs/run-baseline/summary?aggregate_function=max", dataPlane, 200, `"aggregation_function":"max"`},
		{"project comparison", "/v1/projects/p1/runs/run-candidate/compare/run-baseline", dataPlane, 200, `"commonDatapoints"`},
		{"project run object", "/v1/projects/p1/runs/run-running", dataPlane, 200, `"status":"running"`},
		{"project list", "/v1/projects/p1/runs?limit=2&page=1", dataPlane, 200, `"has_next":true`},
		{"project route, unknown run", "/v1/projects/p1/runs/nope/summary", dataPlane, 404, `"Evaluation run not found"`},
		{"classic summary, classic key", "/v1/runs/run-baseline/summary", classic, 200, `"run_id":"run-baseline"`},
		{"data-plane key on a classic route", "/v1/runs/run-baseline/summary", dataPlane, 404, `"NOT_FOUND"`},
		{"data-plane key on the classic list", "/v1/runs", dataPlane, 404, `"NOT_FOUND"`},
		{"classic key on a project route", "/v1/projects/p1/runs/run-baseline/summary", classic, 404, `"NOT_FOUND"`},
		{"another project", "/v1/projects/p3/runs/run-baseline/summary", dataPlane, 404, `"NOT_FOUND"`},
		{"no summary alias under a project", "/v1/projects/p1/runs/run-baseline/result", dataPlane, 404, "Cannot GET"},
		{"no comparison alias under a project", "/v1/projects/p1/runs/run-candidate/compare-with/run-baseline", dataPlane, 404, "Cannot GET"},
		{"no key", "/v1/projects/p1/runs/run-baseline/summary", "", 404, `"NOT_FOUND"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := request(t, srv, http.MethodGet, tc.path, "Authorization", tc.auth)
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.contains) {
				t.Errorf("%s: %d %.200s; want %d with %q", tc.path, rec.Code, rec.Body.String(), tc.status, tc.contains)
			}
		})
	}
	// The log tells which key each request carried, never the key.
	log := srv.RequestLog()
	if len(log) != len(tests) {
		t.Fatalf("%d records for %d requests", len(log), len(tests))
	}
	for i, tc := range tests {
		want := KeyNone
		switch tc.auth {
		case classic:
			want = KeyClassic
		case dataPlane:
			want = KeyDataPlane
		}
		if log[i].Key != want || log[i].EscapedPath+queryOf(tc.path) != tc.path {
			t.Errorf("record %d: %+v; want key %q, path %s", i, log[i], want, tc.path)
		}
	}
}

// Without projects, or with the data-plane key switched off, no project route
// is served; the generation of the classic routes does not touch them.
func TestProjectRoutesOff(t *testing.T) {
	for name, srv := range map[string]*Server{
		"no projects":       New(WithProjects()),
		"no data-plane key": New(WithDataPlaneAPIKey("")),
	} {
		rec := request(t, srv, http.MethodGet, "/v1/projects/"+DefaultProjectID+"/runs/run-baseline",
			"Authorization", "Bearer "+DefaultDataPlaneAPIKey)
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d %.200s", name, rec.Code, rec.Body.String())
		}
	}
	for _, g := range []RouteGeneration{RoutesCurrentOnly, RoutesLegacyOnly} {
		rec := request(t, New(WithRoutes(g)), http.MethodGet, "/v1/projects/"+DefaultProjectID+"/runs/run-baseline/summary",
			"Authorization", "Bearer "+DefaultDataPlaneAPIKey)
		if rec.Code != http.StatusOK {
			t.Errorf("routes %s: project summary %d %.200s", g, rec.Code, rec.Body.String())
		}
	}
}

// queryOf is the query of path, with its "?", or "".
func queryOf(path string) string {
	if _, q, ok := strings.Cut(path, "?"); ok {
		return "?" + q
	}
	return ""
}

// The deprecated aliases, and the project routes (HoneyHive's 1.17.0 pages
// render the same parameters and fields), answer with the classic routes'
// bodies byte for byte, so the contract test's checks of the classic bodies
// hold for them too.
func TestEquivalentRoutesServeTheSameBody(t *testing.T) {
	srv := New()
	project := "/v1/projects/" + DefaultProjectID
	pairs := [][2]string{
		{"/v1/runs/run-baseline/summary", "/v1/runs/run-baseline/result"},
		{"/v1/runs/run-mixed/summary?aggregate_function=max", "/v1/runs/run-mixed/result?aggregate_function=max"},
		{"/v1/runs/run-candidate/compare/run-baseline?aggregate_function=p90", "/v1/runs/run-candidate/compare-with/run-baseline?aggregate_function=p90"},
	}
	for _, route := range []string{
		"/runs/run-baseline/summary?aggregate_function=p90",
		"/runs/run-legacy/summary",
		"/runs/run-candidate/compare/run-baseline?aggregate_function=median",
		"/runs/run-mixed",
		"/runs?limit=3&page=2&sort_order=asc",
		"/runs/nope",
	} {
		pairs = append(pairs, [2]string{"/v1" + route, project + route})
	}
	answer := func(path string) *httptest.ResponseRecorder {
		key := DefaultAPIKey
		if strings.HasPrefix(path, project) {
			key = DefaultDataPlaneAPIKey
		}
		return request(t, srv, http.MethodGet, path, "Authorization", "Bearer "+key)
	}
	for _, pair := range pairs {
		a, b := answer(pair[0]), answer(pair[1])
		if a.Code != b.Code || a.Body.String() != b.Body.String() || (a.Code != 200 && !strings.HasSuffix(pair[0], "/nope")) {
			t.Errorf("%s: %d %.100s; %s: %d %.100s", pair[0], a.Code, a.Body.String(), pair[1], b.Code, b.Body.String())
		}
	}
}
