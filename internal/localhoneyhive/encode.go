package localhoneyhive

import (
	"encoding/json"
	"strconv"
)

// valueList is a list of metric values that encodes itself in one call
// rather than one MarshalJSON call per value (values lists hold one entry
// per datapoint, so tens of thousands of them).
type valueList []Value

// MarshalJSON encodes the list; nil encodes as null like any Go slice.
func (l valueList) MarshalJSON() ([]byte, error) {
	if l == nil {
		return []byte("null"), nil
	}
	return l.appendJSON(make([]byte, 0, 8*len(l)+2)), nil
}

func (l valueList) appendJSON(b []byte) []byte {
	b = append(b, '[')
	for i, v := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = v.appendJSON(b)
	}
	return append(b, ']')
}

// encodeSummary renders a summary body exactly as json.Marshal would (the
// equivalence is tested), but writes the large parts — datapoints and ID
// lists — by hand: reflection-based encoding of a 50k-datapoint summary
// spends most of its time per element.
func encodeSummary(body *summaryBody) ([]byte, error) {
	size := 64 * 1024 // everything but the datapoints, roughly
	for i := range body.Datapoints {
		size += 128 + 112*len(body.Datapoints[i].Metrics)
	}
	b := make([]byte, 0, size) // one allocation for big summaries
	b = append(b, `{"status":`...)
	b = appendJSONString(b, body.Status)
	b = append(b, `,"success":`...)
	b = strconv.AppendBool(b, body.Success)
	b = append(b, `,"error":`...)
	b = appendNullableString(b, body.Error)
	b = append(b, `,"passed":`...)
	b = appendStringList(b, body.Passed)
	b = append(b, `,"failed":`...)
	b = appendStringList(b, body.Failed)
	b = append(b, `,"metrics":`...)
	metrics, err := json.Marshal(&body.Metrics)
	if err != nil {
		return nil, err
	}
	b = append(b, metrics...)
	b = append(b, `,"datapoints":`...)
	if body.Datapoints == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range body.Datapoints {
			if i > 0 {
				b = append(b, ',')
			}
			b = body.Datapoints[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	b = append(b, `,"event_details":`...)
	events, err := json.Marshal(body.EventDetails)
	if err != nil {
		return nil, err
	}
	b = append(b, events...)
	b = append(b, `,"run_object":`...)
	obj, err := json.Marshal(body.RunObject)
	if err != nil {
		return nil, err
	}
	b = append(b, obj...)
	return append(b, '}'), nil
}

// appendJSON encodes one datapoint like json.Marshal would.
func (d *datapointBody) appendJSON(b []byte) []byte {
	b = append(b, `{"datapoint_id":`...)
	b = appendNullableString(b, d.DatapointID)
	b = append(b, `,"session_id":`...)
	b = appendJSONString(b, d.SessionID)
	b = append(b, `,"passed":`...)
	b = strconv.AppendBool(b, d.Passed)
	b = append(b, `,"metrics":`...)
	if d.Metrics == nil {
		b = append(b, "null"...)
		return append(b, '}')
	}
	b = append(b, '[')
	for i := range d.Metrics {
		m := &d.Metrics[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = appendJSONString(b, m.Name)
		if m.EventName != "" {
			b = append(b, `,"event_name":`...)
			b = appendJSONString(b, m.EventName)
		}
		if m.EventType != "" {
			b = append(b, `,"event_type":`...)
			b = appendJSONString(b, m.EventType)
		}
		b = append(b, `,"value":`...)
		b = m.Value.appendJSON(b)
		b = append(b, `,"passed":`...)
		if m.Passed == nil {
			b = append(b, "null"...)
		} else {
			b = strconv.AppendBool(b, *m.Passed)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

func appendNullableString(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return appendJSONString(b, *s)
}

func appendStringList(b []byte, list []string) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}
