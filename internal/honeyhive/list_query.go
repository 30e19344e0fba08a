package honeyhive

import (
	"net/url"
	"time"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
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
	// FindRuns answers it without a request.
	RunIDs []string
	// CreatedAfter and CreatedBefore keep only the runs created at or after,
	// and at or before, these instants (both bounds inclusive); the zero time
	// leaves that side open. They are sent as the dateRange parameter (see
	// dateRangeValues).
	CreatedAfter  time.Time
	CreatedBefore time.Time
	// SortBy is created_at, updated_at, name or status; SortOrder asc or desc.
	SortBy    string
	SortOrder string
	// Metadata is applied by this client, not sent: HoneyHive cannot filter on
	// metadata, so FindRuns reads the server's pages and keeps the runs whose
	// metadata matches (models.MetadataFilter), within its scan limit. nil or
	// empty means no such filter.
	Metadata models.MetadataFilter
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
	if !q.CreatedAfter.IsZero() || !q.CreatedBefore.IsZero() {
		gte, lte := dateRangeValues(q.CreatedAfter, q.CreatedBefore)
		v.Set(dateRangeGTE, gte)
		v.Set(dateRangeLTE, lte)
	}
	return v
}

// How GET /v1/runs receives dateRange, an object {"$gte": …, "$lte": …}
// (spec 1.14.0, /paths/~1v1~1runs/get/parameters/6, which also allows a
// string), in a query string: as dateRange[$gte]=…&dateRange[$lte]=…, the
// form HoneyHive's own clients produce. Evidence:
//
//   - @honeyhive/api-client (github.com/honeyhiveai/typescript-api-client,
//     dist/util.js, release v1.0.0-rc.3), which honeyhive-cli's
//     `experiments list-runs --date-range '<json>'` calls with the parsed
//     object, serialises every query with axios.getUri({params}) instead of
//     openapi-fetch's key=a&key=b, because, its comment says, axios "handles
//     nested objects/arrays recursively, which Express parses correctly".
//     axios writes a nested key as key[sub] (toFormData's renderKey) and an
//     array as key[]: the qs-style parser that requires run_ids[]=a reads
//     dateRange[$gte]=… back as an object.
//   - The same package's GetExperimentRunsQuery ("Query parameters for GET
//     /runs", the server's own schema) types dateRange as string |
//     AbsoluteDateRange, and AbsoluteDateRange requires both $gte and $lte
//     (the spec's GetRunsDateRangeOneOf1 makes both optional). Sending both
//     always satisfies either reading: an open side is sent as the earliest
//     or latest instant it can mean.
//   - The Python SDK (1.5.1) passes a dict to httpx unchanged, which does not
//     serialise objects: no evidence for a JSON-string form.
const (
	dateRangeGTE = "dateRange[$gte]"
	dateRangeLTE = "dateRange[$lte]"
)

// The instants an open side of the date range is sent as: no run is older
// than the Unix epoch, and HoneyHive's timestamps (JavaScript dates in ISO
// form) stop at year 9999 in that form.
var (
	dateRangeOpenStart = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	dateRangeOpenEnd   = time.Date(9999, 12, 31, 23, 59, 59, 999_000_000, time.UTC)
)

// dateRangeLayout is how HoneyHive writes timestamps (JavaScript's
// toISOString): UTC, milliseconds, a Z. The bounds are sent the same way.
const dateRangeLayout = "2006-01-02T15:04:05.000Z"

// dateRangeValues returns the $gte and $lte values for created-at bounds
// (zero: open), in UTC with milliseconds. HoneyHive's timestamps have
// millisecond precision, so a finer bound is rounded inwards, which selects
// exactly the same runs: the lower bound up, the upper bound down (a run
// created at .123 is after 12:00:00.1229 and not after 12:00:00.1231).
func dateRangeValues(after, before time.Time) (gte, lte string) {
	from, to := dateRangeOpenStart, dateRangeOpenEnd
	if !after.IsZero() {
		from = after.UTC()
		if t := from.Truncate(time.Millisecond); t.Before(from) {
			from = t.Add(time.Millisecond)
		}
	}
	if !before.IsZero() {
		to = before.UTC().Truncate(time.Millisecond)
	}
	from, to = clampTime(from), clampTime(to)
	return from.Format(dateRangeLayout), to.Format(dateRangeLayout)
}

// clampTime keeps t within the instants the ISO form can write (years 0000 to
// 9999); nothing outside holds a run.
func clampTime(t time.Time) time.Time {
	earliest := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	switch {
	case t.Before(earliest):
		return earliest
	case t.After(dateRangeOpenEnd):
		return dateRangeOpenEnd
	}
	return t
}
