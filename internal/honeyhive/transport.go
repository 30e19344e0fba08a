package honeyhive

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"time"
)

// attemptResult is the outcome of one HTTP request; fetchRoute returns it
// only when it is a complete 2xx response.
type attemptResult struct {
	route         string
	status        int // 0 when no response arrived
	header        http.Header
	contentType   string
	contentLength int64
	body          []byte
	err           error // transport error, or failure reading the body
	timeout       bool  // the per-attempt timeout expired
	tooLarge      bool
}

func (r *attemptResult) success() bool {
	return r.err == nil && !r.tooLarge && r.status >= 200 && r.status < 300
}

// errRedirectPolicy marks errors of the default client's redirect policy.
var errRedirectPolicy = errors.New("redirect refused")

// fetchRoute GETs one route, retrying what is worth retrying.
func (c *Client) fetchRoute(ctx context.Context, cl *call, route string) (*attemptResult, error) {
	for try := 1; ; try++ {
		if err := ctx.Err(); err != nil {
			return nil, c.interrupted(ctx, cl)
		}
		cl.attempts++
		res := c.attempt(ctx, cl, route, try)
		if res.success() {
			return &res, nil
		}
		if ctx.Err() != nil {
			return nil, c.interrupted(ctx, cl)
		}
		e := c.failure(cl, &res)
		if !e.Retryable || try > c.cfg.MaxRetries || (cl.maxAttempts > 0 && cl.attempts >= cl.maxAttempts) {
			return nil, e
		}
		wait := c.backoff(try)
		if res.status != 0 {
			if ra, ok := parseRetryAfter(res.header.Get("Retry-After"), time.Now()); ok {
				e.RetryAfter = ra
				if ra > c.maxRetryAfter {
					e.Kind = KindRetryAfterTooLong
					return nil, e
				}
				if ra >= wait {
					// Clients given the same Retry-After come back together and
					// collide again: spread them by up to one minimum wait.
					wait = ra + rand.N(c.waitMin+1)
				}
			}
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			e.nextWait = wait
			return nil, e
		}
		c.debug(ctx, "HoneyHive API request failed; retrying", map[string]any{
			"attempt":     cl.attempts,
			"retry":       try,
			"max_retries": c.cfg.MaxRetries,
			"wait":        wait.String(),
			"retry_after": e.RetryAfter.String(),
			"reason":      e.Answer(),
		})
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, c.interrupted(ctx, cl)
		case <-t.C:
		}
	}
}

// interrupted is the error for a cancelled or expired context.
func (c *Client) interrupted(ctx context.Context, cl *call) error {
	return fmt.Errorf("fetching %s from HoneyHive server %s: stopped after %s over %s: %w",
		cl.subject(), RedactURL(c.cfg.ServerURL), plural(cl.attempts, "attempt"), roundDuration(time.Since(cl.start)), ctx.Err())
}

// attempt makes one request and reads the whole body, within the per-attempt
// timeout.
func (c *Client) attempt(ctx context.Context, cl *call, route string, try int) (res attemptResult) {
	res.route = route
	actx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()

	path := route
	if cl.query != "" {
		path += "?" + cl.query
	}
	// The log shows the server URL redacted, and the route and query this client
	// built (the page, the filters) as they are.
	shown := RedactURL(c.cfg.ServerURL) + path
	req, err := http.NewRequestWithContext(actx, http.MethodGet, c.cfg.ServerURL+path, nil)
	if err != nil {
		res.err = err
		return res
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	req.Header.Set("Accept", "application/json")
	if c.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	}

	c.debug(ctx, "HoneyHive API request", map[string]any{
		"method":          req.Method,
		"url":             shown,
		"attempt":         cl.attempts,
		"try":             try,
		"max_attempts":    c.cfg.MaxRetries + 1,
		"request_headers": redactHeaders(req.Header),
	})

	start := time.Now()
	defer func() {
		fields := map[string]any{
			"method":         req.Method,
			"url":            shown,
			"attempt":        cl.attempts,
			"status_code":    res.status,
			"content_length": res.contentLength,
			"bytes_read":     len(res.body),
			"content_type":   res.contentType,
			"duration":       time.Since(start).String(),
			"duration_ms":    time.Since(start).Milliseconds(),
		}
		if res.err != nil {
			fields["error"] = redactor(c.cfg.APIKey).String(res.err.Error())
			fields["timeout"] = res.timeout
		}
		if res.tooLarge {
			fields["error"] = "response exceeds the size limit"
		}
		if res.status != 0 && !res.success() && len(res.body) > 0 {
			fields["body_excerpt"] = redactor(c.cfg.APIKey).String(excerpt(res.body, res.contentType))
		}
		c.debug(ctx, "HoneyHive API response", fields)
	}()

	resp, err := c.httpClient.Do(req)
	if err != nil {
		res.err = err
		res.timeout = attemptTimedOut(ctx, actx)
		return res
	}
	defer resp.Body.Close()
	res.status = resp.StatusCode
	res.header = resp.Header
	res.contentType = mediaType(resp.Header.Get("Content-Type"))
	res.contentLength = resp.ContentLength

	limit := c.maxResponseBytes
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	if !ok {
		// Error bodies are only read for the JSON error or an excerpt.
		limit = min(limit, errorBodyLimit)
	}
	if ok && resp.ContentLength > limit {
		res.tooLarge = true
		return res
	}
	body, err := readBody(resp.Body, resp.ContentLength, limit)
	res.body = body
	switch {
	case err != nil:
		res.err = fmt.Errorf("reading the body of the HTTP %d response: %w", resp.StatusCode, err)
		res.timeout = attemptTimedOut(ctx, actx)
	case int64(len(body)) > limit && ok:
		res.tooLarge = true
	case int64(len(body)) > limit:
		res.body = body[:limit]
	}
	return res
}

// readBody reads at most limit+1 bytes of a body. With a length the server
// announced within the limit, into one buffer of that size: a summary of
// 10,000 datapoints is 7 MiB, which io.ReadAll would grow to by doubling,
// copying and discarding twice as much.
func readBody(r io.Reader, length, limit int64) ([]byte, error) {
	if length <= 0 || length > limit {
		return io.ReadAll(io.LimitReader(r, limit+1))
	}
	body := make([]byte, length)
	n, err := io.ReadFull(r, body)
	return body[:n], err
}

// attemptTimedOut reports whether the attempt's own timeout (not the caller's
// context) ended it.
func attemptTimedOut(parent, attempt context.Context) bool {
	return parent.Err() == nil && errors.Is(attempt.Err(), context.DeadlineExceeded)
}

func redactHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if http.CanonicalHeaderKey(k) == "Authorization" {
			out[k] = "Bearer " + redactedMark
			continue
		}
		if len(v) > 0 {
			out[k] = v[0]
		}
	}
	return out
}

// failure turns a failed attempt into an APIError, deciding whether it is
// worth retrying.
func (c *Client) failure(cl *call, res *attemptResult) *APIError {
	red := redactor(c.cfg.APIKey)
	e := c.answerError(KindHTTPStatus, cl, res)
	e.RequestTimeout, e.Timeout = c.cfg.RequestTimeout, res.timeout
	switch {
	case res.err != nil:
		e.Kind = KindTransport
		e.Err = red.Error(transportCause(res.err))
		e.Retryable = res.timeout || retryableTransportError(res.err)
		return e
	case res.tooLarge:
		e.Kind = KindTooLarge
		e.Limit = c.maxResponseBytes
		return e
	}

	parsed := parseErrorBody(res.body)
	e.Message = red.String(parsed.message)
	e.ErrorCode = red.String(parsed.errorCode)
	switch code := res.status; {
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		e.Kind = KindUnauthorized
	case code == http.StatusNotFound && isMissingRoute(parsed):
		e.Kind = KindRouteNotFound
	case code == http.StatusNotFound:
		e.Kind = KindNotFound
	case code == http.StatusBadRequest:
		e.Kind = KindBadRequest
	default:
		e.Retryable = retryableStatus(code)
	}
	if !parsed.isAPI || e.Kind == KindRouteNotFound {
		e.Excerpt = red.String(excerpt(res.body, res.contentType))
	}
	return e
}

// retryableStatus: 408, 429 and 5xx except 501 Not Implemented.
func retryableStatus(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusTooManyRequests ||
		(code >= 500 && code <= 599 && code != http.StatusNotImplemented)
}

// retryableTransportError reports whether a transport failure may go away on
// its own. Certificate problems, an unknown host name, a refused redirect and
// an http server behind an https URL will not.
func retryableTransportError(err error) bool {
	var (
		certErr     *tls.CertificateVerificationError
		unknownAuth x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalidCert x509.CertificateInvalidError
		recordErr   tls.RecordHeaderError
		dnsErr      *net.DNSError
	)
	switch {
	case errors.Is(err, errRedirectPolicy),
		errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr),
		errors.As(err, &invalidCert), errors.As(err, &recordErr):
		return false
	case errors.As(err, &dnsErr):
		return !dnsErr.IsNotFound
	}
	var ue *url.Error
	if errors.As(err, &ue) && ue.Op == "parse" {
		return false
	}
	return true
}

// transportCause drops the *url.Error wrapper, which repeats the method and
// URL the APIError already states.
func transportCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

// backoff returns the wait before retry number n (1-based): a ceiling doubling
// from waitMin up to waitMax, with "equal jitter" (half the ceiling fixed,
// half random), and never below waitMin.
func (c *Client) backoff(n int) time.Duration {
	ceiling := c.waitMin
	for i := 1; i < n && ceiling < c.waitMax; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, c.waitMax)
	half := ceiling / 2
	return max(half+rand.N(ceiling-half+1), c.waitMin)
}
