package localhoneyhive_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"gopkg.in/yaml.v3"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// The three published specs the server is held to. Current routes are
// validated against the 1.9.0 data-plane spec and the newest, 1.14.0 (JSON,
// which parses as YAML; its run routes and schemas are 1.9.0's); the
// deprecated aliases (/result, /compare-with) against 1.1.0, which
// introduced them, and also against 1.9.0 and 1.14.0, which still list them
// (1.14.0 hides them from its docs). The project routes
// (/v1/projects/{project_id}/runs..., named by 1.17.0's deprecation notes,
// which are not among these files) answer with the same bodies as the classic
// routes, which TestProjectRoutesServeTheClassicBodies checks; the classic
// routes stay held to the specs here.
const (
	specCurrent = "data_plane_openapi-v1.9.0.yaml"
	specNewest  = "data_plane_openapi-1.14.0.json"
	specLegacy  = "openapi-v1.1.0.yaml"
)

// allSpecs lists every spec, for the checks that cover them all.
var allSpecs = []string{specCurrent, specNewest, specLegacy}

// specDirEnv overrides where the specs are read from; by default they are the
// copies in testdata/openapi (HoneyHive's, MIT: see LICENSE-openapi there).
const specDirEnv = "HONEYHIVE_SPEC_DIR"

// specRelaxation widens one schema of a spec, in memory only, where the
// spec is narrower than what API.md documents the service actually sends.
// The server is never changed to fit the spec in these places: clients must
// cope with the real bodies, so the stand-in must send them.
type specRelaxation struct {
	path        []string // YAML keys from the document root
	replacement string   // YAML of the wider schema
	reason      string   // the API.md passage that justifies it
	// witness is a request whose real response the spec rejects without
	// this relaxation (all others applied), proving it is needed.
	witness string
}

const anyScalar = `{type: [number, boolean, string, "null"]}`

// relaxations apply identically to every spec: the schemas involved are the
// same in 1.1.0, 1.9.0 and 1.14.0.
var relaxations = []specRelaxation{
	{
		path:        []string{"components", "schemas", "GetExperimentRunResultResponse", "properties", "error"},
		replacement: `{type: [string, "null"]}`,
		reason:      `API.md "Run result summary body": the service sends "error": null; "Fields may be missing or null"`,
		witness:     "/v1/runs/run-baseline/summary",
	},
	{
		path:        []string{"components", "schemas", "MetricDetail", "properties", "aggregate"},
		replacement: anyScalar,
		reason:      "API.md: aggregate and values[] items are numbers in the spec, but booleans occur, and the seed allows strings: float | int | bool | string | null",
		witness:     "/v1/runs/run-mixed/summary",
	},
	{
		path:        []string{"components", "schemas", "MetricDetail", "properties", "values", "items"},
		replacement: anyScalar,
		reason:      "API.md: values[] items may be booleans, strings or null, not only numbers",
		witness:     "/v1/runs/run-mixed/summary",
	},
	{
		path:        []string{"components", "schemas", "DatapointResult", "properties", "metrics"},
		replacement: `{type: [array, "null"], items: {}}`,
		reason:      `API.md: "Fields may be missing or null on older deployments" (a datapoint's metrics list can be null)`,
		witness:     "/v1/runs/run-mixed/summary",
	},
	{
		path:        []string{"components", "schemas", "MetricComparison", "properties", "old_aggregate"},
		replacement: `{type: [number, "null"]}`,
		reason:      `API.md "Comparison body": decode all fields as optional; a metric present only in the new run has no old aggregate (null)`,
		witness:     "/v1/runs/run-candidate/compare/run-running",
	},
	{
		path:        []string{"components", "schemas", "MetricComparison", "properties", "new_aggregate"},
		replacement: `{type: [number, "null"]}`,
		reason:      `API.md "Comparison body": a metric present only in the old run has no new aggregate (null)`,
		witness:     "/v1/runs/run-running/compare/run-baseline",
	},
	{
		path:        []string{"components", "schemas", "MetricComparison", "properties", "difference"},
		replacement: `{type: [number, "null"]}`,
		reason:      `API.md "Comparison body": no difference without both aggregates (null)`,
		witness:     "/v1/runs/run-running/compare/run-baseline",
	},
	{
		path:        []string{"components", "schemas", "MetricComparison", "properties", "percentage_change"},
		replacement: `{type: [number, "null"]}`,
		reason:      `API.md "Comparison body": percentage_change is undefined (null) when the old aggregate is 0 or null`,
		witness:     "/v1/runs/run-running/compare/run-baseline",
	},
}

// specDir finds the spec directory; missing specs fail the test loudly,
// since a contract test that skips proves nothing.
func specDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv(specDirEnv)
	if dir == "" {
		dir = filepath.Join("testdata", "openapi")
	}
	for _, name := range allSpecs {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Fatalf("OpenAPI spec %s not found in %s (set %s to the directory holding it): %v",
				name, dir, specDirEnv, err)
		}
	}
	return dir
}

// allRelaxations selects every relaxation in loadSpec and specValidator.
const allRelaxations = -1

// parsedSpecs caches each spec parsed once, reduced to its /v1/runs paths
// (see parseSpec), by file name.
var parsedSpecs sync.Map

// parseSpec reads a spec and keeps only its /v1/runs paths and the schemas
// they reach: the server serves nothing else, and parsing and compiling the
// whole spec for each validator dominated the contract tests' time. Every
// /v1/runs path stays, so requests match the same path templates as against
// the whole spec.
func parseSpec(t testing.TB, name string) *yaml.Node {
	t.Helper()
	if root, ok := parsedSpecs.Load(name); ok {
		return root.(*yaml.Node)
	}
	raw, err := os.ReadFile(filepath.Join(specDir(t), name))
	if err != nil {
		t.Fatalf("reading spec %s: %v", name, err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(raw, &root); err != nil {
		t.Fatalf("parsing spec %s: %v", name, err)
	}
	doc := root.Content[0]
	paths := mappingValue(doc, "paths")
	schemas := mappingValue(mappingValue(doc, "components"), "schemas")
	if paths == nil || schemas == nil {
		t.Fatalf("spec %s has no paths or no schemas", name)
	}
	keepEntries(paths, func(path string) bool { return strings.HasPrefix(path, "/v1/runs") })
	reached := map[string]bool{}
	var reach func(n *yaml.Node)
	reach = func(n *yaml.Node) {
		if n == nil {
			return // a dangling $ref: the validator reports it
		}
		for i, c := range n.Content {
			ref, ok := strings.CutPrefix(c.Value, "#/components/schemas/")
			if ok && i > 0 && n.Content[i-1].Value == "$ref" && !reached[ref] {
				reached[ref] = true
				reach(mappingValue(schemas, ref))
			}
			reach(c)
		}
	}
	reach(paths)
	keepEntries(schemas, func(schema string) bool { return reached[schema] })
	actual, _ := parsedSpecs.LoadOrStore(name, &root)
	return actual.(*yaml.Node)
}

// keepEntries removes the entries of mapping node m that keep rejects.
func keepEntries(m *yaml.Node, keep func(key string) bool) {
	var kept []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if keep(m.Content[i].Value) {
			kept = append(kept, m.Content[i], m.Content[i+1])
		}
	}
	m.Content = kept
}

// mappingValue returns the value of key in mapping node m, or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// copyNode deep-copies a YAML node, so relaxing a copy leaves the cached
// spec as it is.
func copyNode(n *yaml.Node) *yaml.Node {
	out := *n
	out.Content = make([]*yaml.Node, len(n.Content))
	for i, c := range n.Content {
		out.Content[i] = copyNode(c)
	}
	return &out
}

// loadSpec returns a spec (its /v1/runs paths, see parseSpec) with the
// relaxations applied: all of them, or all but the one at index allBut
// (to prove that one is load-bearing).
func loadSpec(t testing.TB, name string, allBut int) []byte {
	t.Helper()
	root := copyNode(parseSpec(t, name))
	for i, r := range relaxations {
		if i == allBut {
			continue
		}
		if err := replaceYAML(root, r.path, r.replacement); err != nil {
			t.Fatalf("relaxing %s at %s: %v (has the spec changed? re-check the relaxation)",
				name, strings.Join(r.path, "."), err)
		}
	}
	// JSON, which the OpenAPI library reads as well, encodes much faster
	// than YAML.
	var doc any
	if err := root.Decode(&doc); err != nil {
		t.Fatalf("decoding spec %s: %v", name, err)
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("re-encoding spec %s: %v", name, err)
	}
	return out
}

// replaceYAML replaces the value at path (mapping keys) with the YAML in
// replacement. A missing path is an error, so a relaxation can never
// silently stop applying.
func replaceYAML(root *yaml.Node, path []string, replacement string) error {
	node := root
	if node.Kind == yaml.DocumentNode {
		node = node.Content[0]
	}
	for depth, key := range path {
		if node.Kind != yaml.MappingNode {
			return fmt.Errorf("%s is not a mapping", strings.Join(path[:depth], "."))
		}
		found := false
		for i := 0; i+1 < len(node.Content); i += 2 {
			if node.Content[i].Value == key {
				if depth == len(path)-1 {
					var repl yaml.Node
					if err := yaml.Unmarshal([]byte(replacement), &repl); err != nil {
						return err
					}
					node.Content[i+1] = repl.Content[0]
					return nil
				}
				node, found = node.Content[i+1], true
				break
			}
		}
		if !found {
			return fmt.Errorf("key %q not found", key)
		}
	}
	return fmt.Errorf("empty path")
}

// validators caches validators: "name/selection" → validator.Validator.
var validators sync.Map

// specValidator builds (once per test binary) a validator for a spec with
// the given relaxations (see loadSpec).
func specValidator(t testing.TB, name string, allBut int) validator.Validator {
	t.Helper()
	key := fmt.Sprintf("%s/%d", name, allBut)
	if v, ok := validators.Load(key); ok {
		return v.(validator.Validator)
	}
	doc, err := libopenapi.NewDocument(loadSpec(t, name, allBut))
	if err != nil {
		t.Fatalf("loading spec %s: %v", name, err)
	}
	var opts []config.Option
	if allBut >= 0 {
		// Single-use validators (one witness each): skip warming the schema
		// cache for the whole document, which dominates their cost.
		opts = append(opts, config.WithSchemaCache(nil))
	}
	v, errs := validator.NewValidator(doc, opts...)
	if len(errs) > 0 {
		t.Fatalf("building validator for %s: %v", name, errs)
	}
	actual, _ := validators.LoadOrStore(key, v)
	return actual.(validator.Validator)
}

// exchange performs a real HTTP request against the server and returns
// the request and a response whose body can be read again.
func exchange(t testing.TB, baseURL, pathAndQuery string) (*http.Request, *http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, baseURL+pathAndQuery, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+localhoneyhive.DefaultAPIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", pathAndQuery, err)
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		t.Fatalf("reading %s: %v", pathAndQuery, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return req, resp, body
}

// validationProblems validates a response and renders the failures.
func validationProblems(v validator.Validator, req *http.Request, resp *http.Response, body []byte) []string {
	return problems(v, req, resp, body, false)
}

// exchangeProblems validates the request and the response, for requests
// that are meant to follow the spec (all but the deliberate 400s).
func exchangeProblems(v validator.Validator, req *http.Request, resp *http.Response, body []byte) []string {
	return problems(v, req, resp, body, true)
}

func problems(v validator.Validator, req *http.Request, resp *http.Response, body []byte, withRequest bool) []string {
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var ok bool
	var errs []*liberrors.ValidationError
	if withRequest {
		ok, errs = v.ValidateHttpRequestResponse(req, resp)
	} else {
		ok, errs = v.ValidateHttpResponse(req, resp)
	}
	if ok {
		return nil
	}
	var out []string
	for _, e := range errs {
		line := e.Message
		if e.Reason != "" {
			line += ": " + e.Reason
		}
		for _, se := range e.SchemaValidationErrors {
			line += fmt.Sprintf("\n      at %s: %s", se.FieldPath, se.Reason)
		}
		out = append(out, line)
	}
	if len(out) == 0 {
		out = []string{"rejected without details"}
	}
	return out
}

// contractCase is one request and the specs its response must satisfy.
type contractCase struct {
	path       string
	wantStatus int
	specs      []string
}

var comparePairs = [][2]string{ // {new, old}
	{"run-candidate", "run-baseline"},
	{"run-regressed", "run-baseline"},
	{"run-baseline", "run-candidate"},
	{"run-baseline", "run-baseline"},
	{"run-mixed", "run-legacy"},
	{"run-legacy", "run-baseline"},
	{"run-candidate", "run-mixed"},
	{"run-repeated", "run-baseline"},
	{"run-running", "run-baseline"},
	{"run-candidate", "run-running"},
	{"run-failed", "run-regressed"},
	{"run-empty-metrics", "run-baseline"},
	{"run-generated-b", "run-generated-a"},
	{localhoneyhive.FixtureSummarizerV2, localhoneyhive.FixtureSummarizerV1},
}

func contractCases() []contractCase {
	both := allSpecs
	current := []string{specCurrent, specNewest}
	var cases []contractCase
	runIDs := append(localhoneyhive.FixtureRunIDs(), "run-generated-a", "run-generated-b")
	runIDs = append(runIDs, localhoneyhive.SummarizerRunIDs()...)
	for _, id := range runIDs {
		esc := url.PathEscape(id)
		cases = append(cases,
			contractCase{"/v1/runs/" + esc + "/summary", 200, current},
			contractCase{"/v1/runs/" + esc + "/result", 200, both},
			contractCase{"/v1/runs/" + esc, 200, both},
		)
	}
	for _, fn := range localhoneyhive.AggregateFunctions() {
		q := "?aggregate_function=" + string(fn)
		cases = append(cases,
			contractCase{"/v1/runs/run-baseline/summary" + q, 200, current},
			contractCase{"/v1/runs/run-mixed/summary" + q, 200, current},
			contractCase{"/v1/runs/run-generated-a/result" + q, 200, both},
			contractCase{"/v1/runs/run-candidate/compare/run-baseline" + q, 200, current},
			contractCase{"/v1/runs/run-candidate/compare-with/run-baseline" + q, 200, both},
		)
	}
	for _, pair := range comparePairs {
		newID, oldID := url.PathEscape(pair[0]), url.PathEscape(pair[1])
		cases = append(cases,
			contractCase{"/v1/runs/" + newID + "/compare/" + oldID, 200, current},
			contractCase{"/v1/runs/" + newID + "/compare-with/" + oldID, 200, both},
		)
	}
	for _, q := range []string{
		"",
		"?limit=3",
		"?limit=3&page=2",
		"?page=99",
		"?status=completed&sort_by=name&sort_order=asc",
		"?dataset_id=ds-support-qa&name=nightly-main",
		"?run_ids[]=run-baseline&run_ids[]=run-mixed",
		"?status=running",
		"?sort_by=updated_at",
		"?dateRange[$gte]=2026-05-03T12:00:00.000Z&dateRange[$lte]=2026-05-06T12:00:00.000Z",
		"?dataset_id=ds-support-qa&status=completed&dateRange%5B%24gte%5D=1970-01-01T00%3A00%3A00.000Z&dateRange%5B%24lte%5D=2026-05-04T00%3A00%3A00.000Z",
	} {
		cases = append(cases, contractCase{"/v1/runs" + q, 200, both})
	}
	// Error responses the specs document (400, without a body schema).
	for _, p := range []string{
		"/v1/runs/run-baseline/summary?aggregate_function=mode",
		"/v1/runs/run-candidate/compare/run-baseline?aggregate_function=mean",
	} {
		cases = append(cases, contractCase{p, 400, current})
	}
	for _, p := range []string{
		"/v1/runs/run-baseline/result?aggregate_function=mode",
		"/v1/runs/run-candidate/compare-with/run-baseline?aggregate_function=p50",
		"/v1/runs?run_ids=run-baseline",
		"/v1/runs?limit=0",
		"/v1/runs?limit=101",
		"/v1/runs?dateRange[$gte]=yesterday&dateRange[$lte]=2026-05-01T00:00:00.000Z",
	} {
		cases = append(cases, contractCase{p, 400, both})
	}
	return cases
}

// newContractServer is the default server plus two generated runs, so
// synthetic bodies (booleans from GenerateRun included) are held to the
// contract too, and the summarizer runs.
func newContractServer(t testing.TB) *httptest.Server {
	srv := localhoneyhive.New()
	srv.PutSummarizerRuns()
	srv.PutRun(localhoneyhive.GenerateRun("run-generated-a", 40, 7, 1))
	srv.PutRun(localhoneyhive.GenerateRun("run-generated-b", 40, 7, 2))
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

// TestContract validates every route, fixture and documented error response
// against the published specs (with the relaxations listed above).
func TestContract(t *testing.T) {
	specDir(t) // fail once, loudly, before any subtest if the specs are missing
	ts := newContractServer(t)
	for _, tc := range contractCases() {
		for _, spec := range tc.specs {
			t.Run(spec+tc.path, func(t *testing.T) {
				req, resp, body := exchange(t, ts.URL, tc.path)
				if resp.StatusCode != tc.wantStatus {
					t.Fatalf("status = %d, want %d; body: %.300s", resp.StatusCode, tc.wantStatus, body)
				}
				check := exchangeProblems // the request must follow the spec too…
				if tc.wantStatus == http.StatusBadRequest {
					check = validationProblems // …unless it is deliberately wrong
				}
				if problems := check(specValidator(t, spec, allRelaxations), req, resp, body); problems != nil {
					t.Errorf("response violates %s:\n  %s\nbody: %.600s", spec, strings.Join(problems, "\n  "), body)
				}
			})
		}
	}
}

// TestContractRelaxationsAreNeeded proves each relaxation is load-bearing:
// with every other relaxation applied, the 1.9.0 and 1.14.0 specs still
// reject the witness response without this one, and accept it with all of
// them. A relaxation that fails here is no longer needed by that spec and
// should be reconsidered. The 1.1.0 spec gets the same relaxations; instead
// of rebuilding eight more validators, the test checks that its relaxed
// schemas are identical to 1.9.0's, so the proof carries over.
func TestContractRelaxationsAreNeeded(t *testing.T) {
	specDir(t) // fail once, loudly, before any subtest if the specs are missing
	ts := newContractServer(t)
	for i, r := range relaxations {
		for _, spec := range []string{specCurrent, specNewest} {
			t.Run(spec+"/"+strings.Join(r.path[2:], "."), func(t *testing.T) {
				req, resp, body := exchange(t, ts.URL, r.witness)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("witness %s: status %d", r.witness, resp.StatusCode)
				}
				without := validationProblems(specValidator(t, spec, i), req, resp, body)
				if without == nil {
					t.Errorf("%s accepts %s without relaxing %s; the relaxation (%s) is not needed",
						spec, r.witness, strings.Join(r.path, "."), r.reason)
				} else {
					t.Logf("without this relaxation %s rejects %s:\n  %s", spec, r.witness, strings.Join(without, "\n  "))
				}
				if relaxed := validationProblems(specValidator(t, spec, allRelaxations), req, resp, body); relaxed != nil {
					t.Errorf("the relaxed %s rejects %s: %v", spec, r.witness, relaxed)
				}
			})
		}
		t.Run(specLegacy+"/"+strings.Join(r.path[2:], "."), func(t *testing.T) {
			current, legacy := yamlAt(t, specCurrent, r.path), yamlAt(t, specLegacy, r.path)
			if !reflect.DeepEqual(current, legacy) {
				t.Errorf("%s differs between the specs (%v vs %v): prove the relaxation for %s separately",
					strings.Join(r.path, "."), current, legacy, specLegacy)
			}
		})
	}
}

// yamlAt returns the unrelaxed spec value at path.
func yamlAt(t testing.TB, spec string, path []string) any {
	t.Helper()
	node := parseSpec(t, spec).Content[0]
	for _, key := range path {
		if node.Kind != yaml.MappingNode {
			t.Fatalf("%s: %s is not under a mapping", spec, key)
		}
		if node = mappingValue(node, key); node == nil {
			t.Fatalf("%s has nothing at %s", spec, strings.Join(path, "."))
		}
	}
	var v any
	if err := node.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestContractRejectsWrongBodies makes sure the contract test cannot pass
// vacuously: bodies that break the spec in ways no relaxation allows must
// be rejected, for every route shape.
func TestContractRejectsWrongBodies(t *testing.T) {
	specDir(t) // fail once, loudly, before any subtest if the specs are missing
	ts := newContractServer(t)
	_, _, good := exchange(t, ts.URL, "/v1/runs/run-baseline/summary")
	// breakSummary returns the valid baseline summary with one change.
	breakSummary := func(change func(body map[string]any)) string {
		var body map[string]any
		if err := json.Unmarshal(good, &body); err != nil {
			t.Fatal(err)
		}
		change(body)
		out, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	detail := func(body map[string]any) map[string]any {
		return body["metrics"].(map[string]any)["details"].([]any)[0].(map[string]any)
	}
	if problems := validationProblems(specValidator(t, specCurrent, allRelaxations),
		httptest.NewRequest(http.MethodGet, "https://api.dp1.us.honeyhive.ai/v1/runs/r/summary", nil),
		&http.Response{StatusCode: 200, Header: http.Header{"Content-Type": []string{"application/json"}}},
		[]byte(breakSummary(func(map[string]any) {}))); problems != nil {
		t.Fatalf("the unbroken summary is rejected: %v", problems)
	}

	tests := []struct {
		name, path, spec, body string
	}{
		{"summary success as string", "/v1/runs/r/summary", specCurrent,
			breakSummary(func(b map[string]any) { b["success"] = "yes" })},
		{"summary passed as number", "/v1/runs/r/summary", specCurrent,
			`{"status":"completed","success":true,"passed":5,"failed":[],"metrics":{},"datapoints":[],"event_details":[],"run_object":{"id":"a","run_id":"r","metadata":{},"results":{},"event_ids":[],"configuration":{},"is_active":true,"created_at":"x","scope_type":"project","scope_id":"p"}}`},
		{"summary without run_object", "/v1/runs/r/summary", specCurrent,
			`{"status":"completed","success":true,"passed":[],"failed":[],"metrics":{},"datapoints":[],"event_details":[]}`},
		{"result with object values", "/v1/runs/r/result", specLegacy,
			breakSummary(func(b map[string]any) { detail(b)["values"] = []any{map[string]any{"v": 1}} })},
		{"result datapoint without passed", "/v1/runs/r/result", specLegacy,
			breakSummary(func(b map[string]any) { delete(b["datapoints"].([]any)[0].(map[string]any), "passed") })},
		{"summary metric_type outside the enum", "/v1/runs/r/summary", specCurrent,
			breakSummary(func(b map[string]any) { detail(b)["metric_type"] = "numeric" })},
		{"summary datapoint without session_id", "/v1/runs/r/summary", specCurrent,
			breakSummary(func(b map[string]any) { delete(b["datapoints"].([]any)[0].(map[string]any), "session_id") })},
		{"compare without commonDatapoints", "/v1/runs/a/compare/b", specCurrent,
			`{"metrics":[],"event_details":[],"old_run":{},"new_run":{}}`},
		{"compare-with aggregate as string", "/v1/runs/a/compare-with/b", specLegacy,
			`{"commonDatapoints":[],"metrics":[{"metric_name":"m","old_aggregate":"high"}],"event_details":[],"old_run":{"id":"a","run_id":"a","created_at":"x","scope_type":"p","scope_id":"p"},"new_run":{"id":"b","run_id":"b","created_at":"x","scope_type":"p","scope_id":"p"}}`},
		{"compare bad presence", "/v1/runs/a/compare/b", specCurrent,
			`{"commonDatapoints":[],"metrics":[],"event_details":[{"event_name":"e","event_type":"t","presence":"maybe"}],"old_run":{"id":"a","run_id":"a","metadata":{},"results":{},"event_ids":[],"configuration":{},"is_active":true,"created_at":"x","scope_type":"p","scope_id":"p"},"new_run":{"id":"a","run_id":"a","metadata":{},"results":{},"event_ids":[],"configuration":{},"is_active":true,"created_at":"x","scope_type":"p","scope_id":"p"}}`},
		{"run object is_active as string", "/v1/runs/r", specCurrent,
			`{"evaluation":{"id":"a","run_id":"r","metadata":{},"results":{},"event_ids":[],"configuration":{},"is_active":"yes","created_at":"x","scope_type":"p","scope_id":"p"}}`},
		{"list without pagination", "/v1/runs", specCurrent,
			`{"evaluations":[],"metrics":[]}`},
		{"summary not JSON", "/v1/runs/r/summary", specCurrent,
			`{"status":"completed","succ`},
	}
	// What 1.9.0 rejects, 1.14.0 (same run schemas) must reject too.
	for _, tc := range slices.Clone(tests) {
		if tc.spec == specCurrent {
			tc.name, tc.spec = tc.name+" (1.14.0)", specNewest
			tests = append(tests, tc)
		}
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "https://api.dp1.us.honeyhive.ai"+tc.path, nil)
			resp := &http.Response{
				StatusCode: http.StatusOK,
				Header:     http.Header{"Content-Type": []string{"application/json; charset=utf-8"}},
				Request:    req,
			}
			problems := validationProblems(specValidator(t, tc.spec, allRelaxations), req, resp, []byte(tc.body))
			if problems == nil {
				t.Fatalf("the relaxed %s accepted a wrong body: %.300s", tc.spec, tc.body)
			}
			t.Logf("rejected as expected:\n  %s", strings.Join(problems, "\n  "))
		})
	}
}
