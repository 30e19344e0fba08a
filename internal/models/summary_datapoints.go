package models

import (
	"hash/maphash"
	"math"
	"strconv"
)

// DatapointMetric is one metric's value for one datapoint.
type DatapointMetric struct {
	Name      string  `json:"name"`
	EventName *string `json:"event_name"`
	EventType *string `json:"event_type"`
	Value     Value   `json:"value"`
	Passed    *bool   `json:"passed"`
}

// DatapointResult is the result of one datapoint of a run.
type DatapointResult struct {
	DatapointID *string           `json:"datapoint_id"`
	SessionID   *string           `json:"session_id"`
	Passed      *bool             `json:"passed"`
	Metrics     []DatapointMetric `json:"metrics"`
}

// ID returns the identifier the server uses for this datapoint in passed/failed
// lists: the datapoint ID, or the session ID where the datapoint has none (a
// null or empty one). ok is false when neither is a non-empty string.
func (d DatapointResult) ID() (string, bool) {
	if d.DatapointID != nil && *d.DatapointID != "" {
		return *d.DatapointID, true
	}
	if d.SessionID != nil && *d.SessionID != "" {
		return *d.SessionID, true
	}
	return "", false
}

// How a summary's per-datapoint list can be decoded, besides in full
// (DatapointResult): counted, or kept in the compact form the paired
// statistics of a comparison read. Both read the list with jsonScanner
// instead of encoding/json's reflection. Where encoding/json decodes a body,
// they agree with it: what they keep is what the full decoding holds.

// PairingDatapoint is what the paired statistics of a comparison need of one
// datapoint: its identifiers and its metrics' values as numbers.
type PairingDatapoint struct {
	DatapointID    string
	HasDatapointID bool
	SessionID      string
	HasSessionID   bool
	Metrics        []PairingMetric
}

// ID is DatapointResult.ID for the compact form.
func (d *PairingDatapoint) ID() (string, bool) {
	if d.HasDatapointID && d.DatapointID != "" {
		return d.DatapointID, true
	}
	if d.HasSessionID && d.SessionID != "" {
		return d.SessionID, true
	}
	return "", false
}

// PairingMetric is one metric's value on one datapoint: DatapointMetric
// without the event type and pass flag, and with the value as a number
// (Value.Float64: numbers as they are, booleans as 1 and 0).
type PairingMetric struct {
	Name      string
	EventName *string // shared by every entry with the same event name
	Number    float64
	Numeric   bool // Number holds the value: it was a number or a boolean
}

// pairingMetricOf returns the compact form of a decoded datapoint metric.
func pairingMetricOf(m *DatapointMetric) PairingMetric {
	f, ok := m.Value.Float64()
	return PairingMetric{Name: m.Name, EventName: m.EventName, Number: f, Numeric: ok}
}

// pairingDatapointOf returns the compact form of a decoded datapoint.
func pairingDatapointOf(d *DatapointResult) PairingDatapoint {
	p := PairingDatapoint{}
	if d.DatapointID != nil {
		p.DatapointID, p.HasDatapointID = *d.DatapointID, true
	}
	if d.SessionID != nil {
		p.SessionID, p.HasSessionID = *d.SessionID, true
	}
	if d.Metrics != nil {
		p.Metrics = make([]PairingMetric, len(d.Metrics))
		for i := range d.Metrics {
			p.Metrics[i] = pairingMetricOf(&d.Metrics[i])
		}
	}
	return p
}

// pairingDatapoints decodes a summary's datapoints into their compact form.
// Names and event names repeat on every datapoint; each distinct one is
// kept once.
type pairingDatapoints struct {
	list   []PairingDatapoint
	names  map[string]string  // raw JSON token → decoded name
	events map[string]*string // raw JSON token → decoded event name
}

// read reads a "datapoints" value. A key repeated in the body reads into the
// same list again, as encoding/json would.
func (p *pairingDatapoints) read(s *jsonScanner, lim *limitScan) error {
	if isNull, err := s.null(); err != nil || isNull {
		p.list = nil
		return err
	}
	if p.names == nil {
		p.names, p.events = map[string]string{}, map[string]*string{}
	}
	if s.peek() != '[' {
		return s.typeErrorf("datapoints", "a list")
	}
	return decodeSlice(s, &p.list, func(i int) error {
		return lim.element(i, "datapoints", LimitDatapoints, lim.maxDP)
	}, func(s *jsonScanner, d *PairingDatapoint) error {
		return p.datapoint(s, d, lim)
	})
}

// decodeSlice reads an array into *list as encoding/json reads one into a
// slice: element i is decoded into the element already at i when there is
// one (a key repeated in an object merges), a null element leaves it as it
// is, and an empty array replaces the slice with an empty one.
func decodeSlice[T any](s *jsonScanner, list *[]T, count func(i int) error, element func(s *jsonScanner, e *T) error) error {
	l := *list
	n := 0
	err := s.array(func(i int) error {
		if err := count(i); err != nil {
			return err
		}
		if i < cap(l) {
			l = l[:i+1]
		} else {
			var zero T
			l = append(l[:i], zero)
		}
		n = i + 1
		if isNull, err := s.null(); err != nil || isNull {
			return err
		}
		return element(s, &l[i])
	})
	if err != nil {
		return err
	}
	if n == 0 {
		l = []T{}
	}
	*list = l[:n]
	return nil
}

func (p *pairingDatapoints) datapoint(s *jsonScanner, d *PairingDatapoint, lim *limitScan) error {
	if s.peek() != '{' {
		return s.typeErrorf("datapoints[]", "an object")
	}
	return s.object(func(key []byte) error {
		switch {
		case keyIs(key, "datapoint_id"):
			return readOptionalString(s, &d.DatapointID, &d.HasDatapointID)
		case keyIs(key, "session_id"):
			return readOptionalString(s, &d.SessionID, &d.HasSessionID)
		case keyIs(key, "metrics"):
			if isNull, err := s.null(); err != nil || isNull {
				d.Metrics = nil
				return err
			}
			if s.peek() != '[' {
				return s.typeErrorf("datapoints[].metrics", "a list")
			}
			// No index in the path, as checkSummaryLimits.
			return decodeSlice(s, &d.Metrics, func(i int) error {
				return lim.element(i, "datapoints[].metrics", LimitMetrics, lim.maxMetrics)
			}, p.metric)
		default:
			_, err := s.skipValue()
			return err
		}
	})
}

// readOptionalString reads a string or null, as into a *string.
func readOptionalString(s *jsonScanner, v *string, has *bool) error {
	if isNull, err := s.null(); err != nil || isNull {
		*v, *has = "", false
		return err
	}
	if s.peek() != '"' {
		return s.typeErrorf("datapoints[].datapoint_id or session_id", "a string or null")
	}
	str, err := s.readString()
	*v, *has = str, err == nil
	return err
}

func (p *pairingDatapoints) metric(s *jsonScanner, m *PairingMetric) error {
	if s.peek() != '{' {
		return s.typeErrorf("datapoints[].metrics[]", "an object")
	}
	return s.object(func(key []byte) error {
		switch {
		case keyIs(key, "name"):
			// A null name leaves the name as it is, as for a Go string.
			if isNull, err := s.null(); err != nil || isNull {
				return err
			}
			name, err := p.intern(s)
			m.Name = name
			return err
		case keyIs(key, "event_name"):
			if isNull, err := s.null(); err != nil || isNull {
				m.EventName = nil
				return err
			}
			event, err := p.internEvent(s)
			m.EventName = event
			return err
		case keyIs(key, "value"):
			raw, err := s.skipValue()
			m.Number, m.Numeric = numericToken(raw)
			return err
		default:
			_, err := s.skipValue()
			return err
		}
	})
}

// numericToken reads a JSON value's text as Value.UnmarshalJSON then
// Value.Float64 do: numbers within float64's range as they are, booleans as
// 1 and 0, anything else not numeric. raw is valid JSON.
func numericToken(raw []byte) (float64, bool) {
	if len(raw) == 0 {
		return 0, false
	}
	switch raw[0] {
	case 't':
		return 1, true
	case 'f':
		return 0, true
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil || math.IsInf(f, 0) {
			return 0, false // beyond float64: Value keeps it as KindOther
		}
		return f, true
	}
	return 0, false
}

// intern reads a string, returning the copy kept for its JSON text.
func (p *pairingDatapoints) intern(s *jsonScanner) (string, error) {
	if s.peek() != '"' {
		return "", s.typeErrorf("datapoints[].metrics[].name", "a string")
	}
	raw, plain, err := s.stringToken()
	if err != nil {
		return "", err
	}
	if str, ok := p.names[string(raw)]; ok {
		return str, nil
	}
	str, err := unquote(raw, plain)
	if err != nil {
		return "", err
	}
	p.names[string(raw)] = str
	return str, nil
}

func (p *pairingDatapoints) internEvent(s *jsonScanner) (*string, error) {
	if s.peek() != '"' {
		return nil, s.typeErrorf("datapoints[].metrics[].event_name", "a string or null")
	}
	raw, plain, err := s.stringToken()
	if err != nil {
		return nil, err
	}
	if str, ok := p.events[string(raw)]; ok {
		return str, nil
	}
	str, err := unquote(raw, plain)
	if err != nil {
		return nil, err
	}
	p.events[string(raw)] = &str
	return &str, nil
}

// countedDatapoints counts a summary's datapoints without decoding them: each
// element must be an object or null, as for a []struct{}. Only the IDs are
// read, as hashes, to count each datapoint once and none without an ID, as
// checkConsistency counts decoded ones. A "datapoints" key repeated in the
// body merges into the elements read before, as encoding/json merges
// (decodeSlice), so the hashes are kept per element until the end.
type countedDatapoints struct {
	n, missing, repeated int
	set                  bool // the list was there and not null
	// ids holds, per element, the hashes of its datapoint_id and session_id
	// (0: none, null or empty).
	ids [][2]uint64
}

func (c *countedDatapoints) read(s *jsonScanner, lim *limitScan) error {
	if isNull, err := s.null(); err != nil || isNull {
		*c = countedDatapoints{}
		return err
	}
	if s.peek() != '[' {
		return s.typeErrorf("datapoints", "a list")
	}
	n := 0
	err := s.array(func(i int) error {
		if err := lim.element(i, "datapoints", LimitDatapoints, lim.maxDP); err != nil {
			return err
		}
		n = i + 1
		// As decodeSlice: the element already at i, also past the length.
		if i < cap(c.ids) {
			c.ids = c.ids[:i+1]
		} else {
			c.ids = append(c.ids[:i], [2]uint64{})
		}
		switch s.peek() {
		case 'n':
			return s.literal("null") // leaves the element as it was
		case '{':
		default:
			return s.typeErrorf("datapoints[]", "an object")
		}
		return s.object(func(key []byte) error {
			var to *uint64
			switch {
			case keyIs(key, "datapoint_id"):
				to = &c.ids[i][0]
			case keyIs(key, "session_id"):
				to = &c.ids[i][1]
			case keyIs(key, "metrics"):
				// Not kept, but counted as checkSummaryLimits does.
				return lim.list("datapoints[].metrics", LimitMetrics, lim.maxMetrics, nil)
			default:
				_, err := s.skipValue()
				return err
			}
			*to = 0
			if s.peek() != '"' {
				// null, or a type the full decoding rejects: no ID.
				_, err := s.skipValue()
				return err
			}
			h, err := hashIDToken(s)
			*to = h
			return err
		})
	})
	if err != nil {
		return err
	}
	c.ids = c.ids[:n]
	if n == 0 {
		c.ids = nil // an empty list replaces the slice
	}
	c.set = true
	c.n, c.missing, c.repeated = n, 0, 0
	seen := make(map[uint64]struct{}, n)
	for _, pair := range c.ids {
		h := pair[0]
		if h == 0 {
			h = pair[1]
		}
		if h == 0 {
			c.missing++
			continue
		}
		if _, dup := seen[h]; dup {
			c.repeated++
			continue
		}
		seen[h] = struct{}{}
	}
	return nil
}

// hashIDToken reads a string and returns the hash of its decoded text, 0 for
// an empty string.
func hashIDToken(s *jsonScanner) (uint64, error) {
	raw, plain, err := s.stringToken()
	if err != nil {
		return 0, err
	}
	if !plain {
		str, err := unquote(raw, plain)
		if err != nil {
			return 0, err
		}
		raw = []byte(str)
	}
	if len(raw) == 0 {
		return 0, nil
	}
	return max(maphash.Bytes(idHashSeed, raw), 1), nil
}

// anomalies reports what counting skipped.
func (c *countedDatapoints) anomalies() []Anomaly {
	var l idLists
	l.report("datapoints", c.missing, c.repeated)
	return l.anomalies
}

// DatapointValue is one metric's value on one datapoint, with the datapoint's
// ID (DatapointResult.ID).
type DatapointValue struct {
	DatapointID string
	Value       Value
}

// ValuesByDatapoint returns, for each metric entry of Metrics.Entries(), its
// value on each datapoint that has one, in datapoint order. On a datapoint an
// entry's value is that of the first metric of the entry's name and, where
// the name repeats among the entries and the entry has an event name, of that
// event (as PairedDifferences matches them). Datapoints without an ID
// (DatapointResult.ID), and later datapoints with an ID already seen, are
// left out. It reads Datapoints, so it needs the datapoints decoded in full.
func (s *ExperimentResultSummary) ValuesByDatapoint() [][]DatapointValue {
	entries := s.Metrics.Entries()
	perName := make(map[string]int, len(entries))
	for _, e := range entries {
		perName[e.MetricName]++
	}
	events := make([]*string, len(entries))
	out := make([][]DatapointValue, len(entries))
	for i, e := range entries {
		if perName[e.MetricName] > 1 {
			events[i] = e.EventName
		}
		out[i] = make([]DatapointValue, 0, len(s.Datapoints))
	}
	seen := make(map[string]struct{}, len(s.Datapoints))
	for d := range s.Datapoints {
		dp := &s.Datapoints[d]
		id, ok := dp.ID()
		if !ok {
			continue
		}
		if _, dup := seen[id]; dup {
			continue
		}
		seen[id] = struct{}{}
		for i, e := range entries {
			if v, ok := findMetricValue(dp.Metrics, e.MetricName, events[i]); ok {
				out[i] = append(out[i], DatapointValue{DatapointID: id, Value: v})
			}
		}
	}
	return out
}

// findMetricValue returns the value of the first metric named name and, when
// eventName is not nil, of that event.
func findMetricValue(metrics []DatapointMetric, name string, eventName *string) (Value, bool) {
	for i := range metrics {
		m := &metrics[i]
		if m.Name != name {
			continue
		}
		if eventName != nil && (m.EventName == nil || *m.EventName != *eventName) {
			continue
		}
		return m.Value, true
	}
	return Value{}, false
}
