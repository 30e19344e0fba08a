package models

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// maxErrorLen bounds a decoder's error message: it quotes at most short
// excerpts of the body, never the body itself.
const maxErrorLen = 2000

// hostileBodies are the inputs every decoder must answer with a clear error
// or a sound value, never a panic: wrong JSON types, huge numbers, NaN-like
// strings, deep nesting, duplicate keys, invalid UTF-8 and an empty body.
func hostileBodies() []string {
	// Nesting deep enough to matter, small enough to keep the fuzzer fast
	// (the 20,000-level bodies past encoding/json's depth limit are in
	// TestDecodersOnHostileBodies).
	deep := strings.Repeat("[", 600) + strings.Repeat("]", 600)
	deepObj := strings.Repeat(`{"a":`, 600) + "1" + strings.Repeat("}", 600)
	return []string{
		``, ` `, `null`, `{}`, `[]`, `"x"`, `0`,
		`{"evaluation": 1}`, `{"evaluation": "run"}`, `{"evaluation": []}`, `{"evaluation": true}`,
		`{"evaluation": {"id": 1}}`, `{"evaluation": {"run_id": {}}}`, `{"evaluation": {"name": []}}`,
		`{"evaluation": {"status": false}}`, `{"evaluation": {"created_at": 1e999}}`,
		`{"evaluation": {"metadata": "str"}}`, `{"evaluation": {"metadata": [1, {"a": NaN}]}}`,
		`{"evaluation": {"metrics": "NaN"}}`, `{"evaluation": {"metrics": {"a": 1e400, "b": -1e400}}}`,
		`{"evaluation": {"metrics": {"Infinity": "NaN", "-Infinity": "+Inf"}}}`,
		`{"evaluation": {"run_id": "a", "run_id": "b", "metrics": {"x": 1, "x": 2}}}`,
		`{"evaluation": {"run_id": "a"}, "evaluation": {"run_id": "b"}}`,
		`{"evaluation": {"name": "` + "\xff\xfe" + `", "metrics": {"` + "\xc3\x28" + `": 1}}}`,
		`{"evaluation": {"metadata": {"k": "` + "\xed\xa0\x80" + `"}}}`,
		`{"evaluation": {"metadata": ` + deepObj + `}}`,
		`{"evaluation": {"metrics": ` + deep + `}}`,
		`{"evaluation": ` + deep + `}`,
		"\xff\xfe{}",
		`{"evaluations": 1}`, `{"evaluations": "[]"}`, `{"evaluations": {}}`, `{"evaluations": [1]}`,
		`{"evaluations": [[]]}`, `{"evaluations": [null]}`, `{"evaluations": [{"id": 1}]}`,
		`{"evaluations": [], "pagination": {"page": 1e30}}`, `{"evaluations": [], "pagination": {"total": 99999999999999999999999}}`,
		`{"evaluations": [], "pagination": {"limit": 1.5}}`, `{"evaluations": [], "pagination": {"page": "NaN"}}`,
		`{"evaluations": [], "pagination": {"total": -0}}`, `{"evaluations": [], "pagination": {"total_pages": -1}}`,
		`{"evaluations": [], "pagination": {"has_next": 1}}`, `{"evaluations": [], "pagination": 7}`,
		`{"evaluations": [], "evaluations": [{"run_id": "dup"}]}`,
		`{"evaluations": [{"metrics": {"a": 1}}], "pagination": {"page": 1, "page": -1}}`,
		`{"evaluations": ` + deep + `}`,
		`{"evaluations": [{"metadata": ` + deepObj + `}]}`,
		`{"evaluations": [{"name": "` + "\x80\x80" + `"}]}`,
	}
}

// localServerBodies asks the local HoneyHive server for the run object and
// run list bodies it serves for its fixtures.
func localServerBodies(t testing.TB) [][]byte {
	srv := localhoneyhive.New()
	get := func(path string) []byte {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+srv.APIKey())
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("local server: GET %s answered %d: %s", path, rec.Code, rec.Body.String())
		}
		return rec.Body.Bytes()
	}
	bodies := [][]byte{get("/v1/runs"), get("/v1/runs?limit=2&page=2")}
	for _, id := range localhoneyhive.FixtureRunIDs() {
		bodies = append(bodies, get("/v1/runs/"+id))
	}
	return bodies
}

// fixtureRunObjects wraps the run_object of each raw fixture summary (under
// internal/localhoneyhive/fixtures) as a run object body, and the fixture
// itself as one (a wrong shape).
func fixtureRunObjects(t testing.TB) [][]byte {
	paths, err := filepath.Glob(filepath.Join("..", "localhoneyhive", "fixtures", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	var out [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b, []byte(`{"evaluation":`+string(b)+`}`), []byte(`{"evaluations":[`+string(b)+`]}`))
		var w struct {
			RunObject json.RawMessage `json:"run_object"`
		}
		if json.Unmarshal(b, &w) == nil && len(w.RunObject) > 0 {
			out = append(out, []byte(`{"evaluation":`+string(w.RunObject)+`}`))
		}
	}
	return out
}

func runSeeds(f *testing.F) {
	for _, b := range localServerBodies(f) {
		f.Add(b)
	}
	for _, b := range fixtureRunObjects(f) {
		f.Add(b)
	}
	for _, s := range hostileBodies() {
		f.Add([]byte(s))
	}
	for _, c := range nonObjectBodyCases {
		f.Add([]byte(c.body))
	}
}

// checkDecodeError asserts the error half of a decoder's contract.
func checkDecodeError(t *testing.T, err error, gotValue bool) {
	t.Helper()
	if gotValue {
		t.Fatalf("error %v along with a value", err)
	}
	msg := err.Error()
	if strings.TrimSpace(msg) == "" {
		t.Fatal("empty error message")
	}
	if len(msg) > maxErrorLen {
		t.Fatalf("error message of %d bytes: %.300s…", len(msg), msg)
	}
}

// checkRun asserts what every decoded run must satisfy: text fields are
// valid UTF-8 (Terraform strings must be), metadata is a JSON object that
// decodes, metric names are listed once, and the run re-encodes.
func checkRun(t *testing.T, r *Run) {
	t.Helper()
	for _, s := range []string{r.ID, r.RunID, string(r.Status), optStr(r.Name), optStr(r.Description),
		optStr(r.DatasetID), optStr(r.DatasetName), optStr(r.CreatedAt), optStr(r.UpdatedAt)} {
		if !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8 in a decoded field: %q", s)
		}
	}
	for _, n := range r.MetricNames {
		if !utf8.ValidString(n) {
			t.Fatalf("invalid UTF-8 in metric name %q", n)
		}
	}
	if r.Metadata != nil {
		if !json.Valid(r.Metadata) {
			t.Fatalf("metadata is not valid JSON: %s", r.Metadata)
		}
		if bytes.Equal(bytes.TrimSpace(r.Metadata), []byte("null")) {
			t.Fatal("null metadata kept as a value")
		}
	}
	_ = r.Status.String()
	if _, err := json.Marshal(r); err != nil {
		t.Fatalf("json.Marshal(run): %v", err)
	}
}

func FuzzDecodeRun(f *testing.F) {
	runSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := DecodeRun(body)
		if err != nil {
			checkDecodeError(t, err, r != nil)
			return
		}
		if r == nil {
			t.Fatal("nil run without an error")
		}
		checkRun(t, r)
		// Decoding is deterministic.
		again, err := DecodeRun(body)
		if err != nil || again.RunID != r.RunID || len(again.MetricNames) != len(r.MetricNames) {
			t.Fatalf("second decode differs: %v", err)
		}
	})
}

func FuzzDecodeRunList(f *testing.F) {
	runSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		list, err := DecodeRunList(body)
		if err != nil {
			checkDecodeError(t, err, list != nil)
			return
		}
		if list == nil || list.Runs == nil {
			t.Fatalf("nil list or runs without an error: %+v", list)
		}
		for i := range list.Runs {
			checkRun(t, &list.Runs[i])
		}
		if p := list.Pagination; p != nil {
			for _, v := range []*int{p.Page, p.Limit, p.Total, p.TotalUnfiltered, p.TotalPages} {
				if v != nil && *v < 0 {
					t.Fatalf("negative pagination count %d", *v)
				}
			}
		}
		if _, err := json.Marshal(list); err != nil {
			t.Fatalf("json.Marshal(list): %v", err)
		}
	})
}

// TestDecodersOnHostileBodies pins the deterministic outcome of the hostile
// seeds: which are rejected (and with what), which decode (and to what).
func TestDecodersOnHostileBodies(t *testing.T) {
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	deepObj := strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000)
	for _, tc := range []struct {
		name, body string
		run, list  string // "" means the decoder must succeed; otherwise a part of its error
	}{
		{"empty body with 200", ``, "empty body", "empty body"},
		{"blank body", " \n", "empty body", "empty body"},
		{"null", `null`, "not a JSON object", "not a JSON object"},
		{"evaluation is a number", `{"evaluation": 1}`, "cannot unmarshal number", `no "evaluations" list`},
		{"evaluation is a string", `{"evaluation": "run"}`, "cannot unmarshal string", `no "evaluations" list`},
		{"id is a number", `{"evaluation": {"id": 1}}`, "cannot unmarshal number", `no "evaluations" list`},
		{"run_id is an object", `{"evaluation": {"run_id": {}}}`, "cannot unmarshal object", `no "evaluations" list`},
		{"name is a list", `{"evaluation": {"name": []}}`, "cannot unmarshal array", `no "evaluations" list`},
		{"status is a boolean", `{"evaluation": {"status": false}}`, "cannot unmarshal bool", `no "evaluations" list`},
		{"created_at is a huge number", `{"evaluation": {"created_at": 1e999}}`, "cannot unmarshal number", `no "evaluations" list`},
		{"metrics is a NaN-like string", `{"evaluation": {"metrics": "NaN"}}`, "evaluation.metrics: want a JSON object, got a string", `no "evaluations" list`},
		{"bare NaN", `{"evaluation": {"metadata": {"a": NaN}}}`, "invalid JSON body", "invalid JSON body"},
		{"deeply nested", `{"evaluation": ` + deep + `}`, "invalid JSON body", "invalid JSON body"},
		{"deeply nested list", `{"evaluations": ` + deep + `}`, "invalid JSON body", "invalid JSON body"},
		{"deeply nested metadata", `{"evaluation": {"metadata": ` + deepObj + `}}`, "invalid JSON body", "invalid JSON body"},
		{"metadata nested 600 deep", `{"evaluation": {"metadata": ` + strings.Repeat(`{"a":`, 600) + "1" + strings.Repeat("}", 600) + `}}`, "", `no "evaluations" list`},
		{"invalid UTF-8 before the object", "\xff\xfe{}", "not a JSON object", "not a JSON object"},
		{"evaluations is a number", `{"evaluations": 1}`, `no "evaluation" object`, "evaluations: want a JSON array"},
		{"evaluations is a string", `{"evaluations": "[]"}`, `no "evaluation" object`, "evaluations: want a JSON array"},
		{"evaluations holds a number", `{"evaluations": [1]}`, `no "evaluation" object`, "evaluations[0]: json: cannot unmarshal number"},
		{"evaluations holds a list", `{"evaluations": [[]]}`, `no "evaluation" object`, "evaluations[0]: json: cannot unmarshal array"},
		{"page is huge", `{"evaluations": [], "pagination": {"page": 1e30}}`, `no "evaluation" object`, "cannot unmarshal number 1e30"},
		{"total overflows", `{"evaluations": [], "pagination": {"total": 99999999999999999999999}}`, `no "evaluation" object`, "cannot unmarshal number 99999999999999999999999"},
		{"limit is fractional", `{"evaluations": [], "pagination": {"limit": 1.5}}`, `no "evaluation" object`, "cannot unmarshal number 1.5"},
		{"page is a NaN-like string", `{"evaluations": [], "pagination": {"page": "NaN"}}`, `no "evaluation" object`, "cannot unmarshal string"},
		{"has_next is a number", `{"evaluations": [], "pagination": {"has_next": 1}}`, `no "evaluation" object`, "cannot unmarshal number"},
		{"negative page count", `{"evaluations": [], "pagination": {"total_pages": -1}}`, `no "evaluation" object`, "pagination.total_pages is negative (-1)"},
		// Duplicate keys: the last one wins, as encoding/json decides.
		{"duplicate pagination keys", `{"evaluations": [], "pagination": {"page": 1, "page": -1}}`, `no "evaluation" object`, "pagination.page is negative (-1)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := DecodeRun([]byte(tc.body))
			checkOutcome(t, "DecodeRun", r != nil, err, tc.run)
			l, err := DecodeRunList([]byte(tc.body))
			checkOutcome(t, "DecodeRunList", l != nil, err, tc.list)
		})
	}
}

func checkOutcome(t *testing.T, what string, got bool, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("%s: unexpected error %v", what, err)
	case want != "" && err == nil:
		t.Errorf("%s: no error, want one containing %q", what, want)
	case want != "" && got:
		t.Errorf("%s: a value along with the error", what)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Errorf("%s: error %q lacks %q", what, err, want)
	case err != nil && len(err.Error()) > maxErrorLen:
		t.Errorf("%s: error of %d bytes", what, len(err.Error()))
	}
}

// Values the decoders accept from hostile bodies, pinned.
func TestDecodersHostileValues(t *testing.T) {
	// Duplicate keys: the last one wins; metric names list each key as sent.
	r, err := DecodeRun([]byte(`{"evaluation": {"run_id": "a", "run_id": "b", "metrics": {"x": 1, "x": 2}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if r.RunID != "b" {
		t.Errorf("run_id = %q, want the last duplicate", r.RunID)
	}
	t.Logf("duplicate metric keys give MetricNames %q", r.MetricNames)

	// Invalid UTF-8 in strings becomes U+FFFD.
	r, err = DecodeRun([]byte(`{"evaluation": {"name": "` + "a\xffb" + `", "metrics": {"` + "\xc3\x28" + `": 1}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if *r.Name != "a\uFFFDb" || !utf8.ValidString(r.MetricNames[0]) {
		t.Errorf("name %q, metric names %q", *r.Name, r.MetricNames)
	}

	// Huge numbers inside the user's metadata are kept as text, not rounded.
	r, err = DecodeRun([]byte(`{"evaluation": {"metadata": {"n": 1e400, "m": 123456789012345678901234567890}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if string(r.Metadata) != `{"n": 1e400, "m": 123456789012345678901234567890}` {
		t.Errorf("metadata = %s", r.Metadata)
	}
	checkRunT(t, r)

	// Huge metric values are names only: the run object's metrics are not read.
	r, err = DecodeRun([]byte(`{"evaluation": {"metrics": {"a": 1e400, "b": -1e400}}}`))
	if err != nil || len(r.MetricNames) != 2 {
		t.Errorf("run %+v, err %v", r, err)
	}
}

func checkRunT(t *testing.T, r *Run) {
	t.Helper()
	if _, err := json.Marshal(r); err != nil {
		t.Errorf("json.Marshal(run): %v", err)
	}
}
