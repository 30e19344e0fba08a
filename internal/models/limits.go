package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// A body's size is capped by the client, but what the bytes expand into is
// not: "a" and 1 cost three bytes of JSON each and tens of bytes once decoded,
// so a few tens of megabytes of metric entries or IDs took gigabytes. Before
// encoding/json decodes a body, limitWalk reads its tokens once, without
// keeping anything, and stops at the first list longer than its limit; a
// summary, read token by token, is counted with it as it is read, each
// element before it is kept. Either way memory never grows past what the
// limits allow.

// Default limits. Per list and per run they are generous for 100,000
// datapoints × 50 metrics, ten times over per list. All lists together are
// bounded by what memory allows: the worst body the defaults accept (8
// million distinct IDs of 1 to 4 characters, 53 MiB) peaks at 406 MiB in the
// provider, and a comparison, which decodes two such summaries at once, at
// 938 MiB: under 1 GiB. Real bodies reach the client's 256 MiB body cap first:
// a synthetic run of 100,000 datapoints × 5 metrics is 68 MiB for 1.7 million
// entries, so a real body at the cap holds about 6.4 million.
const (
	// DefaultMaxMetrics bounds the metric entries of a summary (details plus
	// legacy keys), of a comparison (metrics[]) and of one datapoint
	// (datapoints[].metrics).
	DefaultMaxMetrics = 1000
	// DefaultMaxDatapoints bounds each list of datapoints or their IDs or
	// values: a summary's datapoints, passed and failed, each metric's values
	// and datapoints.passed/failed; a comparison's commonDatapoints and each
	// entry's improved, degraded, same, old_values and new_values.
	DefaultMaxDatapoints = 1_000_000
	// DefaultMaxListEntries bounds the entries of all those lists together in
	// one body (listEntriesPerDatapoint × the datapoints limit).
	DefaultMaxListEntries = listEntriesPerDatapoint * DefaultMaxDatapoints
)

// listEntriesPerDatapoint is the ratio of the total limit to the per-list one.
const listEntriesPerDatapoint = 8

// DecodeLimits bounds what a decoded body may hold. A zero field takes its
// default; a negative one is no limit (tests of the decoders only).
type DecodeLimits struct {
	// MaxMetrics: see DefaultMaxMetrics.
	MaxMetrics int
	// MaxDatapoints: see DefaultMaxDatapoints. The total of all lists in a
	// body is bounded by 8 × MaxDatapoints.
	MaxDatapoints int
}

// Limit names, for LimitError.Limit.
const (
	LimitMetrics    = "metrics"
	LimitDatapoints = "datapoints"
	// LimitListEntries is the total of a body's lists (8 × the datapoints
	// limit).
	LimitListEntries = "list entries"
)

// LimitError says a body holds more than a limit allows. It names the limit
// and where in the body it was reached; the caller words how to raise it.
type LimitError struct {
	// Limit is LimitMetrics, LimitDatapoints or LimitListEntries.
	Limit string
	// Max is the limit's value; the body holds more (Max+1 were counted
	// before decoding stopped).
	Max int
	// Where is the list, as a path in the body ("metrics.details",
	// "datapoints", `metrics.details[3].datapoints.passed`, ...).
	Where string
}

func (e *LimitError) Error() string {
	if e.Limit == LimitListEntries {
		return fmt.Sprintf("the body's lists hold more than %d entries in all (reached at %s)", e.Max, e.Where)
	}
	return fmt.Sprintf("%s holds more than %d %s", e.Where, e.Max, limitUnit(e.Limit))
}

func limitUnit(limit string) string {
	if limit == LimitMetrics {
		return "metric entries"
	}
	return "entries"
}

func (l DecodeLimits) resolved() (metrics, datapoints, total int) {
	metrics, datapoints = l.MaxMetrics, l.MaxDatapoints
	if metrics == 0 {
		metrics = DefaultMaxMetrics
	}
	if datapoints == 0 {
		datapoints = DefaultMaxDatapoints
	}
	total = -1
	if datapoints > 0 {
		total = listEntriesPerDatapoint * datapoints
	}
	return metrics, datapoints, total
}

// limitWalk checks one body against the limits. Only list lengths are
// checked; everything else, types included, is left to the decoder, which
// reports it better.
type limitWalk struct {
	dec               *jsontext.Decoder
	maxMetrics, maxDP int
	maxTotal, total   int
	// metricEntries counts a summary's metric entries over every "metrics"
	// key, as the decoder keeps each.
	metricEntries int
}

// newLimitWalk reads body as encoding/json does: trimmed of the white space
// bytes.TrimSpace removes and JSON does not (a form feed), so that it cannot
// hide a body from the check, and accepting what encoding/json accepts.
func newLimitWalk(body []byte, l DecodeLimits) *limitWalk {
	m, d, t := l.resolved()
	return &limitWalk{dec: newTokenDecoder(bytes.TrimSpace(body)), maxMetrics: m, maxDP: d, maxTotal: t}
}

// newTokenDecoder reads data token by token, accepting what encoding/json
// accepts: repeated keys and invalid UTF-8 in strings.
func newTokenDecoder(data []byte) *jsontext.Decoder {
	return jsontext.NewDecoder(bytes.NewBuffer(data), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
}

// list reads a list, counting its elements against max (negative: none) and
// the total, and reads each element with each (nil: skipped). A value that is
// not a list is skipped.
func (l *limitWalk) list(where, limit string, maxEntries int, each func(i int) error) error {
	if l.dec.PeekKind() != '[' {
		return l.dec.SkipValue()
	}
	if _, err := l.dec.ReadToken(); err != nil {
		return err
	}
	for i := 0; l.dec.PeekKind() != ']'; i++ {
		if err := l.element(i, where, limit, maxEntries); err != nil {
			return err
		}
		var err error
		if each != nil {
			err = each(i)
		} else {
			err = l.dec.SkipValue()
		}
		if err != nil {
			return err
		}
	}
	_, err := l.dec.ReadToken()
	return err
}

// element counts a list's element i against maxEntries (negative: none) and
// the total.
func (l *limitWalk) element(i int, where, limit string, maxEntries int) error {
	if maxEntries >= 0 && i >= maxEntries {
		return &LimitError{Limit: limit, Max: maxEntries, Where: where}
	}
	if l.maxTotal >= 0 {
		l.total++
		if l.total > l.maxTotal {
			return &LimitError{Limit: LimitListEntries, Max: l.maxTotal, Where: where}
		}
	}
	return nil
}

// object reads an object's members with member, skipping a value that is not
// an object. The key is only valid during the call.
func (l *limitWalk) object(member func(key []byte) error) error {
	if l.dec.PeekKind() != '{' {
		return l.dec.SkipValue()
	}
	if _, err := l.dec.ReadToken(); err != nil {
		return err
	}
	for l.dec.PeekKind() != '}' {
		key, err := readKey(l.dec)
		if err != nil {
			return err
		}
		if err := member(key); err != nil {
			return err
		}
	}
	_, err := l.dec.ReadToken()
	return err
}

// readKey reads an object key, decoded; the bytes are only valid until the
// next read.
func readKey(dec *jsontext.Decoder) ([]byte, error) {
	raw, err := dec.ReadValue()
	if err != nil {
		return nil, err
	}
	return stringContent(raw)
}

// stringContent decodes a string token as encoding/json does (invalid UTF-8
// becomes U+FFFD). Most have no escape and are used as they are.
func stringContent(raw jsontext.Value) ([]byte, error) {
	if raw.Kind() != '"' {
		return nil, fmt.Errorf("want a string, got %s", describeKind(raw.Kind()))
	}
	if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return raw[1 : len(raw)-1], nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	return []byte(s), nil
}

// keyIs reports whether a decoded object key selects the struct field whose
// JSON name is name, as encoding/json matches them: exactly, or else equal
// under Unicode case folding.
func keyIs(key []byte, name string) bool {
	return string(key) == name || bytes.EqualFold(key, []byte(name))
}

func (l *limitWalk) skip() error { return l.dec.SkipValue() }

// within checks a value already read, raw, with check, counting into the
// same totals.
func (l *limitWalk) within(raw []byte, check func() error) error {
	outer := l.dec
	l.dec = newTokenDecoder(raw)
	defer func() { l.dec = outer }()
	return limitErrorOnly(check())
}

// checkSummaryLimits checks a summary body. Syntax errors are left to the
// decoder: only a LimitError is returned.
func checkSummaryLimits(body []byte, lim DecodeLimits) error {
	return limitErrorOnly(newLimitWalk(body, lim).summary())
}

// checkComparisonLimits checks a comparison body as checkSummaryLimits does.
func checkComparisonLimits(body []byte, lim DecodeLimits) error {
	return limitErrorOnly(newLimitWalk(body, lim).comparison())
}

func limitErrorOnly(err error) error {
	if le, ok := err.(*LimitError); ok {
		return le
	}
	return nil
}

func (l *limitWalk) summary() error {
	return l.object(func(key []byte) error {
		switch {
		case keyIs(key, "passed"), keyIs(key, "failed"):
			return l.list(string(key), LimitDatapoints, l.maxDP, nil)
		case keyIs(key, "datapoints"):
			return l.list("datapoints", LimitDatapoints, l.maxDP, func(i int) error {
				return l.object(func(k []byte) error {
					if keyIs(k, "metrics") {
						// No index in the path: formatting one per datapoint costs.
						return l.list("datapoints[].metrics", LimitMetrics, l.maxMetrics, nil)
					}
					return l.skip()
				})
			})
		case keyIs(key, "metrics"):
			return l.summaryMetrics()
		default:
			return l.skip()
		}
	})
}

// summaryMetrics checks the value of a summary's "metrics" key.
func (l *limitWalk) summaryMetrics() error {
	return l.object(func(k []byte) error {
		switch string(k) {
		case "aggregation_function":
			return l.skip()
		case "details":
			return l.list("metrics.details", LimitMetrics, -1, func(i int) error {
				if err := l.metricEntry("metrics.details"); err != nil {
					return err
				}
				return l.metricDetail(fmt.Sprintf("metrics.details[%d]", i))
			})
		}
		// A legacy entry: its key is the metric's name.
		if err := l.metricEntry("metrics"); err != nil {
			return err
		}
		return l.metricDetail("metrics." + string(k))
	})
}

// metricEntry counts one of a summary's metric entries: details and legacy
// keys count together, as both are decoded.
func (l *limitWalk) metricEntry(where string) error {
	l.metricEntries++
	if l.maxMetrics >= 0 && l.metricEntries > l.maxMetrics {
		return &LimitError{Limit: LimitMetrics, Max: l.maxMetrics, Where: where}
	}
	return nil
}

// metricDetail checks one metric entry's lists.
func (l *limitWalk) metricDetail(where string) error {
	return l.object(func(k []byte) error {
		switch {
		case keyIs(k, "values"):
			return l.list(where+".values", LimitDatapoints, l.maxDP, nil)
		case keyIs(k, "datapoints"):
			return l.object(func(k2 []byte) error {
				if keyIs(k2, "passed") || keyIs(k2, "failed") {
					return l.list(where+".datapoints."+string(k2), LimitDatapoints, l.maxDP, nil)
				}
				return l.skip()
			})
		default:
			return l.skip()
		}
	})
}

func (l *limitWalk) comparison() error {
	return l.object(func(key []byte) error {
		switch {
		case keyIs(key, "commonDatapoints"):
			return l.list("commonDatapoints", LimitDatapoints, l.maxDP, nil)
		case keyIs(key, "metrics"):
			return l.list("metrics", LimitMetrics, l.maxMetrics, func(i int) error {
				return l.object(func(k []byte) error {
					for _, name := range [...]string{"improved", "degraded", "same", "old_values", "new_values"} {
						if keyIs(k, name) {
							return l.list(fmt.Sprintf("metrics[%d].%s", i, name), LimitDatapoints, l.maxDP, nil)
						}
					}
					return l.skip()
				})
			})
		default:
			return l.skip()
		}
	})
}
