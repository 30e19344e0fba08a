package localhoneyhive

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
)

// listQuery is the parsed query of GET /v1/runs.
type listQuery struct {
	name, datasetID, status string
	runIDs                  []string   // nil: no filter
	dates                   *dateRange // nil: no filter
	page, limit             int
	sortBy, sortOrder       string
}

var (
	listStatuses   = []string{"pending", "completed", "failed", "cancelled", "running"}
	listSortFields = []string{"created_at", "updated_at", "name", "status"}
)

// parseListQuery validates the list query like the service: limit 1–100
// (default 20), page ≥ 1, enumerated status/sort_by/sort_order, arrays
// only in the key[]=a&key[]=b form (a bare run_ids=a is rejected), and
// dateRange as parseDateRange reads it.
func parseListQuery(r *http.Request) (listQuery, error) {
	values := r.URL.Query()
	q := listQuery{
		name:      values.Get("name"),
		datasetID: values.Get("dataset_id"),
		status:    values.Get("status"),
		page:      1,
		limit:     20,
		sortBy:    "created_at",
		sortOrder: "desc",
	}
	if _, bare := values["run_ids"]; bare {
		return q, fmt.Errorf("run_ids must be an array: send run_ids[]=a&run_ids[]=b")
	}
	if ids, ok := values["run_ids[]"]; ok {
		q.runIDs = ids
	}
	var err error
	if q.dates, err = parseDateRange(values); err != nil {
		return q, err
	}
	if q.page, err = intParam(values.Get("page"), 1, 1, 0); err != nil {
		return q, fmt.Errorf("page: %w", err)
	}
	if q.limit, err = intParam(values.Get("limit"), 20, 1, 100); err != nil {
		return q, fmt.Errorf("limit: %w", err)
	}
	if q.status != "" && !slices.Contains(listStatuses, q.status) {
		return q, fmt.Errorf("status must be one of %v", listStatuses)
	}
	if v := values.Get("sort_by"); v != "" {
		if !slices.Contains(listSortFields, v) {
			return q, fmt.Errorf("sort_by must be one of %v", listSortFields)
		}
		q.sortBy = v
	}
	if v := values.Get("sort_order"); v != "" {
		if v != "asc" && v != "desc" {
			return q, fmt.Errorf("sort_order must be asc or desc")
		}
		q.sortOrder = v
	}
	return q, nil
}

// intParam parses an integer parameter within [lo, hi] (hi 0: unbounded).
func intParam(raw string, def, lo, hi int) (int, error) {
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, fmt.Errorf("%q is not an integer", raw)
	}
	if n < lo || (hi > 0 && n > hi) {
		if hi > 0 {
			return 0, fmt.Errorf("must be between %d and %d", lo, hi)
		}
		return 0, fmt.Errorf("must be at least %d", lo)
	}
	return n, nil
}

// serveList answers GET /v1/runs: filtered, sorted (ties by run_id) and
// paginated run objects, plus the sorted metric names of the page's runs.
func (s *Server) serveList(w http.ResponseWriter, r *http.Request) {
	q, err := parseListQuery(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), "INVALID_PARAMETER")
		return
	}
	s.mu.Lock()
	all := make([]*runObject, 0, len(s.runs))
	for _, entry := range s.runs {
		all = append(all, entry.object)
	}
	s.mu.Unlock()

	matched := make([]*runObject, 0, len(all))
	for _, obj := range all {
		if q.matches(obj) {
			matched = append(matched, obj)
		}
	}
	slices.SortFunc(matched, func(a, b *runObject) int {
		c := compareBy(q.sortBy, a, b)
		if q.sortOrder == "desc" {
			c = -c
		}
		return cmp.Or(c, cmp.Compare(a.RunID, b.RunID))
	})

	total := len(matched)
	totalPages := (total + q.limit - 1) / q.limit
	start := min((q.page-1)*q.limit, total)
	end := min(start+q.limit, total)
	page := matched[start:end]

	names := []string{}
	for _, obj := range page {
		for name := range obj.Metrics {
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)

	writeJSON(w, http.StatusOK, listBody{
		Evaluations: page,
		Pagination: pagination{
			Page:            q.page,
			Limit:           q.limit,
			Total:           total,
			TotalUnfiltered: len(all),
			TotalPages:      totalPages,
			HasNext:         q.page < totalPages,
			HasPrev:         q.page > 1,
		},
		Metrics: names,
	})
}

func (q listQuery) matches(obj *runObject) bool {
	if q.name != "" && deref(obj.Name) != q.name {
		return false
	}
	if q.datasetID != "" && deref(obj.DatasetID) != q.datasetID {
		return false
	}
	if q.status != "" && deref(obj.Status) != q.status {
		return false
	}
	if q.runIDs != nil && !slices.Contains(q.runIDs, obj.RunID) {
		return false
	}
	if q.dates != nil && !q.dates.contains(obj.CreatedAt) {
		return false
	}
	return true
}

// compareBy orders run objects by a sort_by field. Timestamps are all in
// the same fixed-width ISO format, so they sort as strings.
func compareBy(field string, a, b *runObject) int {
	switch field {
	case "updated_at":
		return cmp.Compare(deref(a.UpdatedAt), deref(b.UpdatedAt))
	case "name":
		return cmp.Compare(deref(a.Name), deref(b.Name))
	case "status":
		return cmp.Compare(deref(a.Status), deref(b.Status))
	}
	return cmp.Compare(a.CreatedAt, b.CreatedAt)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
