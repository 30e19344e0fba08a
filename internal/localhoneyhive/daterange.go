package localhoneyhive

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// dateRange is the created_at filter of GET /v1/runs: both bounds inclusive,
// as MongoDB's $gte and $lte.
type dateRange struct {
	gte, lte time.Time
}

// contains reports whether a run object's created_at lies within the range.
// A created_at that is not a timestamp matches no range.
func (d *dateRange) contains(createdAt string) bool {
	t, err := time.Parse(time.RFC3339Nano, createdAt)
	if err != nil {
		return false
	}
	return !t.Before(d.gte) && !t.After(d.lte)
}

// parseDateRange reads dateRange from a query (nil when absent) in the two
// forms the spec's oneOf [string, object] admits in a query string:
//
//   - the object in the bracket form of a qs-style parser (the one that
//     wants run_ids[]), which is how HoneyHive's axios-based clients send
//     it: dateRange[$gte]=…&dateRange[$lte]=…;
//   - the string: a JSON object, dateRange={"$gte":…,"$lte":…}.
//
// Both $gte and $lte are required, as in HoneyHive's own query schema for
// this route (AbsoluteDateRange), and nothing else may be in the object.
// Each bound is a date string (ISO 8601: RFC 3339, or a date alone, read as
// midnight UTC, as JavaScript's Date reads it) or a number of milliseconds
// since the Unix epoch (a JSON number, or digits in the bracket form). A
// bound that is no date, a missing or unknown member, a repeated one, or both
// forms at once, is an error (a 400). $gte after $lte is not an error: it
// matches nothing, as the database query would.
func parseDateRange(values url.Values) (*dateRange, error) {
	raw := map[string]any{}
	bracketed := false
	for key, vals := range values {
		rest, ok := strings.CutPrefix(key, "dateRange[")
		if !ok {
			continue
		}
		bracketed = true
		member, ok := strings.CutSuffix(rest, "]")
		if !ok || (member != "$gte" && member != "$lte") {
			return nil, fmt.Errorf("dateRange has an unknown member %q: only dateRange[$gte] and dateRange[$lte] are accepted", key)
		}
		if len(vals) != 1 {
			return nil, fmt.Errorf("dateRange[%s] is given %d times; give it once", member, len(vals))
		}
		raw[member] = vals[0]
	}
	text, plain := values["dateRange"]
	switch {
	case plain && bracketed:
		return nil, fmt.Errorf("dateRange is given both as a string and as an object: give one")
	case plain:
		if len(text) != 1 {
			return nil, fmt.Errorf("dateRange is given %d times; give it once", len(text))
		}
		dec := json.NewDecoder(bytes.NewReader([]byte(text[0])))
		dec.UseNumber()
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil || obj == nil || dec.More() {
			return nil, fmt.Errorf(`dateRange %q is not an object: send {"$gte": date, "$lte": date} as JSON or as dateRange[$gte]=&dateRange[$lte]=`, text[0])
		}
		for member, v := range obj {
			if member != "$gte" && member != "$lte" {
				return nil, fmt.Errorf("dateRange has an unknown member %q: only $gte and $lte are accepted", member)
			}
			raw[member] = v
		}
	case !bracketed:
		return nil, nil
	}
	var d dateRange
	for _, b := range []struct {
		member string
		into   *time.Time
	}{{"$gte", &d.gte}, {"$lte", &d.lte}} {
		v, ok := raw[b.member]
		if !ok {
			return nil, fmt.Errorf("dateRange.%s is required: send both $gte and $lte", b.member)
		}
		t, err := boundTime(v)
		if err != nil {
			return nil, fmt.Errorf("dateRange.%s: %w", b.member, err)
		}
		*b.into = t
	}
	return &d, nil
}

var (
	epochMillis = regexp.MustCompile(`^-?[0-9]+$`)
	dateOnly    = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// boundTime reads one bound: a date string or epoch milliseconds.
func boundTime(v any) (time.Time, error) {
	switch v := v.(type) {
	case json.Number:
		ms, err := v.Int64()
		if err != nil {
			return time.Time{}, fmt.Errorf("%s is not a whole number of milliseconds since the epoch", v)
		}
		return time.UnixMilli(ms).UTC(), nil
	case string:
		switch {
		case epochMillis.MatchString(v):
			ms, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return time.Time{}, fmt.Errorf("%q is out of range", v)
			}
			return time.UnixMilli(ms).UTC(), nil
		case dateOnly.MatchString(v):
			if t, err := time.Parse(time.DateOnly, v); err == nil {
				return t, nil
			}
		default:
			if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, fmt.Errorf("%q is not a valid date (send an ISO 8601 date such as 2026-05-01T00:00:00.000Z)", v)
	}
	return time.Time{}, fmt.Errorf("want a date string or a number, got %v", v)
}
