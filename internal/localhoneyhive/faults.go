package localhoneyhive

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// faultKind says how a Fault answers.
type faultKind int

const (
	faultStatus    faultKind = iota // fixed status, content type and body
	faultMalformed                  // the normal response, truncated, as 200
	faultDelay                      // sleep, then answer normally
	faultNotFound                   // Express-style "Cannot GET /path"
)

// The hostile server's faults (hostile.go), numbered apart from the others.
const (
	faultOtherRun    faultKind = iota + 100 // the answer for another run
	faultHugeError                          // a failed run with a huge error
	faultEndlessList                        // a list page that announces another, forever
)

// Fault is one injected misbehaviour. It applies to exactly one request
// that touches the run it was injected for, and is then consumed; build it
// with StatusFault, ServerError, RateLimited, HTML502, MalformedJSON,
// Delay or PlainNotFound.
type Fault struct {
	kind        faultKind
	status      int
	contentType string
	body        string
	header      http.Header
	delay       time.Duration
	description string
	// otherRun and oldSide: faultOtherRun answers for otherRun in place of
	// the run (the old run of a comparison when oldSide).
	otherRun string
	oldSide  bool
	// size is faultHugeError's number of characters.
	size int
	// endless is faultEndlessList's way of repeating itself.
	endless endlessMode
	// comparisonsOnly leaves the fault queued for any request but a
	// comparison (OnlyComparisons).
	comparisonsOnly bool
}

// String describes the fault for test failure messages.
func (f Fault) String() string { return f.description }

// StatusFault answers with an arbitrary status, content type and body, for
// shapes the other constructors do not cover.
func StatusFault(code int, contentType, body string) Fault {
	return Fault{
		kind:        faultStatus,
		status:      code,
		contentType: contentType,
		body:        body,
		description: fmt.Sprintf("status %d (%s)", code, contentType),
	}
}

// ServerError answers code with the service's JSON error body, as an
// application failure (5xx) would.
func ServerError(code int) Fault {
	f := StatusFault(code, jsonContentType, string(encodeError(code, serverErrorMessage(code), errorCodeFor(code))))
	f.description = fmt.Sprintf("server error %d", code)
	return f
}

// RateLimited answers 429 with a JSON error body and, unless retryAfter is
// empty, a Retry-After header (seconds or an HTTP date, passed through
// verbatim so clients can be tested with both forms).
func RateLimited(retryAfter string) Fault {
	f := StatusFault(http.StatusTooManyRequests, jsonContentType,
		string(encodeError(http.StatusTooManyRequests, "Too many requests, please try again later.", "RATE_LIMITED")))
	if retryAfter != "" {
		f.header = http.Header{"Retry-After": []string{retryAfter}}
	}
	f.description = fmt.Sprintf("rate limited (Retry-After %q)", retryAfter)
	return f
}

// HTML502 answers 502 with the kind of HTML page a load balancer sends when
// the service behind it is down: a few KB of text/html that a client must
// not try to decode as JSON (nor dump whole into an error message).
func HTML502() Fault {
	f := StatusFault(http.StatusBadGateway, "text/html", badGatewayPage)
	f.description = "HTML 502 from the load balancer"
	return f
}

// MalformedJSON answers 200 with the first half of the body the request
// would normally get, keeping its JSON content type: a strict prefix of a
// JSON object is never valid JSON, so clients see a decoding error on a
// success status (a connection cut mid-body).
func MalformedJSON() Fault {
	return Fault{kind: faultMalformed, description: "truncated JSON body"}
}

// Delay sleeps for d before answering normally. The sleep ends early when
// the request's context is cancelled (client timeout or disconnect); the
// server then writes nothing.
func Delay(d time.Duration) Fault {
	return Fault{kind: faultDelay, delay: d, description: fmt.Sprintf("delay %s", d)}
}

// PlainNotFound answers like Express's default handler for an unknown
// route: 404 text/plain "Cannot GET /path". A client should treat it as
// "route missing" (e.g. fall back to the older alias), not "run missing".
func PlainNotFound() Fault {
	return Fault{kind: faultNotFound, description: "plain-text 404 Cannot GET"}
}

// serveFault answers r with f. It returns false when the request should
// continue to the normal handler (after a Delay).
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, rt route, f Fault) (handled bool) {
	switch f.kind {
	case faultDelay:
		timer := time.NewTimer(f.delay)
		defer timer.Stop()
		select {
		case <-timer.C:
			return false
		case <-r.Context().Done():
			return true // client gone: nothing to write
		}
	case faultNotFound:
		writeCannot(w, r)
	case faultOtherRun:
		other := rt
		if f.oldSide {
			other.oldRunID = f.otherRun
		} else {
			other.runID = f.otherRun
		}
		s.serveRoute(w, r, other)
	case faultHugeError:
		s.serveHugeError(w, r, rt, f.size)
	case faultEndlessList:
		s.serveEndlessList(w, r, rt, f.endless)
	case faultMalformed:
		buf := newBufferedResponse()
		s.serveRoute(buf, r, rt)
		body := buf.body.Bytes()
		cut := len(body) / 2
		if cut == 0 {
			body, cut = []byte(`{"status":"comp`), len(`{"status":"comp`)
		}
		for key, values := range buf.header {
			w.Header()[key] = values
		}
		// The length of what is sent: a complete response whose JSON is cut,
		// not a connection that ends before the announced length.
		w.Header().Set("Content-Length", strconv.Itoa(cut))
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", jsonContentType)
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body[:cut])
	default:
		for key, values := range f.header {
			w.Header()[key] = values
		}
		if f.contentType != "" {
			w.Header().Set("Content-Type", f.contentType)
		}
		w.WriteHeader(f.status)
		_, _ = w.Write([]byte(f.body))
	}
	return true
}

// bufferedResponse captures a response in memory (MalformedJSON needs the
// normal body before cutting it).
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newBufferedResponse() *bufferedResponse {
	return &bufferedResponse{header: http.Header{}, status: http.StatusOK}
}

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *bufferedResponse) WriteHeader(code int)        { b.status = code }

func serverErrorMessage(code int) string {
	if text := http.StatusText(code); text != "" {
		return text
	}
	return "Server error"
}

// badGatewayPage imitates a cloud load balancer's 502 page, padded the way
// nginx pads error pages (so browsers show them) to a few KB.
var badGatewayPage = func() string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<title>502 Bad Gateway</title>\n<style>\n")
	b.WriteString("body{font-family:-apple-system,BlinkMacSystemFont,\"Segoe UI\",Roboto,Helvetica,Arial,sans-serif;")
	b.WriteString("background:#f7f7f7;color:#333;margin:0;padding:0}\n")
	b.WriteString(".box{max-width:640px;margin:10vh auto;background:#fff;border:1px solid #ddd;border-radius:6px;padding:32px}\n")
	b.WriteString("h1{font-size:28px;margin:0 0 12px}p{line-height:1.5}code{background:#eee;padding:2px 4px}\n")
	b.WriteString("</style>\n</head>\n<body>\n<div class=\"box\">\n<h1>502 Bad Gateway</h1>\n")
	b.WriteString("<p>The load balancer could not get a valid response from the upstream service.</p>\n")
	b.WriteString("<p>This is usually temporary. Please retry your request in a few seconds.</p>\n")
	b.WriteString("<p>Reference: <code>lb-edge-01/7f3a9c2e</code></p>\n</div>\n")
	for i := 0; i < 24; i++ {
		b.WriteString("<!-- a padding to disable MSIE and Chrome friendly error page -->\n")
	}
	b.WriteString("<hr><center>awselb/2.0</center>\n</body>\n</html>\n")
	return b.String()
}()
