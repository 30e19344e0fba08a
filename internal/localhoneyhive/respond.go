package localhoneyhive

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// statusRecorder remembers the status written, for the request log.
type statusRecorder struct {
	http.ResponseWriter
	log func(status int)
}

// record logs the request once, with the first status written.
func (r *statusRecorder) record(code int) {
	if r.log != nil {
		r.log(code)
		r.log = nil
	}
}

func (r *statusRecorder) WriteHeader(code int) {
	r.record(code)
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	r.record(http.StatusOK)
	return r.ResponseWriter.Write(p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "Internal server error", "INTERNAL_SERVER_ERROR")
		return
	}
	writeJSONBytes(w, status, body)
}

func writeJSONBytes(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", jsonContentType)
	// Announce the length of a body already in memory rather than chunk it.
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// encodeError renders the service's JSON error shape.
func encodeError(status int, message, errorCode string) []byte {
	body, _ := json.Marshal(errorBody{StatusCode: status, Message: message, Success: false, ErrorCode: errorCode})
	return body
}

func writeError(w http.ResponseWriter, status int, message, errorCode string) {
	writeJSONBytes(w, status, encodeError(status, message, errorCode))
}

func writeRunNotFound(w http.ResponseWriter) {
	writeError(w, http.StatusNotFound, "Evaluation run not found", "NOT_FOUND")
}

// writeCannot answers like Express's final handler: 404 text/plain
// "Cannot GET /path".
func writeCannot(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusNotFound)
	_, _ = fmt.Fprintf(w, "Cannot %s %s", r.Method, r.URL.Path)
}

// errorCodeFor names the errorCode the service uses for a status.
func errorCodeFor(status int) string {
	switch {
	case status == http.StatusServiceUnavailable:
		return "SERVICE_UNAVAILABLE"
	case status >= 500:
		return "INTERNAL_SERVER_ERROR"
	case status == http.StatusTooManyRequests:
		return "RATE_LIMITED"
	case status == http.StatusNotFound:
		return "NOT_FOUND"
	case status == http.StatusUnauthorized:
		return "UNAUTHORIZED"
	case status == http.StatusForbidden:
		return "FORBIDDEN"
	}
	return "BAD_REQUEST"
}
