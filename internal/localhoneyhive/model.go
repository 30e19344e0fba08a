package localhoneyhive

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"
)

// Run is a structured experiment run. The server derives the summary body,
// the run object and comparisons from it, so the aggregate_function query
// parameter really changes the aggregates (unlike raw bodies stored with
// PutRunSummary, which are served verbatim).
type Run struct {
	// ID is the run_id used in URLs. Any string is accepted: the real
	// service mostly uses UUIDs, but clients may choose their own.
	ID          string
	Name        string // "" is sent as null
	Description string // "" is sent as null
	// Status is the lower-case run status (pending, running, completed,
	// failed, cancelled). "" is sent as null in the run object.
	Status string
	// Error is the summary's error message; "" is sent as null.
	Error         string
	DatasetID     string // "" is sent as null
	DatasetName   string // "" is sent as null
	Metadata      map[string]any
	Configuration map[string]any
	CreatedAt     time.Time // zero means a fixed default timestamp
	UpdatedAt     time.Time // zero is sent as null
	// Metrics lists the evaluators; Datapoint.Values is aligned with it.
	Metrics    []Metric
	Datapoints []Datapoint
}

// Metric describes one evaluator applied to one event of every datapoint.
// The same Name may occur twice with different EventName values, as it does
// on the real service when an evaluator runs on two steps.
type Metric struct {
	Name string
	// Type is the evaluator kind (COMPOSITE, PYTHON, LLM, HUMAN, CLIENT_SIDE).
	Type      string
	EventName string // "" omits event_name
	EventType string // "" omits event_type
	// PassingRange is the inclusive pass threshold; nil means every recorded
	// value passes and passing_range is omitted from the body.
	PassingRange *PassingRange
}

// PassingRange is the inclusive [Min, Max] range a metric value must fall in
// to pass. Booleans are compared as 1 (true) and 0 (false).
type PassingRange struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// Datapoint is one row of a run.
type Datapoint struct {
	// ID is the datapoint ID; "" is sent as datapoint_id null, and the
	// session ID then stands for the datapoint in passed/failed lists.
	ID string
	// SessionID is the trace session; "" gets a deterministic UUID-like ID
	// when the run is stored.
	SessionID string
	// Values[i] is the value of Run.Metrics[i] for this datapoint. Missing
	// trailing entries (or the zero Value) mean "not evaluated".
	Values []Value
	// NullMetrics sends "metrics": null for this datapoint, as older
	// deployments do, instead of its metric list.
	NullMetrics bool
}

// valueKind says which JSON type a Value carries.
type valueKind uint8

const (
	kindMissing valueKind = iota // not recorded: omitted from lists
	kindNull
	kindNumber
	kindBool
	kindString
)

// Value is a metric value as the service sends it: a number, a boolean, a
// string or null. A dedicated type (rather than any) keeps large synthetic
// runs compact and makes the "booleans count as 1/0, strings and nulls are
// skipped" aggregation rule explicit. The zero Value means "not recorded".
type Value struct {
	kind valueKind
	num  float64 // number, or 1/0 for booleans
	str  string
}

// Number returns a numeric metric value.
func Number(f float64) Value { return Value{kind: kindNumber, num: f} }

// Bool returns a boolean metric value (aggregated as 1 or 0).
func Bool(b bool) Value {
	if b {
		return Value{kind: kindBool, num: 1}
	}
	return Value{kind: kindBool}
}

// Text returns a string metric value (skipped by aggregation).
func Text(s string) Value { return Value{kind: kindString, str: s} }

// Null returns an explicit JSON null value (recorded but empty).
func Null() Value { return Value{kind: kindNull} }

// Recorded reports whether the value is present in the body (null included).
func (v Value) Recorded() bool { return v.kind != kindMissing }

// Numeric returns the value as a number for aggregation and comparison:
// numbers as is, booleans as 1/0; ok is false for strings, nulls and
// missing values.
func (v Value) Numeric() (f float64, ok bool) {
	switch v.kind {
	case kindNumber, kindBool:
		return v.num, true
	}
	return 0, false
}

// Interface returns the value as a plain Go value (float64, bool, string or
// nil), mainly for tests and debugging.
func (v Value) Interface() any {
	switch v.kind {
	case kindNumber:
		return v.num
	case kindBool:
		return v.num != 0
	case kindString:
		return v.str
	}
	return nil
}

// String renders the value as JSON.
func (v Value) String() string {
	b, _ := v.MarshalJSON()
	return string(b)
}

// MarshalJSON encodes the value; missing and non-finite values become null.
func (v Value) MarshalJSON() ([]byte, error) {
	x := v.Interface()
	if f, ok := x.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
		x = nil // JSON has no NaN or infinity
	}
	return json.Marshal(x)
}

// UnmarshalJSON accepts any scalar; objects and arrays are rejected because
// no deployment sends them as metric values.
func (v *Value) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case len(data) == 0:
		return fmt.Errorf("empty metric value")
	case string(data) == "null":
		*v = Null()
	case string(data) == "true":
		*v = Bool(true)
	case string(data) == "false":
		*v = Bool(false)
	case data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		*v = Text(s)
	default:
		f, err := strconv.ParseFloat(string(data), 64)
		if err != nil {
			return fmt.Errorf("metric value %s is not a scalar", data)
		}
		*v = Number(f)
	}
	return nil
}

// clone deep-copies the parts of a run the server keeps, so callers may
// reuse or mutate their Run after PutRun without racing the handlers.
func (r Run) clone() Run {
	out := r
	out.Metadata = maps.Clone(r.Metadata)
	out.Configuration = maps.Clone(r.Configuration)
	out.Metrics = slices.Clone(r.Metrics)
	for i, m := range out.Metrics {
		if m.PassingRange != nil {
			pr := *m.PassingRange
			out.Metrics[i].PassingRange = &pr
		}
	}
	out.Datapoints = slices.Clone(r.Datapoints)
	for i, dp := range r.Datapoints {
		out.Datapoints[i].Values = slices.Clone(dp.Values)
	}
	return out
}
