package honeyhive

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// routeList is GET /v1/runs, which has no deprecated alias.
const routeList routeKind = "list"

const (
	// MaxListPageSize is the largest page GET /v1/runs serves: its limit
	// parameter is 1–100.
	MaxListPageSize = 100
	// TotalUnknown is the total a listing reports when it cannot know it:
	// the server sent no pagination and the listing stopped at maxResults,
	// or a metadata scan stopped before the end of the server's list.
	TotalUnknown = -1
	// DefaultScanLimit is the scan limit of a metadata filter when none is
	// given: ten pages of 100 runs.
	DefaultScanLimit = 1000
	// MaxListRequests is the most HTTP requests one listing makes, every
	// attempt counted (retries included: each costs the server and the runner
	// as much as a page). The largest scan the provider allows, 10,000 runs,
	// takes 100 pages of 100; the rest leaves room for retries. A listing that
	// reaches it stops with what it has (RunListing.CutShort).
	MaxListRequests = 200
)

// ListCutoff says why a listing stopped while the server still announced
// more runs, leaving a result that may be incomplete.
type ListCutoff int

const (
	// ListNotCut: the listing ended as the server and the limits say (the
	// server's last page, MaxResults runs, or the scan limit).
	ListNotCut ListCutoff = iota
	// ListStalled: a page brought no run that an earlier page had not
	// brought, yet the server announced another. A server that serves the
	// same page again and again would otherwise be read without end.
	ListStalled
	// ListPageCap: the server still announced more pages after as many as
	// MaxResults (or the scan limit) needs, plus one.
	ListPageCap
	// ListRequestBudget: the listing made MaxListRequests requests.
	ListRequestBudget
)

// Reason says in words why the listing stopped, completing "the provider
// stopped because ...".
func (c ListCutoff) Reason(pages int) string {
	switch c {
	case ListStalled:
		return fmt.Sprintf("page %d brought no run that the earlier pages had not, though the server announced more pages", pages)
	case ListPageCap:
		return fmt.Sprintf("the server still announced more pages after %d, more than the runs asked for take", pages)
	case ListRequestBudget:
		return fmt.Sprintf("it reached the budget of %d requests per read", MaxListRequests)
	}
	return "the list ended"
}

// ListLimits bound a listing.
type ListLimits struct {
	// MaxResults is the largest number of runs returned; at least 1.
	MaxResults int
	// ScanLimit is, with a metadata filter, the largest number of runs read
	// from the server and checked against it; 0 means DefaultScanLimit.
	// Ignored without a metadata filter.
	ScanLimit int
}

// RunListing is what FindRuns found.
type RunListing struct {
	// Runs are the matching runs in the server's order, at most MaxResults;
	// never nil.
	Runs []models.Run
	// Total is the number of runs matching the query. Without a metadata
	// filter it is the server's count (pagination.total of the last page
	// read), before MaxResults; without pagination, the number of runs read
	// when the listing ended, and TotalUnknown when it stopped at MaxResults.
	// With a metadata filter it is the number of matches when every run the
	// server listed was checked (the scan reached the end of the list), and
	// TotalUnknown when the scan stopped before: only the server knows how
	// many runs it has, not how many of them match.
	Total int
	// Scanned is, with a metadata filter, the number of runs read and checked
	// against it (runs repeated by a shifting listing not counted); 0 without.
	Scanned int
	// ScanLimitReached is true when the scan stopped at the scan limit with
	// fewer than MaxResults matches while the server had runs left: more
	// matches may exist. Runs holds the matches among the runs scanned, which
	// are the first ones in the server's order.
	ScanLimitReached bool
	// Pages is the number of pages read; Requests the number of HTTP requests
	// made for them, retries included (at most MaxListRequests).
	Pages, Requests int
	// CutShort says why the listing stopped while the server announced more
	// runs (ListNotCut when it did not): Runs holds those read, more may
	// exist, and Total is TotalUnknown.
	CutShort ListCutoff
}

// FindRuns lists up to limits.MaxResults run objects matching q, in the
// server's order, walking GET /v1/runs page by page (page is 1-based). Every
// page is asked for with the same limit, so that pages never overlap or leave
// gaps: min(100, MaxResults), or with a metadata filter min(100, ScanLimit),
// since most runs read may not match. It stops when it has MaxResults runs
// (a metadata scan still checks the rest of the page in hand, to count the
// matches), after ScanLimit runs were checked against a metadata filter, when
// the server says there is no next page (has_next, else total_pages), at an
// empty page, and, when the server sends no pagination, at a page shorter than
// asked. A run ID seen on an earlier page is skipped: runs created while the
// pages are read shift the later ones. No matching run is an empty result, not
// an error.
//
// A server that keeps announcing more pages is cut off, and the listing says
// so (RunListing.CutShort, with Total unknown): at a page that brings no run
// not seen before, after one page more than the limits need (more if it
// reports a smaller limit than asked), and at MaxListRequests requests,
// retries included. A page whose retries would pass that budget fails with
// its last error.
//
// A 400, and a JSON 404, are *ListRunsError (wrapping the *APIError); other
// failures are *APIError, with Operation OperationList; a cancelled or
// expired ctx gives an error wrapping ctx.Err().
func (c *Client) FindRuns(ctx context.Context, q ListRunsQuery, limits ListLimits) (*RunListing, error) {
	maxResults := limits.MaxResults
	if maxResults < 1 {
		return nil, fmt.Errorf("cannot list HoneyHive runs: the maximum number of results is %d; it must be at least 1", maxResults)
	}
	if q.RunIDs != nil && len(q.RunIDs) == 0 {
		return &RunListing{Runs: []models.Run{}}, nil
	}
	filtering := len(q.Metadata) > 0
	// toRead is how many runs the listing may need to read.
	toRead := maxResults
	if filtering {
		toRead = limits.ScanLimit
		if toRead == 0 {
			toRead = DefaultScanLimit
		}
		if toRead < 1 {
			return nil, fmt.Errorf("cannot list HoneyHive runs: the scan limit is %d; it must be at least 1", toRead)
		}
	}
	pageSize := min(MaxListPageSize, toRead)
	maxPages := pagesFor(toRead, pageSize) + 1
	base := q.values()

	l := &RunListing{Runs: make([]models.Run, 0, min(pageSize, maxResults)), Total: TotalUnknown}
	seen := make(map[string]bool)
	matched, duplicates := 0, 0
	page := 1
	for ; ; page++ {
		if l.Requests >= MaxListRequests {
			l.CutShort = ListRequestBudget
			break
		}
		list, used, err := c.listPage(ctx, base, page, pageSize, MaxListRequests-l.Requests)
		l.Requests += used
		if err != nil {
			if l.Requests >= MaxListRequests && IsRetryable(err) {
				return nil, fmt.Errorf("%w. The listing stopped retrying page %d at its budget of %d requests per read "+
					"(%d pages read before it)", err, page, MaxListRequests, page-1)
			}
			return nil, err
		}
		l.Pages = page
		p := list.Pagination
		if !filtering && p != nil && p.Total != nil {
			l.Total = *p.Total
		}
		limitHit := false
		fresh := 0 // runs this page brought that no earlier page did
		for _, r := range list.Runs {
			if r.RunID != "" {
				if seen[r.RunID] {
					duplicates++
					continue
				}
				seen[r.RunID] = true
			}
			fresh++
			if filtering {
				if l.Scanned == toRead {
					limitHit = true // a run is left unchecked
					break
				}
				l.Scanned++
				if !q.Metadata.Matches(r) {
					continue
				}
			}
			matched++
			if len(l.Runs) < maxResults {
				l.Runs = append(l.Runs, r)
			}
		}
		more := morePages(p, page, len(list.Runs), pageSize)
		if filtering {
			if !more && !limitHit {
				l.Total = matched // every run listed was checked
				break
			}
			if len(l.Runs) >= maxResults {
				break
			}
			if limitHit || l.Scanned == toRead {
				l.ScanLimitReached = true
				break
			}
		} else {
			if len(l.Runs) >= maxResults {
				break
			}
			if !more {
				if l.Total == TotalUnknown {
					l.Total = len(l.Runs)
				}
				break
			}
		}
		if fresh == 0 {
			// The server announces more, but this page repeated earlier ones.
			l.CutShort = ListStalled
			break
		}
		if p != nil && p.Limit != nil && *p.Limit > 0 && *p.Limit < pageSize {
			// The server serves smaller pages than asked: allow as many as that takes.
			maxPages = max(maxPages, pagesFor(toRead, *p.Limit)+1)
		}
		if page >= maxPages {
			l.CutShort = ListPageCap
			break
		}
	}
	if l.CutShort != ListNotCut {
		// What was read may not be all there is: no count may say it is.
		l.Total = TotalUnknown
		c.debug(ctx, "HoneyHive run list cut short", map[string]any{
			"pages": l.Pages, "requests": l.Requests, "runs": len(l.Runs), "reason": l.CutShort.Reason(l.Pages),
		})
	}
	c.debug(ctx, "HoneyHive run list read", map[string]any{
		"pages": l.Pages, "requests": l.Requests, "runs": len(l.Runs), "total": l.Total, "max_results": maxResults,
		"page_size": pageSize, "duplicates_skipped": duplicates,
		"metadata_filter": filtering, "scanned": l.Scanned, "scan_limit_reached": l.ScanLimitReached,
	})
	return l, nil
}

// pagesFor is ceil(n/size).
func pagesFor(n, size int) int {
	return (n + size - 1) / size
}

// morePages decides from a page whether another one may follow: the server's
// pagination when it sent any, else whether the page was full.
func morePages(p *models.Pagination, page, got, asked int) bool {
	switch {
	case got == 0:
		return false
	case p != nil && p.HasNext != nil:
		return *p.HasNext
	case p != nil && p.TotalPages != nil:
		return page < *p.TotalPages
	case p != nil && p.Total != nil && p.Limit != nil && *p.Limit > 0:
		return page*(*p.Limit) < *p.Total
	}
	return got >= asked
}

// listPage fetches and decodes one page, in at most budget requests; used is
// how many it made.
func (c *Client) listPage(ctx context.Context, base url.Values, page, limit, budget int) (list *models.RunList, used int, err error) {
	v := maps.Clone(base)
	v.Set("page", strconv.Itoa(page))
	v.Set("limit", strconv.Itoa(limit))
	cl := &call{
		op:      OperationList,
		kind:    routeList,
		current: runsPath(c.cfg.ProjectID),
		query:   v.Encode(),

		maxAttempts: budget,
	}
	resp, err := c.fetch(ctx, cl)
	if err != nil {
		return nil, cl.attempts, listError(err, v, limit)
	}
	list, err = models.DecodeRunList(resp.body)
	if err != nil {
		return nil, cl.attempts, c.invalidBody(cl, resp, err)
	}
	return list, cl.attempts, nil
}

// ListRunsError is the error of a GET /v1/runs page that HoneyHive rejected
// (400) or answered with its JSON 404. The *APIError's own text is written for
// requests about one run; this one names the query parameter the server's
// message is about. errors.As and AsAPIError find the *APIError.
type ListRunsError struct {
	// Parameter is the first query parameter sent that the server's message
	// names ("run_ids[]" for the run ID filter, "dateRange" for the created-at
	// bounds), "" when it names none.
	Parameter string
	// Value is what was sent for Parameter: quoted, comma-separated values;
	// for dateRange, $gte = "…", $lte = "…".
	Value string
	// PageSize is the limit sent with every page.
	PageSize int
	// Sent lists the parameters sent, sorted.
	Sent []string
	Err  *APIError
}

// Unwrap returns the *APIError.
func (e *ListRunsError) Unwrap() error { return e.Err }

func (e *ListRunsError) Error() string {
	a := e.Err
	var b strings.Builder
	if a.Kind == KindNotFound && a.ProjectID != "" {
		fmt.Fprintf(&b, "HoneyHive server %s answered %s from %s, fetching %s of project %q: %s%s. "+
			"Listing runs concerns no single run that could be unknown: on a project route this means that the project "+
			"does not exist on this deployment, or that the data-plane key cannot read its runs: %s. Check the project ID "+
			"(from %s; %s), that %s holds a current data-plane key of this deployment with permission to read the "+
			"project's runs, and that %s is the URL of the HoneyHive API (for example %s)",
			a.ServerURL, statusText(a.StatusCode), a.RequestLine(), a.subject(), a.ProjectID, a.said(), a.attemptsNote(),
			DataPlaneKeyAnswers404, a.names.ProjectSource(a.ProjectSource), ProjectIDWhere, a.names.dataPlaneKeySource(a.KeySource),
			a.names.ServerURLSource(a.ServerSource), DefaultServerURL)
		return b.String()
	}
	if a.Kind == KindNotFound {
		fmt.Fprintf(&b, "HoneyHive server %s answered %s from %s, fetching %s: %s%s. "+
			"Listing runs concerns no single run that could be unknown, and HoneyHive answers 404, not 401 or 403, "+
			"for an API key that is invalid, revoked or expired, or that has no access to the project: check that %s "+
			"holds a current key of this deployment, and that %s is the URL of the HoneyHive API (for example %s)",
			a.ServerURL, statusText(a.StatusCode), a.RequestLine(), a.subject(), a.said(), a.attemptsNote(),
			a.names.KeySource(a.KeySource), a.names.ServerURLSource(a.ServerSource), DefaultServerURL)
		return b.String()
	}
	fmt.Fprintf(&b, "HoneyHive rejected the request for %s (%s from %s on %s): %s%s. ",
		a.subject(), statusText(a.StatusCode), a.RequestLine(), a.ServerURL, a.said(), a.attemptsNote())
	switch e.Parameter {
	case "":
		fmt.Fprintf(&b, "The message names none of the parameters sent (%s): check their values in the request above",
			strings.Join(e.Sent, ", "))
	case "dateRange":
		fmt.Fprintf(&b, "It is about the parameter dateRange, sent as %s: check the created-at bounds "+
			"(%s; an open side is sent as %s or %s)",
			e.Value, a.names.CreatedBounds, dateRangeOpenStart.Format(dateRangeLayout), dateRangeOpenEnd.Format(dateRangeLayout))
	case "page", "limit":
		fmt.Fprintf(&b, "It is about the parameter %s, sent as %s, which this client sets itself while paging "+
			"(pages of %d runs, page numbers from 1): this server's paging rules differ from HoneyHive's "+
			"(page at least 1, limit from 1 to %d)", e.Parameter, e.Value, e.PageSize, MaxListPageSize)
	default:
		fmt.Fprintf(&b, "It is about the parameter %s, sent as %s: check that filter or sort setting", e.Parameter, e.Value)
	}
	return b.String()
}

// listError turns a 400 or JSON 404 into a *ListRunsError; other errors pass
// through.
func listError(err error, sent url.Values, pageSize int) error {
	var a *APIError
	if !errors.As(err, &a) || (a.Kind != KindBadRequest && a.Kind != KindNotFound) {
		return err
	}
	e := &ListRunsError{PageSize: pageSize, Sent: slices.Sorted(maps.Keys(sent)), Err: a}
	if a.Kind == KindBadRequest {
		e.Parameter = namedParameter(a.Message, e.Sent)
	}
	if base, _, ok := objectKey(e.Parameter); ok {
		// dateRange[$gte] and dateRange[$lte] are one object parameter.
		var parts []string
		for _, key := range e.Sent {
			if b, s, ok := objectKey(key); ok && b == base {
				parts = append(parts, s+" = "+strconv.Quote(sent.Get(key)))
			}
		}
		e.Parameter, e.Value = base, strings.Join(parts, ", ")
		return e
	}
	if e.Parameter != "" {
		vals := sent[e.Parameter]
		quoted := make([]string, len(vals))
		for i, s := range vals {
			quoted[i] = strconv.Quote(s)
		}
		e.Value = strings.Join(quoted, ", ")
		if e.Parameter == "page" || e.Parameter == "limit" {
			e.Value = strings.Join(vals, ", ")
		}
	}
	return e
}

// objectKey splits a query key in the bracket form of an object's member,
// such as dateRange[$gte], into the parameter and the member; ok is false for
// other keys, arrays (run_ids[]) included.
func objectKey(key string) (base, member string, ok bool) {
	base, rest, found := strings.Cut(key, "[")
	if !found || base == "" || !strings.HasSuffix(rest, "]") || rest == "]" {
		return "", "", false
	}
	return base, strings.TrimSuffix(rest, "]"), true
}

// namedParameter returns the parameter of sent whose name occurs first in
// message as a whole word, ignoring case ("run_ids[]" matches "run_ids",
// "dateRange[$gte]" matches "daterange"), "" when none does.
func namedParameter(message string, sent []string) string {
	msg := strings.ToLower(message)
	best, bestAt := "", len(msg)+1
	for _, key := range sent {
		word, _, _ := strings.Cut(key, "[")
		word = strings.ToLower(word)
		re := regexp.MustCompile(`(^|[^a-z0-9_])` + regexp.QuoteMeta(word) + `($|[^a-z0-9_])`)
		if loc := re.FindStringIndex(msg); loc != nil && loc[0] < bestAt {
			best, bestAt = key, loc[0]
		}
	}
	return best
}
