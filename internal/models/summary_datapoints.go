package models

import (
	"fmt"
	"hash/maphash"
	"slices"

	"github.com/go-json-experiment/json/jsontext"
)

// DatapointMetric is one metric's value for one datapoint.
type DatapointMetric struct {
	Name      string  `json:"name"`
	EventName *string `json:"event_name"`
	EventType *string `json:"event_type"`
	Value     Value   `json:"value"`
	Passed    *bool   `json:"passed"`
}

// DatapointResult is the result of one datapoint of a run. Decoded
// datapoints of one summary share the strings and booleans their metrics'
// names, events and flags point at: read them, do not write through them.
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

// datapointsDecoder reads a summary's "datapoints" value token by token,
// counting each list against the limits before keeping an element. On large
// runs the datapoints are nearly all the body, and encoding/json's reflection
// costs several times what reading the tokens does. It decodes as
// encoding/json would into []DatapointResult: keys match case-insensitively,
// a repeated key decodes into what the one before left, a null element or
// field leaves what is there. Names, event names and event types repeat on
// every datapoint; each distinct one is kept once.
type datapointsDecoder struct {
	lim   *limitWalk
	strs  map[string]*string // raw JSON token → decoded shared string
	bools [2]bool            // false and true, shared
	// metrics is where each datapoint's metrics are read before they are
	// kept in a slice of their length.
	metrics []DatapointMetric
}

func (p *datapointsDecoder) list(list *[]DatapointResult) error {
	return decodeList(p.lim.dec, "datapoints", list, nil, p.count, p.datapoint)
}

func (p *datapointsDecoder) count(i int) error {
	return p.lim.element(i, "datapoints", LimitDatapoints, p.lim.maxDP)
}

// datapointIDs are the hashes of a datapoint's datapoint_id and session_id:
// 0 for none (null, empty, not a string). They tell datapoints apart as
// DatapointResult.ID does (a 64-bit hash of each ID: a collision, about one
// in 10¹⁰ for a million IDs, would count one repeat too many).
type datapointIDs [2]uint64

// ids reads the datapoints' IDs only, for SkipDatapoints: each element must
// be an object or null; the rest is read past unchecked.
func (p *datapointsDecoder) ids(list *[]datapointIDs) error {
	dec := p.lim.dec
	return decodeList(dec, "datapoints", list, nil, p.count, func(e *datapointIDs) error {
		return object(dec, "datapoints[]", func(key []byte) error {
			switch {
			case keyIs(key, "datapoint_id"):
				return hashID(dec, &e[0])
			case keyIs(key, "session_id"):
				return hashID(dec, &e[1])
			case keyIs(key, "metrics"):
				// Not kept, but counted as checkSummaryLimits does.
				return p.lim.list("datapoints[].metrics", LimitMetrics, p.lim.maxMetrics, nil)
			default:
				return dec.SkipValue()
			}
		})
	})
}

// hashID reads an ID into *to as the hash of its text, 0 for none.
func hashID(dec *jsontext.Decoder, to *uint64) error {
	*to = 0
	if dec.PeekKind() != '"' {
		return dec.SkipValue()
	}
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	id, err := stringContent(raw)
	if len(id) > 0 {
		*to = max(maphash.Bytes(idHashSeed, id), 1)
	}
	return err
}

// decodeList reads a list into *list as encoding/json reads one into a
// slice: element i is decoded into the element already at i when there is
// one (a key repeated in an object merges), a null element leaves it as it
// is, null leaves a nil slice, and an empty list replaces the slice with an
// empty one. count is called before an element is kept. With scratch, a
// list read afresh is read there and kept in a slice of its length: the
// many short lists of a large body do not each hold room to grow.
func decodeList[T any](dec *jsontext.Decoder, where string, list *[]T, scratch *[]T, count func(i int) error, element func(e *T) error) error {
	switch dec.PeekKind() {
	case 'n':
		*list = nil
		return dec.SkipValue()
	case '[':
	default:
		return typeError(dec, where, "a list")
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	l := *list
	fresh := l == nil && scratch != nil
	if fresh {
		l = (*scratch)[:0]
	}
	n := 0
	for ; dec.PeekKind() != ']'; n++ {
		if err := count(n); err != nil {
			return err
		}
		if n < cap(l) && !fresh {
			l = l[:n+1] // what the slice held there, as encoding/json
		} else {
			var zero T
			l = append(l[:n], zero)
		}
		if dec.PeekKind() == 'n' {
			if err := dec.SkipValue(); err != nil {
				return err
			}
			continue
		}
		if err := element(&l[n]); err != nil {
			return err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	switch {
	case n == 0:
		l = []T{}
	case fresh:
		*scratch = l[:0]
		l = slices.Clone(l[:n])
	}
	*list = l[:n]
	return nil
}

// typeError reports a value of the wrong kind at where, after reading it.
func typeError(dec *jsontext.Decoder, where, want string) error {
	kind := dec.PeekKind()
	if err := dec.SkipValue(); err != nil {
		return err
	}
	return fmt.Errorf("%s: want %s, got %s", where, want, describeKind(kind))
}

// describeKind names a value's kind in an error.
func describeKind(kind jsontext.Kind) string {
	switch kind {
	case '"':
		return "a string"
	case '0':
		return "a number"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return kind.String() // [ or {
}

// object reads an object's members with member, the decoder at each value.
func object(dec *jsontext.Decoder, where string, member func(key []byte) error) error {
	if dec.PeekKind() != '{' {
		return typeError(dec, where, "an object")
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for dec.PeekKind() != '}' {
		key, err := readKey(dec)
		if err != nil {
			return err
		}
		if err := member(key); err != nil {
			return err
		}
	}
	_, err := dec.ReadToken()
	return err
}

func (p *datapointsDecoder) datapoint(d *DatapointResult) error {
	dec := p.lim.dec
	return object(dec, "datapoints[]", func(key []byte) error {
		switch {
		case keyIs(key, "datapoint_id"):
			return p.optionalString("datapoints[].datapoint_id", &d.DatapointID, false)
		case keyIs(key, "session_id"):
			return p.optionalString("datapoints[].session_id", &d.SessionID, false)
		case keyIs(key, "passed"):
			return p.optionalBool("datapoints[].passed", &d.Passed)
		case keyIs(key, "metrics"):
			return decodeList(dec, "datapoints[].metrics", &d.Metrics, &p.metrics, func(i int) error {
				return p.lim.element(i, "datapoints[].metrics", LimitMetrics, p.lim.maxMetrics)
			}, p.metric)
		default:
			return dec.SkipValue()
		}
	})
}

func (p *datapointsDecoder) metric(m *DatapointMetric) error {
	dec := p.lim.dec
	return object(dec, "datapoints[].metrics[]", func(key []byte) error {
		switch {
		case keyIs(key, "name"):
			// A null name leaves the name as it is, as for a Go string.
			var name *string
			err := p.optionalString("datapoints[].metrics[].name", &name, true)
			if name != nil {
				m.Name = *name
			}
			return err
		case keyIs(key, "event_name"):
			return p.optionalString("datapoints[].metrics[].event_name", &m.EventName, true)
		case keyIs(key, "event_type"):
			return p.optionalString("datapoints[].metrics[].event_type", &m.EventType, true)
		case keyIs(key, "passed"):
			return p.optionalBool("datapoints[].metrics[].passed", &m.Passed)
		case keyIs(key, "value"):
			raw, err := dec.ReadValue() // checked: valid JSON
			if err != nil {
				return err
			}
			return m.Value.setJSON(raw)
		default:
			return dec.SkipValue()
		}
	})
}

// optionalString reads a string or null into *to. With shared, the string
// is kept once for all the datapoints: it is not to be changed.
func (p *datapointsDecoder) optionalString(where string, to **string, shared bool) error {
	dec := p.lim.dec
	switch dec.PeekKind() {
	case '"':
	case 'n':
		*to = nil
		return dec.SkipValue()
	default:
		return typeError(dec, where, "a string or null")
	}
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	if str, ok := p.strs[string(raw)]; ok && shared {
		*to = str
		return nil
	}
	content, err := stringContent(raw)
	if err != nil {
		return err
	}
	str := string(content)
	if shared {
		if p.strs == nil {
			p.strs = map[string]*string{}
		}
		p.strs[string(raw)] = &str
	}
	*to = &str
	return nil
}

// optionalBool reads a boolean or null into *to; the booleans are kept once
// for all the datapoints.
func (p *datapointsDecoder) optionalBool(where string, to **bool) error {
	dec := p.lim.dec
	switch dec.PeekKind() {
	case 't':
		*to = &p.bools[1]
	case 'f':
		*to = &p.bools[0]
	case 'n':
		*to = nil
	default:
		return typeError(dec, where, "a boolean or null")
	}
	return dec.SkipValue()
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
