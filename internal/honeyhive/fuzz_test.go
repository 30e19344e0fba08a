package honeyhive

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// maxAPIErrorLen bounds an APIError's text: the server's message (at most
// messageLen runes) and an excerpt (excerptLen runes), both quoted, plus the
// fixed wording.
const maxAPIErrorLen = 8000

// keyPrefix is enough of testKey to count as a leak when it appears in an
// error: a cut-off key is still a secret.
var keyPrefix = testKey[:len("hh_SE")]

// localErrorBodies asks the local HoneyHive server for the error bodies it
// sends (its JSON errors, Express's 404, the load balancer's HTML 502).
func localErrorBodies(t testing.TB) [][]byte {
	srv := localhoneyhive.New()
	id := localhoneyhive.FixtureBaseline
	srv.InjectFaults(id, localhoneyhive.ServerError(500), localhoneyhive.ServerError(503),
		localhoneyhive.RateLimited("1"), localhoneyhive.HTML502(), localhoneyhive.PlainNotFound(),
		localhoneyhive.MalformedJSON(), localhoneyhive.StatusFault(418, "text/plain", "I'm a teapot"))
	var out [][]byte
	get := func(path, key string) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+key)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		out = append(out, rec.Body.Bytes())
	}
	for range 7 {
		get("/v1/runs/"+id+"/summary", srv.APIKey())
	}
	get("/v1/runs/nope/summary", srv.APIKey())
	get("/v1/runs/"+id+"/summary", "wrong")
	get("/v1/runs/"+id+"/summary?aggregate_function=bogus", srv.APIKey())
	get("/v1/runs?limit=1000", srv.APIKey())
	get("/v1/nothing", srv.APIKey())
	return out
}

func errorBodySeeds(f *testing.F) {
	// Deep and long enough to matter, small enough to keep the fuzzer fast
	// (TestErrorBodyHostile has a 20,000-level body).
	deep := strings.Repeat(`{"message":`, 300) + `"x"` + strings.Repeat("}", 300)
	bodies := []string{
		apiErrorJSON(404, "Run not found", "RUN_NOT_FOUND"), apiErrorJSON(429, "Too many requests", "RATE_LIMITED"),
		apiErrorJSON(500, "Internal server error", ""), `{"error":"Not Found"}`,
		`{"statusCode":400,"message":["limit must not be greater than 100","page must be a positive number"],"error":"Bad Request"}`,
		`{"message":"Cannot GET /v1/runs/x/summary","error":"Not Found","statusCode":404}`,
		"<html><body><h1>502 Bad Gateway</h1></body></html>", "Cannot GET /v1/runs/x/summary", "",
		// Wrong types in every field, huge numbers, NaN-like strings.
		`{"statusCode":"404","message":404,"errorCode":true}`, `{"statusCode":null,"message":null,"errorCode":null}`,
		`{"statusCode":{},"message":{},"errorCode":[1,2]}`, `{"message":1e999,"errorCode":-0.0e-999}`,
		`{"statusCode":99999999999999999999999999999,"message":"NaN","errorCode":"Infinity"}`,
		`{"message":NaN}`, `{"message":"x","message":"y","errorCode":"a","errorCode":"b"}`,
		deep, `{"message":` + strings.Repeat("[", 300) + `}`,
		"{\"message\":\"\xff\xfe bad \xc3\x28 utf8\",\"errorCode\":\"\xed\xa0\x80\"}", "\xff\xfe\xfd",
		`{"message":"` + strings.Repeat("long message ", 200) + `"}`,
		`{"message":"` + strings.Repeat("\\u00e9", 1000) + `"}`,
		strings.Repeat("é", 300), strings.Repeat("<p>x</p>", 200), "<!-- unterminated", "<script>" + strings.Repeat("a", 100),
		"&amp;&lt;&#x1F600;&#0;&#xD800;", "<p ȺȺȺȺ>x</P>", "<HEAD>Ⱥ</HeAd><SCRIPT>Ⱥ</script>ok", `{"message":"Bearer ` + testKey + `"}`,
	}
	for _, b := range bodies {
		f.Add([]byte(b), "application/json", uint16(0))
		f.Add([]byte(b), "text/html; charset=utf-8", uint16(7))
	}
	for _, b := range localErrorBodies(f) {
		f.Add(b, "application/json; charset=utf-8", uint16(3))
		f.Add(b, "text/html", uint16(200))
	}
	paths, _ := filepath.Glob(filepath.Join("..", "localhoneyhive", "fixtures", "*.json"))
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, "application/json", uint16(190))
		}
	}
	f.Add([]byte(summaryJSON), "", uint16(0))
	f.Add([]byte(comparisonJSON), "text/plain", uint16(0))
}

// withKey inserts testKey into body at a position chosen by the fuzzer.
func withKey(body []byte, at uint16) []byte {
	i := int(at) % (len(body) + 1)
	out := make([]byte, 0, len(body)+len(testKey))
	out = append(out, body[:i]...)
	out = append(out, testKey...)
	return append(out, body[i:]...)
}

// FuzzErrorBody drives the client's error-body handling (parseErrorBody,
// excerpt, the redactor, and the APIError built from them by failure and
// invalidBody) with arbitrary bodies and content types.
func FuzzErrorBody(f *testing.F) {
	errorBodySeeds(f)
	c, err := NewClient(Config{Names: testNames, ServerURL: "https://api.example.test", APIKey: testKey})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string, at uint16) {
		if len(contentType) > 200 {
			contentType = contentType[:200]
		}
		ct := mediaType(contentType)

		p := parseErrorBody(body)
		if n := utf8.RuneCountInString(p.message); n > messageLen+maxClipMark {
			t.Fatalf("message of %d runes", n)
		}
		if n := utf8.RuneCountInString(p.errorCode); n > 100+maxClipMark {
			t.Fatalf("error code of %d runes", n)
		}
		if !utf8.ValidString(p.message) || !utf8.ValidString(p.errorCode) {
			t.Fatalf("invalid UTF-8: %q, %q", p.message, p.errorCode)
		}
		if !p.isAPI && (p.message != "" || p.errorCode != "") {
			t.Fatalf("not an API error, yet message %q code %q", p.message, p.errorCode)
		}
		ex := excerpt(body, ct)
		if n := utf8.RuneCountInString(ex); n > excerptLen+maxClipMark {
			t.Fatalf("excerpt of %d runes", n)
		}
		if !utf8.ValidString(ex) || strings.ContainsAny(ex, "\n\r\t") {
			t.Fatalf("excerpt not one line of valid UTF-8: %q", ex)
		}

		// The key, wherever it sits in the body, never reaches an error.
		if bytes.Contains(bytes.ToLower(body), []byte(strings.ToLower(keyPrefix))) {
			return // the body already holds what the check looks for
		}
		keyed := withKey(body, at)
		for _, status := range []int{400, 401, 404, 429, 500, 502} {
			e := c.failure(&call{op: OperationSummary, runID: "r"},
				&attemptResult{route: "/v1/runs/r/summary", status: status, contentType: ct, body: keyed})
			checkErrorText(t, e.Error(), keyed)
			if f := e.Message + " " + e.ErrorCode + " " + e.Excerpt; strings.Contains(f, keyPrefix) {
				t.Fatalf("APIError fields hold (part of) the API key: %q\nbody: %q", f, keyed)
			}
		}
		if _, derr := models.DecodeExperimentResultSummary("r", keyed); derr != nil {
			e := c.invalidBody(&call{op: OperationSummary, runID: "r"},
				&attemptResult{route: "/v1/runs/r/summary", status: 200, contentType: ct, body: keyed}, derr)
			checkErrorText(t, e.Error(), keyed)
		}
	})
}

func checkErrorText(t *testing.T, s string, body []byte) {
	t.Helper()
	if strings.TrimSpace(s) == "" {
		t.Fatal("empty error text")
	}
	if len(s) > maxAPIErrorLen {
		t.Fatalf("error text of %d bytes", len(s))
	}
	if strings.Contains(s, keyPrefix) {
		t.Fatalf("error text holds (part of) the API key:\n%s\nbody: %q", s, body)
	}
}

// TestErrorBodyHostile pins what the client makes of hostile error bodies.
func TestErrorBodyHostile(t *testing.T) {
	for _, tc := range []struct {
		name, body      string
		isAPI           bool
		message, code   string
		excerptContains string
	}{
		{name: "empty body", body: "", excerptContains: ""},
		{name: "wrong types", body: `{"statusCode":"404","message":404,"errorCode":true}`, isAPI: true, message: "404"},
		{name: "objects", body: `{"statusCode":{},"message":{},"errorCode":[1,2]}`, isAPI: true},
		{name: "nulls", body: `{"statusCode":null,"message":null,"errorCode":null}`, isAPI: true},
		{name: "huge number", body: `{"message":1e999}`, isAPI: true, message: "1e999"},
		{name: "NaN-like strings", body: `{"message":"NaN","errorCode":"Infinity"}`, isAPI: true, message: "NaN", code: "Infinity"},
		{name: "bare NaN is not JSON", body: `{"message":NaN}`, excerptContains: `{"message":NaN}`},
		{name: "duplicate keys: the last wins", body: `{"message":"x","message":"y","errorCode":"a","errorCode":"b"}`, isAPI: true, message: "y", code: "b"},
		{name: "deeply nested", body: strings.Repeat(`{"message":`, 20000) + `"x"` + strings.Repeat("}", 20000), excerptContains: `{"message":{"message"`},
		{name: "invalid UTF-8", body: "{\"message\":\"a\xffb\"}", isAPI: true, message: "a\uFFFDb"},
		{name: "invalid UTF-8 text", body: "oops \xff\xfe", excerptContains: "oops \uFFFD"},
		{name: "list message", body: `{"message":["a","b"]}`, isAPI: true, message: "a; b"},
		// Ⱥ (2 bytes) lowers to ⱥ (3 bytes): tags must be found in the body's own bytes.
		{name: "rune that grows when lowered", body: "<p ȺȺȺȺ>x</P>", excerptContains: "x"},
		{name: "upper-case tags", body: "<HTML><HEAD><TITLE>t</TITLE></HEAD><BODY>Ⱥ <SCRIPT>var a</SCRIPT>text</BODY>", excerptContains: "Ⱥ text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := parseErrorBody([]byte(tc.body))
			if p.isAPI != tc.isAPI || p.message != tc.message || p.errorCode != tc.code {
				t.Errorf("parseErrorBody = %+v, want isAPI %v message %q code %q", p, tc.isAPI, tc.message, tc.code)
			}
			ex := excerpt([]byte(tc.body), "application/json")
			if !strings.Contains(ex, tc.excerptContains) || utf8.RuneCountInString(ex) > excerptLen+maxClipMark {
				t.Errorf("excerpt %q, want it to contain %q within %d runes", ex, tc.excerptContains, excerptLen+maxClipMark)
			}
		})
	}
}

// A key cut in two by the excerpt's or the message's length limit must not
// leak its first half either.
func TestKeyCutByClipIsRedacted(t *testing.T) {
	c := newTestClient(t, "https://api.example.test")
	for _, pad := range []int{excerptLen - 8, messageLen - 8, 30} {
		for _, tc := range []struct {
			name, ct string
			body     []byte
			status   int
		}{
			{"text excerpt", "text/plain", []byte(strings.Repeat("x", pad) + " " + testKey + " tail"), 502},
			{"JSON message", "application/json", []byte(`{"message":"` + strings.Repeat("m", pad) + " " + testKey + `"}`), 500},
			{"HTML excerpt", "text/html", []byte("<p>" + strings.Repeat("y", pad) + " " + testKey + "</p>"), 502},
		} {
			e := c.failure(&call{op: OperationSummary, runID: "r"},
				&attemptResult{route: "/v1/runs/r/summary", status: tc.status, contentType: tc.ct, body: tc.body})
			if strings.Contains(e.Error(), keyPrefix) {
				t.Errorf("%s, pad %d: error holds part of the key: %s", tc.name, pad, e.Error())
			}
		}
		// A 200 whose body is not JSON: the decoder's error quotes its start.
		body := []byte(strings.Repeat("z", pad%40) + testKey)
		_, derr := models.DecodeExperimentResultSummary("r", body)
		e := c.invalidBody(&call{op: OperationSummary, runID: "r"}, &attemptResult{route: "/v1/runs/r/summary", status: 200, contentType: "text/plain", body: body}, derr)
		if strings.Contains(e.Error(), keyPrefix) {
			t.Errorf("invalid body, pad %d: error holds part of the key: %s", pad%40, e.Error())
		}
	}
}
