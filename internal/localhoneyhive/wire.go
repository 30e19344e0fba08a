package localhoneyhive

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// The types in this file are the wire shapes of API.md ("Run result summary
// body", "Comparison body", "Run object"). They are used both to encode what
// the server generates and to decode raw summaries (PutRunSummary) leniently
// for comparisons, so every field tolerates null.

// summaryBody is the body of GET /v1/runs/{id}/summary (and /result).
type summaryBody struct {
	Status       string          `json:"status"`
	Success      bool            `json:"success"`
	Error        *string         `json:"error"`
	Passed       []string        `json:"passed"`
	Failed       []string        `json:"failed"`
	Metrics      metricsBody     `json:"metrics"`
	Datapoints   []datapointBody `json:"datapoints"`
	EventDetails []eventDetail   `json:"event_details"`
	RunObject    *runObject      `json:"run_object"`
}

// metricsBody is the summary's metrics object. Details is the current
// format; Legacy holds the legacy format (every key except
// aggregation_function names a metric), which is only ever decoded.
type metricsBody struct {
	AggregationFunction string         `json:"aggregation_function"`
	Details             []metricDetail `json:"details"`
	Legacy              []metricDetail `json:"-"`
}

// UnmarshalJSON reads both the details format and the legacy format.
func (m *metricsBody) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return err
	}
	for key, raw := range fields {
		switch key {
		case "aggregation_function":
			if err := json.Unmarshal(raw, &m.AggregationFunction); err != nil {
				return fmt.Errorf("metrics.aggregation_function: %w", err)
			}
		case "details":
			if err := json.Unmarshal(raw, &m.Details); err != nil {
				return fmt.Errorf("metrics.details: %w", err)
			}
		default:
			var legacy metricDetail
			if err := json.Unmarshal(raw, &legacy); err != nil {
				continue // not a metric object; the legacy format is loose
			}
			legacy.MetricName = key
			m.Legacy = append(m.Legacy, legacy)
		}
	}
	// Map iteration order is random; keep legacy metrics stable by name.
	sort.Slice(m.Legacy, func(i, j int) bool { return m.Legacy[i].MetricName < m.Legacy[j].MetricName })
	return nil
}

// all returns the current-format details, or the legacy metrics when the
// body has no details.
func (m *metricsBody) all() []metricDetail {
	if len(m.Details) > 0 {
		return m.Details
	}
	return m.Legacy
}

// metricDetail is one entry of metrics.details.
type metricDetail struct {
	MetricName   string            `json:"metric_name"`
	MetricType   string            `json:"metric_type,omitempty"`
	EventName    string            `json:"event_name,omitempty"`
	EventType    string            `json:"event_type,omitempty"`
	Aggregate    Value             `json:"aggregate"`
	Values       []Value           `json:"values"`
	PassingRange *PassingRange     `json:"passing_range,omitempty"`
	Datapoints   *metricDatapoints `json:"datapoints,omitempty"`
}

// metricDatapoints lists the IDs that passed or failed one metric.
type metricDatapoints struct {
	Passed []string `json:"passed"`
	Failed []string `json:"failed"`
}

// datapointBody is one entry of the summary's datapoints list.
type datapointBody struct {
	DatapointID *string           `json:"datapoint_id"`
	SessionID   string            `json:"session_id"`
	Passed      bool              `json:"passed"`
	Metrics     []datapointMetric `json:"metrics"` // nil is sent as null
}

// key is the ID the service uses for the datapoint in passed/failed lists
// and comparisons: the datapoint ID, or the session ID when that is null.
func (d *datapointBody) key() string {
	if d.DatapointID != nil && *d.DatapointID != "" {
		return *d.DatapointID
	}
	return d.SessionID
}

// datapointMetric is one metric result of one datapoint.
type datapointMetric struct {
	Name      string `json:"name"`
	EventName string `json:"event_name,omitempty"`
	EventType string `json:"event_type,omitempty"`
	Value     Value  `json:"value"`
	Passed    *bool  `json:"passed"`
}

// eventDetail names one event (step) of the run's traces.
type eventDetail struct {
	EventName string `json:"event_name"`
	EventType string `json:"event_type"`
}

// runObject is the experiment run object of GET /v1/runs/{id}, the list
// route, summaries and comparisons.
type runObject struct {
	ID            string             `json:"id"`
	RunID         string             `json:"run_id"`
	Name          *string            `json:"name"`
	Description   *string            `json:"description"`
	Status        *string            `json:"status"`
	Metadata      map[string]any     `json:"metadata"`
	Results       map[string]any     `json:"results"`
	Metrics       map[string]float64 `json:"metrics"`
	EventIDs      []string           `json:"event_ids"`
	Configuration map[string]any     `json:"configuration"`
	IsActive      bool               `json:"is_active"`
	CreatedAt     string             `json:"created_at"`
	UpdatedAt     *string            `json:"updated_at"`
	ScopeType     string             `json:"scope_type"`
	ScopeID       string             `json:"scope_id"`
	DatasetID     *string            `json:"dataset_id"`
	DatasetName   *string            `json:"dataset_name"`
}

// comparisonBody is the body of GET /v1/runs/{new}/compare/{old}.
type comparisonBody struct {
	CommonDatapoints []string           `json:"commonDatapoints"`
	Metrics          []metricComparison `json:"metrics"`
	EventDetails     []eventPresence    `json:"event_details"`
	OldRun           *runObject         `json:"old_run"`
	NewRun           *runObject         `json:"new_run"`
}

// metricComparison compares one (metric_name, event_name) across two runs.
type metricComparison struct {
	MetricName       string   `json:"metric_name"`
	MetricType       string   `json:"metric_type,omitempty"`
	EventName        string   `json:"event_name,omitempty"`
	EventType        string   `json:"event_type,omitempty"`
	OldAggregate     *float64 `json:"old_aggregate"`
	NewAggregate     *float64 `json:"new_aggregate"`
	Difference       *float64 `json:"difference"`
	PercentageChange *float64 `json:"percentage_change"`
	FoundCount       int      `json:"found_count"`
	ImprovedCount    int      `json:"improved_count"`
	DegradedCount    int      `json:"degraded_count"`
	SameCount        int      `json:"same_count"`
	Improved         []string `json:"improved"`
	Degraded         []string `json:"degraded"`
	Same             []string `json:"same"`
	OldValues        []Value  `json:"old_values"`
	NewValues        []Value  `json:"new_values"`
}

// eventPresence says in which of the two compared runs an event occurs.
type eventPresence struct {
	EventName string `json:"event_name"`
	EventType string `json:"event_type"`
	Presence  string `json:"presence"` // both, old or new
}

// errorBody is the service's JSON error shape.
type errorBody struct {
	StatusCode int    `json:"statusCode"`
	Message    string `json:"message"`
	Success    bool   `json:"success"`
	ErrorCode  string `json:"errorCode,omitempty"`
}

// listBody is the body of GET /v1/runs.
type listBody struct {
	Evaluations []*runObject `json:"evaluations"`
	Pagination  pagination   `json:"pagination"`
	Metrics     []string     `json:"metrics"`
}

type pagination struct {
	Page            int  `json:"page"`
	Limit           int  `json:"limit"`
	Total           int  `json:"total"`
	TotalUnfiltered int  `json:"total_unfiltered"`
	TotalPages      int  `json:"total_pages"`
	HasNext         bool `json:"has_next"`
	HasPrev         bool `json:"has_prev"`
}
