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
	// TotalUnknown is the total ListRuns reports when the server sent no
	// pagination and the listing stopped at maxResults, before its end.
	TotalUnknown = -1
)

// ListRunsQuery filters and orders GET /v1/runs. Empty strings are not sent
// (the server's defaults apply: every run, newest first by created_at).
// Values are passed through for the server to judge.
type ListRunsQuery struct {
	// Name, DatasetID and Status keep only the runs with that name, dataset ID
	// and status.
	Name      string
	DatasetID string
	Status    string
	// RunIDs keeps only the runs with these IDs, sent as run_ids[]=a&run_ids[]=b.
	// nil means no such filter; an empty, non-nil slice matches no run, so
	// ListRuns answers it without a request.
	RunIDs []string
	// SortBy is created_at, updated_at, name or status; SortOrder asc or desc.
	SortBy    string
	SortOrder string
}

// values is the query without page and limit. Arrays use the bracket form
// the API requires (a bare run_ids=a is rejected); url.Values.Encode sends
// the key as run_ids%5B%5D, which servers decode to run_ids[] before they
// parse the brackets.
func (q ListRunsQuery) values() url.Values {
	v := url.Values{}
	for _, p := range []struct{ key, value string }{
		{"name", q.Name}, {"dataset_id", q.DatasetID}, {"status", q.Status},
		{"sort_by", q.SortBy}, {"sort_order", q.SortOrder},
	} {
		if p.value != "" {
			v.Set(p.key, p.value)
		}
	}
	for _, id := range q.RunIDs {
		v.Add("run_ids[]", id)
	}
	return v
}

// ListRuns lists up to maxResults run objects matching q, in the server's
// order, walking GET /v1/runs page by page (page is 1-based). Every page is
// asked for with the same limit, min(100, maxResults), so that pages never
// overlap or leave gaps; the last one is trimmed. It stops at maxResults, when
// the server says there is no next page (has_next, else total_pages), at an
// empty page, and, when the server sends no pagination, at a page shorter than
// asked. A server that keeps announcing more pages is cut off after
// ceil(maxResults/limit)+1 pages (more if it reports a smaller limit than
// asked). A run ID seen on an earlier page is skipped: runs created while the
// pages are read shift the later ones.
//
// total is the server's count of matching runs (pagination.total of the last
// page read), before maxResults. Without pagination it is the number of runs
// read when the listing ended, and TotalUnknown when it stopped at maxResults.
// No matching run is an empty result, not an error.
//
// A 400, and a JSON 404, are *ListRunsError (wrapping the *APIError); other
// failures are *APIError, with Operation OperationList; a cancelled or
// expired ctx gives an error wrapping ctx.Err().
func (c *Client) ListRuns(ctx context.Context, q ListRunsQuery, maxResults int) (runs []models.Run, total int, err error) {
	if maxResults < 1 {
		return nil, 0, fmt.Errorf("cannot list HoneyHive runs: the maximum number of results is %d; it must be at least 1", maxResults)
	}
	if q.RunIDs != nil && len(q.RunIDs) == 0 {
		return []models.Run{}, 0, nil
	}
	pageSize := min(MaxListPageSize, maxResults)
	maxPages := pagesFor(maxResults, pageSize) + 1
	base := q.values()

	runs = make([]models.Run, 0, pageSize)
	seen := make(map[string]bool)
	total = TotalUnknown
	duplicates := 0
	page := 1
	for ; ; page++ {
		list, err := c.listPage(ctx, base, page, pageSize)
		if err != nil {
			return nil, 0, err
		}
		p := list.Pagination
		if p != nil && p.Total != nil {
			total = *p.Total
		}
		for _, r := range list.Runs {
			if r.RunID != "" {
				if seen[r.RunID] {
					duplicates++
					continue
				}
				seen[r.RunID] = true
			}
			runs = append(runs, r)
		}
		if len(runs) >= maxResults {
			runs = runs[:maxResults]
			break
		}
		if !morePages(p, page, len(list.Runs), pageSize) {
			if total == TotalUnknown {
				total = len(runs)
			}
			break
		}
		if p != nil && p.Limit != nil && *p.Limit > 0 && *p.Limit < pageSize {
			// The server serves smaller pages than asked: allow as many as that takes.
			maxPages = max(maxPages, pagesFor(maxResults, *p.Limit)+1)
		}
		if page >= maxPages {
			c.debug(ctx, "HoneyHive run list: the server still announces more pages; stopping", map[string]any{
				"pages": page, "runs": len(runs), "max_results": maxResults,
			})
			break
		}
	}
	c.debug(ctx, "HoneyHive run list read", map[string]any{
		"pages": page, "runs": len(runs), "total": total, "max_results": maxResults,
		"page_size": pageSize, "duplicates_skipped": duplicates,
	})
	return runs, total, nil
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

// listPage fetches and decodes one page.
func (c *Client) listPage(ctx context.Context, base url.Values, page, limit int) (*models.RunList, error) {
	v := maps.Clone(base)
	v.Set("page", strconv.Itoa(page))
	v.Set("limit", strconv.Itoa(limit))
	cl := &call{
		op:      OperationList,
		kind:    routeList,
		current: "/v1/runs",
		query:   v.Encode(),
	}
	resp, err := c.fetch(ctx, cl)
	if err != nil {
		return nil, listError(err, v, limit)
	}
	list, err := models.DecodeRunList(resp.body)
	if err != nil {
		return nil, c.invalidBody(cl, resp, err)
	}
	return list, nil
}

// ListRunsError is the error of a GET /v1/runs page that HoneyHive rejected
// (400) or answered with its JSON 404. The *APIError's own text is written for
// requests about one run; this one names the query parameter the server's
// message is about. errors.As and AsAPIError find the *APIError.
type ListRunsError struct {
	// Parameter is the first query parameter sent that the server's message
	// names ("run_ids[]" for the run ID filter), "" when it names none.
	Parameter string
	// Value is what was sent for Parameter: quoted, comma-separated values.
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
	if a.Kind == KindNotFound {
		fmt.Fprintf(&b, "HoneyHive server %s answered %s from %s, fetching %s: %s%s. "+
			"Listing runs concerns no single run that could be unknown, and HoneyHive answers 404, not 401 or 403, "+
			"for an API key that is invalid, revoked or expired, or that has no access to the project: check that %s "+
			"holds a current key of this deployment, and that %s is the URL of the HoneyHive API (for example %s)",
			a.ServerURL, statusText(a.StatusCode), a.request(), a.subject(), a.said(), a.attemptsNote(),
			KeySourceName(a.KeySource), ServerURLSourceName(a.ServerSource), DefaultServerURL)
		return b.String()
	}
	fmt.Fprintf(&b, "HoneyHive rejected the request for %s (%s from %s on %s): %s%s. ",
		a.subject(), statusText(a.StatusCode), a.request(), a.ServerURL, a.said(), a.attemptsNote())
	switch e.Parameter {
	case "":
		fmt.Fprintf(&b, "The message names none of the parameters sent (%s): check their values in the request above",
			strings.Join(e.Sent, ", "))
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

// namedParameter returns the parameter of sent whose name occurs first in
// message as a whole word ("run_ids[]" matches "run_ids"), "" when none does.
func namedParameter(message string, sent []string) string {
	msg := strings.ToLower(message)
	best, bestAt := "", len(msg)+1
	for _, key := range sent {
		word := strings.TrimSuffix(key, "[]")
		re := regexp.MustCompile(`(^|[^a-z0-9_])` + regexp.QuoteMeta(word) + `($|[^a-z0-9_])`)
		if loc := re.FindStringIndex(msg); loc != nil && loc[0] < bestAt {
			best, bestAt = key, loc[0]
		}
	}
	return best
}
