package honeyhive

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
)

const (
	// excerptLen is the longest excerpt of a body put in an error, in runes.
	excerptLen = 200
	// messageLen is the longest server message put in an error, in runes.
	messageLen = ServerTextLimit
	// errorBodyLimit is how much of an error response's body is read: enough
	// for the API's JSON error and an excerpt, never a whole page.
	errorBodyLimit = 64 << 10
)

// apiErrorBody is the API's JSON error: {"statusCode":404,"message":"…","success":false,"errorCode":"…"}.
type apiErrorBody struct {
	StatusCode json.RawMessage `json:"statusCode"`
	Message    json.RawMessage `json:"message"`
	ErrorCode  json.RawMessage `json:"errorCode"`
	Error      json.RawMessage `json:"error"`
}

// parsedError is what an error response's body says.
type parsedError struct {
	isAPI     bool // the body is the API's JSON error
	message   string
	errorCode string
}

// missingRouteMessage matches the web framework's own answer for a route it
// does not have ("Cannot GET /v1/runs/x/summary"), which NestJS-style servers
// send as JSON: such a 404 is a missing route, not an unknown run.
var missingRouteMessage = regexp.MustCompile(`^Cannot (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) /`)

// parseErrorBody reads the API's JSON error out of body, if it is one.
func parseErrorBody(body []byte) parsedError {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return parsedError{}
	}
	var w apiErrorBody
	if json.Unmarshal(trimmed, &w) != nil {
		return parsedError{}
	}
	p := parsedError{
		message:   jsonText(w.Message),
		errorCode: jsonText(w.ErrorCode),
	}
	if p.message == "" {
		// Some frameworks put the text under "error" ({"error":"Not Found"}).
		p.message = jsonText(w.Error)
	}
	p.isAPI = len(w.StatusCode) > 0 || p.message != "" || p.errorCode != ""
	p.message = clip(collapseSpace(p.message), messageLen)
	p.errorCode = clip(collapseSpace(p.errorCode), 100)
	return p
}

// jsonText renders a JSON string, number or list of strings (validation
// errors come as lists) as text; anything else as "".
func jsonText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, "; ")
	}
	return ""
}

// isMissingRoute reports whether a 404 means the route does not exist on the
// server (as opposed to the run): its body is not the API's JSON error, or it
// is the framework's "Cannot GET /…" message.
func isMissingRoute(p parsedError) bool {
	return !p.isAPI || missingRouteMessage.MatchString(p.message)
}

// mediaType returns the media type of a Content-Type header, lower case,
// without parameters ("" when absent).
func mediaType(contentType string) string {
	if contentType == "" {
		return ""
	}
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		return mt
	}
	return clip(collapseSpace(strings.ToLower(contentType)), 60)
}

// excerpt returns a short, readable excerpt of a body: valid UTF-8, HTML
// reduced to its text, whitespace collapsed, at most excerptLen runes (and the
// count of those left out, as clip writes it).
func excerpt(body []byte, contentType string) string {
	window := min(len(body), 16<<10)
	// The characters past the window are left out too.
	more := utf8.RuneCount(body[window:])
	s := strings.ToValidUTF8(string(body[:window]), "\uFFFD")
	if strings.Contains(contentType, "html") || strings.Contains(contentType, "xml") || looksLikeMarkup(s) {
		// The page's text without its <head> (whose title repeats the body's
		// heading), unless that leaves nothing.
		text := collapseSpace(stripTags(s, true))
		if text == "" {
			text = collapseSpace(stripTags(s, false))
		}
		return clipMore(text, excerptLen, more)
	}
	return clipMore(collapseSpace(s), excerptLen, more)
}

func looksLikeMarkup(s string) bool {
	t := strings.TrimSpace(s)
	return strings.HasPrefix(t, "<") && strings.Contains(t, ">")
}

// stripTags returns the text of markup: without tags, comments and the
// contents of script and style elements (and of the head element when
// skipHead), entities decoded. It is for excerpts, not for security.
func stripTags(s string, skipHead bool) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skipped := 0 // how deep in elements whose text is left out
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skipped == 0 {
				b.Write(z.Text())
			}
			continue
		case html.StartTagToken, html.EndTagToken:
			name, _ := z.TagName()
			if tag := string(name); tag == "script" || tag == "style" || (skipHead && tag == "head") {
				if tt == html.StartTagToken {
					skipped++
				} else {
					skipped = max(skipped-1, 0)
				}
			}
		}
		b.WriteByte(' ') // keep words on either side of a tag apart
	}
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// clip shortens s to n runes, marking the cut with "…" and the number of
// characters left out: "… (1,048,000 more characters)". Every piece of
// server text that reaches an error or a warning goes through it (ServerText
// for the provider's), so that no server can fill a plan with a megabyte.
func clip(s string, n int) string {
	return clipMore(s, n, 0)
}

// redactor removes the API key (and its Bearer form) from text destined for
// errors and logs, in case a server echoes it back.
type redactor string

const redactedMark = "[redacted]"

func (r redactor) String(s string) string {
	if r == "" || s == "" {
		return s
	}
	return r.cutKey(strings.ReplaceAll(s, string(r), redactedMark))
}

// minCutKey is the shortest prefix of the key cutKey redacts.
const minCutKey = 4

// cutKey redacts what a length limit (clip, an excerpt) left of the key: a
// prefix of it right before the "…" that marks the cut.
func (r redactor) cutKey(s string) string {
	const cut = "…"
	if len(r) <= minCutKey || !strings.Contains(s, cut) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, cut)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		head := s[:i]
		for n := min(len(r)-1, len(head)); n >= minCutKey; n-- {
			if strings.HasSuffix(head, string(r[:n])) {
				head = head[:len(head)-n] + redactedMark
				break
			}
		}
		b.WriteString(head)
		b.WriteString(cut)
		s = s[i+len(cut):]
	}
}

// redactedError wraps an error whose text has been redacted, keeping the chain.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

func (r redactor) Error(err error) error {
	if err == nil || r == "" {
		return err
	}
	msg := err.Error()
	if red := r.String(msg); red != msg {
		return &redactedError{msg: red, err: err}
	}
	return err
}

// parseRetryAfter reads a Retry-After header: delta-seconds or an HTTP-date
// (RFC 9110 §10.2.3), relative to now. A date in the past means no wait.
// ok is false when the header is absent or unreadable.
func parseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if v[0] >= '0' && v[0] <= '9' {
		secs, err := strconv.ParseUint(v, 10, 64)
		switch {
		case errors.Is(err, strconv.ErrRange) || (err == nil && secs > math.MaxInt64/uint64(time.Second)):
			return time.Duration(math.MaxInt64), true
		case err != nil:
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}
