package honeyhive

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Operation names what a request was for.
type Operation string

const (
	// OperationSummary is GetRunSummary.
	OperationSummary Operation = "summary"
	// OperationComparison is CompareRuns.
	OperationComparison Operation = "comparison"
	// OperationRun is GetRun: the run object.
	OperationRun Operation = "object"
	// OperationList is FindRuns: a page of GET /v1/runs.
	OperationList Operation = "list"
)

// ErrorKind classifies an APIError.
type ErrorKind int

const (
	// KindHTTPStatus is an HTTP error status not covered by a kind below
	// (5xx after the retries, 501, 405, 429 after the retries, ...).
	KindHTTPStatus ErrorKind = iota
	// KindUnauthorized is a 401 or 403: the key was rejected.
	KindUnauthorized
	// KindNotFound is a 404 whose body is the API's JSON error: unknown run.
	KindNotFound
	// KindBadRequest is a 400 (bad parameters; some deployments also answer it
	// for an unknown run).
	KindBadRequest
	// KindRouteNotFound means the server has neither the current route nor its
	// deprecated alias: it answered 404 with something other than the API's
	// JSON error for both. Usually a wrong server URL.
	KindRouteNotFound
	// KindInvalidBody is a 2xx whose body does not decode.
	KindInvalidBody
	// KindTooLarge is a response larger than the configured limit.
	KindTooLarge
	// KindTransport is a failure without a usable HTTP response: connection
	// refused or reset, a body cut short, the per-attempt timeout, TLS errors.
	KindTransport
	// KindRetryAfterTooLong is a 429 or 5xx whose Retry-After asks for a longer
	// wait than MaxRetryAfter.
	KindRetryAfterTooLong
	// KindWrongRun is a 2xx whose body names another run than the one asked
	// for (a summary's run_object.run_id, a run object's run_id, a
	// comparison's new_run or old_run): a proxy or cache answering with
	// another run's response. BodyRunID and BodyOldRunID say which.
	KindWrongRun
)

// APIError is the error GetRunSummary and CompareRuns return for every failure
// of the exchange with the server (failures before any request, such as an
// empty run ID, and context cancellation are plain errors). Its Error text is
// meant for the person running Terraform and never contains the API key; the
// fields let callers decide what to do.
type APIError struct {
	Kind      ErrorKind
	Operation Operation
	// RunID is the run of a summary, or the new run of a comparison.
	RunID string
	// OldRunID is the old (baseline) run of a comparison; empty for a summary.
	OldRunID string

	Method    string
	ServerURL string
	// ServerSource and KeySource say where the server URL and the API key
	// came from (Config.ServerURLSource, Config.APIKeySource), so that the
	// text names what to check; empty when unknown.
	ServerSource, KeySource string
	// ProjectID is the project whose routes were read with a data-plane key,
	// "" on the classic routes; ProjectSource says where it came from.
	ProjectID, ProjectSource string
	// Route is the escaped request path below ServerURL, without the query,
	// of the last request made (e.g. "/v1/runs/abc/summary").
	Route string
	// Query is the raw query string of that request ("" when none).
	Query string
	// TriedRoutes lists every route requested, in order, when the client fell
	// back to a deprecated alias.
	TriedRoutes []string

	// StatusCode is the last HTTP status, 0 when there was no response.
	StatusCode int
	// Message and ErrorCode are the server's, when the body was its JSON error.
	Message   string
	ErrorCode string
	// ContentType and Excerpt describe a body that was not the API's JSON
	// error (or that failed to decode): a short, whitespace-collapsed excerpt
	// with HTML tags removed.
	ContentType string
	Excerpt     string
	// BodyBytes is how many body bytes were read.
	BodyBytes int
	// Limit is the response size limit, for KindTooLarge.
	Limit int64
	// RetryAfter is the wait the server asked for, when it sent Retry-After.
	RetryAfter time.Duration
	// RequestTimeout is the per-attempt timeout, reported for timeouts.
	RequestTimeout time.Duration

	// Attempts is the number of HTTP requests made, over Elapsed.
	Attempts int
	Elapsed  time.Duration
	// Retryable reports whether the last failure was of a kind the client
	// retries (so Attempts > 1 means it gave up).
	Retryable bool
	// Timeout reports that the last attempt hit the per-attempt timeout.
	Timeout bool

	// BodyRunID and BodyOldRunID are, for KindWrongRun, the run IDs the body
	// named instead of RunID and OldRunID ("" for a run it named rightly or
	// not at all).
	BodyRunID, BodyOldRunID string

	// Err is the underlying error: the transport error, or the decoder's.
	Err error

	// nextWait is set when the client gave up because the next wait would
	// pass the context's deadline.
	nextWait time.Duration
	// names name the caller's settings in the text.
	names Names
}

// Unwrap returns the underlying transport or decoding error.
func (e *APIError) Unwrap() error { return e.Err }

// Summary is a short title for the error, for a diagnostic's summary line.
func (e *APIError) Summary() string {
	switch e.Kind {
	case KindUnauthorized:
		return "HoneyHive rejected the API key"
	case KindNotFound:
		return "HoneyHive run not found, or the API key cannot see it"
	case KindBadRequest:
		return "HoneyHive rejected the request"
	case KindRouteNotFound:
		return "HoneyHive API route not found: wrong server URL?"
	case KindInvalidBody:
		return "Invalid response from HoneyHive"
	case KindTooLarge:
		return "HoneyHive response too large"
	case KindTransport:
		return "Could not reach HoneyHive"
	case KindWrongRun:
		return "HoneyHive answered with another run's data"
	default:
		return "HoneyHive API error"
	}
}

// BadKeyAnswers404 explains why a 404 may be the API key's fault, for
// messages about a 404 (since about 2026-09-22 HoneyHive answers a bad key
// with the 404 of an unknown run).
const BadKeyAnswers404 = "HoneyHive answers 404, not 401 or 403, for a key that is invalid, revoked or expired, " +
	"or that has no access to the project"

// DataPlaneKeyAnswers404 explains a 404 from a project route: HoneyHive
// answers it for an unknown run and for a data-plane key that cannot read it.
const DataPlaneKeyAnswers404 = "a data-plane key carries the permissions chosen when it was created, and reading " +
	"a project's experiment runs needs them; HoneyHive answers 404, not 401 or 403, for a key without them, and for a " +
	"key that is invalid, revoked or expired, or rooted at another project, workspace or organisation"

// projectNotFound writes the text of a 404 from a project route.
func (e *APIError) projectNotFound(b *strings.Builder, who, check, them string) {
	either := "no such run exists in this project"
	if e.isComparison() {
		either = "one of the runs does not exist in this project"
	}
	fmt.Fprintf(b, "%s not found in HoneyHive project %q on server %s (%s from %s): %s%s. "+
		"On a project route this means either that %s, or that the data-plane key cannot read %s: %s. "+
		"Check %s and the project ID (from %s; %s); and that %s holds a current data-plane key of this deployment "+
		"with permission to read the project's runs",
		who, e.ProjectID, e.ServerURL, statusText(e.StatusCode), e.RequestLine(), e.said(), e.attemptsNote(),
		either, them, DataPlaneKeyAnswers404, check, e.names.ProjectSource(e.ProjectSource), ProjectIDWhere,
		e.names.dataPlaneKeySource(e.KeySource))
}

// Answer is the server's answer in words, such as
// `HTTP 404 Not Found (server said "Evaluation run not found", error code NOT_FOUND)`,
// or the cause of a failure without an answer.
func (e *APIError) Answer() string {
	if e.Kind == KindTransport {
		return e.transportCause()
	}
	return statusText(e.StatusCode) + " (" + e.said() + ")"
}

// isComparison reports whether the request was about two runs.
func (e *APIError) isComparison() bool {
	return e.Operation == OperationComparison || e.OldRunID != ""
}

// subject is what was being fetched: `the summary of run "x"`.
func (e *APIError) subject() string {
	if e.isComparison() {
		return fmt.Sprintf("the comparison of run %q with run %q", e.RunID, e.OldRunID)
	}
	if e.Operation == OperationRun {
		return fmt.Sprintf("the run object of run %q", e.RunID)
	}
	if e.Operation == OperationList {
		return "the list of runs"
	}
	return fmt.Sprintf("the summary of run %q", e.RunID)
}

// RequestLine is the last request made, such as
// "GET /v1/runs/x/summary?aggregate_function=average".
func (e *APIError) RequestLine() string {
	method := e.Method
	if method == "" {
		method = http.MethodGet
	}
	if e.Query != "" {
		return method + " " + e.Route + "?" + e.Query
	}
	return method + " " + e.Route
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("HTTP %d %s", code, t)
	}
	return fmt.Sprintf("HTTP %d", code)
}

// said describes the server's answer: its JSON message, or the body's type and excerpt.
func (e *APIError) said() string {
	switch {
	case e.Message != "" && e.ErrorCode != "":
		return fmt.Sprintf("server said %q, error code %s", e.Message, e.ErrorCode)
	case e.Message != "":
		return fmt.Sprintf("server said %q", e.Message)
	case e.ErrorCode != "":
		return "error code " + e.ErrorCode
	}
	return e.bodyDescription()
}

func (e *APIError) bodyDescription() string {
	switch {
	case e.Excerpt != "":
		return fmt.Sprintf("%s body: %q", e.contentType(), e.Excerpt)
	case e.BodyBytes == 0:
		return "empty body"
	default:
		return fmt.Sprintf("%s body of %d bytes", e.contentType(), e.BodyBytes)
	}
}

func (e *APIError) contentType() string {
	if e.ContentType == "" {
		return "no content type"
	}
	return e.ContentType
}

// attemptsNote tells how many attempts were made and over how long.
func (e *APIError) attemptsNote() string {
	switch {
	case e.nextWait > 0:
		return fmt.Sprintf("; gave up after %s over %s, because the next retry (in %s) would start after the operation's deadline",
			plural(e.Attempts, "attempt"), roundDuration(e.Elapsed), roundDuration(e.nextWait))
	case e.Attempts > 1 && e.Retryable:
		return fmt.Sprintf("; gave up after %s over %s", plural(e.Attempts, "attempt"), roundDuration(e.Elapsed))
	case e.Attempts > 1:
		return fmt.Sprintf(" (after %s over %s)", plural(e.Attempts, "attempt"), roundDuration(e.Elapsed))
	}
	return ""
}

func (e *APIError) Error() string {
	var b strings.Builder
	switch e.Kind {
	case KindUnauthorized:
		fmt.Fprintf(&b, "HoneyHive rejected the API key for %s %s (%s from %s, fetching %s): %s%s. "+
			"An API key belongs to one HoneyHive deployment: check that %s is a key issued by the deployment at %s",
			e.names.ServerURL, e.ServerURL, statusText(e.StatusCode), e.RequestLine(), e.subject(), e.said(), e.attemptsNote(),
			e.names.KeySource(e.KeySource), e.names.ServerURLSource(e.ServerSource))
	case KindNotFound:
		who, check, created, them := fmt.Sprintf("run %q was", e.RunID), "the run ID", "the run was", "it"
		either := "no such run exists on this deployment"
		if e.isComparison() {
			who, check, created, them = fmt.Sprintf("run %q or run %q was", e.RunID, e.OldRunID), "both run IDs", "the runs were", "them"
			either = "one of the runs does not exist on this deployment"
		}
		if e.ProjectID != "" {
			e.projectNotFound(&b, who, check, them)
			break
		}
		fmt.Fprintf(&b, "%s not found on HoneyHive server %s (%s from %s): %s%s. "+
			"Either %s, or the API key cannot see %s: %s. "+
			"Check %s; that %s holds a current key of this deployment with access to the project; and that %s "+
			"is the deployment %s created on",
			who, e.ServerURL, statusText(e.StatusCode), e.RequestLine(), e.said(), e.attemptsNote(),
			either, them, BadKeyAnswers404, check, e.names.KeySource(e.KeySource), e.names.ServerURLSource(e.ServerSource), created)
	case KindBadRequest:
		fmt.Fprintf(&b, "HoneyHive rejected the request for %s (%s from %s on %s): %s%s. "+
			"Check the run ID (some deployments answer 400 for a run they do not know) and %s",
			e.subject(), statusText(e.StatusCode), e.RequestLine(), e.ServerURL, e.said(), e.attemptsNote(), e.names.AggregateFunction)
	case KindRouteNotFound:
		routes := e.TriedRoutes
		if len(routes) == 0 {
			routes = []string{e.Route}
		}
		if len(routes) >= 2 {
			fmt.Fprintf(&b, "HoneyHive server %s has neither GET %s nor GET %s: both answered HTTP 404 with something other than a HoneyHive API error (last: %s)",
				e.ServerURL, routes[0], routes[1], e.bodyDescription())
		} else {
			fmt.Fprintf(&b, "HoneyHive server %s has no GET %s: it answered HTTP 404 with something other than a HoneyHive API error (%s)",
				e.ServerURL, routes[0], e.bodyDescription())
		}
		fmt.Fprintf(&b, ", fetching %s. Is %s the URL of the HoneyHive API (for example %s)?",
			e.subject(), e.names.ServerURLSource(e.ServerSource), DefaultServerURL)
		if e.ProjectID != "" {
			fmt.Fprintf(&b, " If it is, this deployment may not serve the project run routes (/v1/projects/{project_id}/runs...) "+
				"yet: read it with a classic project key in %s, without %s", e.names.APIKey, e.names.DataPlaneAPIKey)
		}
	case KindInvalidBody:
		fmt.Fprintf(&b, "HoneyHive server %s answered %s (%s) with %s, but the body is not a valid run %s: %v",
			e.ServerURL, e.RequestLine(), e.subject(), statusText(e.StatusCode), e.Operation, e.Err)
		if e.BodyBytes > 0 {
			fmt.Fprintf(&b, " (%s, %d bytes: %q)", e.contentType(), e.BodyBytes, e.Excerpt)
		}
	case KindWrongRun:
		fmt.Fprintf(&b, "HoneyHive server %s answered %s (%s) with %s, but the body is about another run: %s. "+
			"Something between this client and HoneyHive (a proxy or a cache that ignores the path), or the server "+
			"itself, answered with another run's response; it was not used. Check that %s is the URL of the HoneyHive "+
			"API itself, and that nothing in front of it caches responses",
			e.ServerURL, e.RequestLine(), e.subject(), statusText(e.StatusCode), e.wrongRuns(), e.names.ServerURLSource(e.ServerSource))
	case KindTooLarge:
		fmt.Fprintf(&b, "response from %s exceeds the %s limit (fetching %s from HoneyHive server %s)",
			e.RequestLine(), formatBytes(e.Limit), e.subject(), e.ServerURL)
	case KindTransport:
		fmt.Fprintf(&b, "fetching %s from HoneyHive server %s failed: %s: %s%s",
			e.subject(), e.ServerURL, e.RequestLine(), e.transportCause(), e.attemptsNote())
	case KindRetryAfterTooLong:
		fmt.Fprintf(&b, "fetching %s from HoneyHive server %s failed: %s from %s (%s), and the server asked to retry after %s, longer than this client waits (%s); try again later%s",
			e.subject(), e.ServerURL, statusText(e.StatusCode), e.RequestLine(), e.said(), roundDuration(e.RetryAfter), MaxRetryAfter, e.attemptsNote())
	default:
		fmt.Fprintf(&b, "fetching %s from HoneyHive server %s failed: %s from %s (%s)%s",
			e.subject(), e.ServerURL, statusText(e.StatusCode), e.RequestLine(), e.said(), e.attemptsNote())
	}
	return b.String()
}

// wrongRuns says, for KindWrongRun, which run was asked for and which one the
// body is: `asked for run "a", the body is run "b" (its run_object.run_id)`.
func (e *APIError) wrongRuns() string {
	var parts []string
	switch e.Operation {
	case OperationComparison:
		if e.BodyRunID != "" {
			parts = append(parts, fmt.Sprintf("asked for new run %q, the body's new run is %q (its new_run.run_id)", e.RunID, e.BodyRunID))
		}
		if e.BodyOldRunID != "" {
			parts = append(parts, fmt.Sprintf("asked for old run %q, the body's old run is %q (its old_run.run_id)", e.OldRunID, e.BodyOldRunID))
		}
	case OperationRun:
		parts = append(parts, fmt.Sprintf("asked for run %q, the body is run %q (its evaluation.run_id)", e.RunID, e.BodyRunID))
	default:
		parts = append(parts, fmt.Sprintf("asked for run %q, the body is run %q (its run_object.run_id)", e.RunID, e.BodyRunID))
	}
	return strings.Join(parts, "; ")
}

func (e *APIError) transportCause() string {
	if e.Timeout {
		if e.StatusCode != 0 {
			return fmt.Sprintf("%s, but the body did not arrive within the per-attempt request timeout of %s", statusText(e.StatusCode), e.RequestTimeout)
		}
		return fmt.Sprintf("no response within the per-attempt request timeout of %s", e.RequestTimeout)
	}
	if e.Err == nil {
		return "connection failed"
	}
	return e.Err.Error()
}

// AsAPIError returns the *APIError in err's chain.
func AsAPIError(err error) (*APIError, bool) {
	var e *APIError
	ok := errors.As(err, &e)
	return e, ok
}

// IsNotFound reports whether err says the run (or one of the compared runs) is
// unknown: a JSON 404, or a 400 whose server message says "not found" or
// "does not exist" (some deployments answer 400 for unknown runs).
func IsNotFound(err error) bool {
	e, ok := AsAPIError(err)
	if !ok {
		return false
	}
	if e.Kind == KindNotFound {
		return true
	}
	if e.Kind == KindBadRequest {
		m := strings.ToLower(e.Message)
		return strings.Contains(m, "not found") || strings.Contains(m, "does not exist")
	}
	return false
}

// IsRetryable reports whether err is a failure the client retries (connection
// errors, timeouts, 408, 429, 5xx but 501), i.e. one worth trying again later.
func IsRetryable(err error) bool {
	e, ok := AsAPIError(err)
	return ok && (e.Retryable || e.Kind == KindRetryAfterTooLong)
}

// plural is n with its word: "1 attempt", "3 attempts".
func plural(n int, word string) string {
	return fmt.Sprintf("%d %s", n, pluralWord(n, word))
}

// roundDuration rounds d to a readable precision.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(time.Millisecond)
	default:
		return d.Round(time.Microsecond)
	}
}

// formatBytes prints n in the largest binary unit that divides it exactly.
func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d-byte", n)
	}
}
