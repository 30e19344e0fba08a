package models

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// MetricDatapoints lists the datapoints that passed and failed one metric.
type MetricDatapoints struct {
	Passed []string `json:"passed"`
	Failed []string `json:"failed"`
}

// PassingRange is the range of values within which a metric passes a datapoint.
// The SDK drops it; the API sends it and gates want it.
type PassingRange struct {
	Min Value `json:"min"`
	Max Value `json:"max"`
}

// MetricDetail is one metric's aggregated result (an entry of metrics.details).
type MetricDetail struct {
	MetricName   string            `json:"metric_name"`
	MetricType   *string           `json:"metric_type"`
	EventName    *string           `json:"event_name"`
	EventType    *string           `json:"event_type"`
	Aggregate    Value             `json:"aggregate"`
	Values       []Value           `json:"values"`
	PassingRange *PassingRange     `json:"passing_range"`
	Datapoints   *MetricDatapoints `json:"datapoints"`
}

// AggregatedMetrics holds a run's aggregated metrics in either of the two
// formats the API has used: the current details array, or the legacy format
// where every key of the metrics object other than aggregation_function is a
// metric name. The SDK keeps the legacy entries as raw dicts (pydantic's
// model_extra); here they decode into MetricDetail values named after their key,
// in the order the server sent them, so callers handle one type.
type AggregatedMetrics struct {
	AggregationFunction *string
	Details             []MetricDetail
	// Legacy holds the per-key metrics of the legacy format, in body order.
	Legacy []MetricDetail
}

// GetMetric returns the first entry of Details named metricName, else the
// legacy entry of that name, as the SDK's get_metric does.
func (m AggregatedMetrics) GetMetric(metricName string) (MetricDetail, bool) {
	return m.FindMetric(metricName, nil)
}

// ListMetrics returns the metric names of Details in order (a name repeats when
// the server sends it for several events), or the legacy keys when Details is
// empty: the SDK's list_metrics.
func (m AggregatedMetrics) ListMetrics() []string {
	entries := m.entries()
	names := make([]string, len(entries))
	for i, d := range entries {
		names[i] = d.MetricName
	}
	return names
}

// GetAllMetrics returns the metrics by name, as the SDK's get_all_metrics does:
// from Details when it is not empty, else from the legacy keys. Like the SDK's
// dict comprehension, a repeated name keeps its last entry; GetMetric, and the
// provider's maps, keep the first. Use Entries for every entry.
func (m AggregatedMetrics) GetAllMetrics() map[string]MetricDetail {
	entries := m.entries()
	all := make(map[string]MetricDetail, len(entries))
	for _, d := range entries {
		all[d.MetricName] = d
	}
	return all
}

// Entries returns every metric entry in the format ListMetrics reads from,
// repeated names included.
func (m AggregatedMetrics) Entries() []MetricDetail { return m.entries() }

func (m AggregatedMetrics) entries() []MetricDetail {
	if len(m.Details) > 0 {
		return m.Details
	}
	return m.Legacy
}

// UnmarshalJSON reads both metric formats. Keys are visited in body order so
// that legacy metrics keep the order the server gave them.
func (m *AggregatedMetrics) UnmarshalJSON(data []byte) error {
	return m.decode(data, false)
}

// detailWithoutValues is a MetricDetail whose values are read past: its own
// "values" field is shallower than MetricDetail's, so encoding/json uses it.
type detailWithoutValues struct {
	MetricDetail
	Values skippedJSON `json:"values"`
}

// skippedJSON accepts any JSON value (encoding/json has checked it) and
// keeps nothing.
type skippedJSON struct{}

func (*skippedJSON) UnmarshalJSON([]byte) error { return nil }

// decode reads a metrics value (an object, or null for none) from its JSON
// text, which encoding/json has checked; empty text is a summary without
// metrics.
func (m *AggregatedMetrics) decode(data []byte, skipValues bool) error {
	*m = AggregatedMetrics{}
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil
	}
	dec := newTokenDecoder(data)
	kind := dec.PeekKind()
	if kind == 'n' {
		return nil
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	if kind != '{' {
		return fmt.Errorf("metrics: want a JSON object, got %s", describeKind(kind))
	}
	// Without values, details are decoded here, and a repeated "details" key
	// decodes into the same elements again, as it would into m.Details.
	var withoutValues []detailWithoutValues
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		key := tok.String()
		raw, err := dec.ReadValue()
		if err != nil {
			return err
		}
		switch {
		case key == "aggregation_function":
			if err := json.Unmarshal(raw, &m.AggregationFunction); err != nil {
				return fmt.Errorf("metrics.aggregation_function: %w", err)
			}
		case key == "details" && skipValues:
			if err := json.Unmarshal(raw, &withoutValues); err != nil {
				return fmt.Errorf("metrics.details: %w", err)
			}
			m.Details = nil
			if withoutValues != nil {
				m.Details = make([]MetricDetail, len(withoutValues))
				for i := range withoutValues {
					m.Details[i] = withoutValues[i].MetricDetail
				}
			}
		case key == "details":
			if err := json.Unmarshal(raw, &m.Details); err != nil {
				return fmt.Errorf("metrics.details: %w", err)
			}
		default:
			d, err := decodeLegacyMetric(key, []byte(raw), skipValues)
			if err != nil {
				return fmt.Errorf("metrics.%s: %w", key, err)
			}
			m.Legacy = append(m.Legacy, d)
		}
	}
	return nil
}

// decodeLegacyMetric reads one legacy entry. Most are objects such as
// {"aggregate": 0.85, "values": [...]}; a bare value is taken as the aggregate
// so that it stays visible rather than failing the whole body.
func decodeLegacyMetric(name string, raw json.RawMessage, skipValues bool) (MetricDetail, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var d detailWithoutValues
		target := any(&d.MetricDetail)
		if skipValues {
			target = &d
		}
		if err := json.Unmarshal(trimmed, target); err != nil {
			return MetricDetail{}, err
		}
		d.MetricName = name
		return d.MetricDetail, nil
	}
	var v Value
	if err := v.UnmarshalJSON(trimmed); err != nil {
		return MetricDetail{}, err
	}
	return MetricDetail{MetricName: name, Aggregate: v}, nil
}

// MarshalJSON writes the current format, or the legacy one when there are no
// details, so a decoded body round-trips.
func (m AggregatedMetrics) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	agg, err := json.Marshal(m.AggregationFunction)
	if err != nil {
		return nil, err
	}
	buf.WriteString(`"aggregation_function":`)
	buf.Write(agg)
	if len(m.Details) > 0 || len(m.Legacy) == 0 {
		details, err := json.Marshal(m.Details)
		if err != nil {
			return nil, err
		}
		buf.WriteString(`,"details":`)
		buf.Write(details)
	}
	for _, d := range m.Legacy {
		key, _ := json.Marshal(d.MetricName)
		body, err := json.Marshal(d)
		if err != nil {
			return nil, err
		}
		buf.WriteByte(',')
		buf.Write(key)
		buf.WriteByte(':')
		buf.Write(body)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
