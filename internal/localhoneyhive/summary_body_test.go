package localhoneyhive

import (
	"encoding/json"
	"testing"
)

func TestSummaryBody(t *testing.T) {
	body, err := SummaryBody(GenerateRun("x", 3, 2, 1), AggregateAverage)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Datapoints []json.RawMessage `json:"datapoints"`
		Metrics    struct {
			AggregationFunction string            `json:"aggregation_function"`
			Details             []json.RawMessage `json:"details"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Datapoints) != 3 || len(got.Metrics.Details) != 2 || got.Metrics.AggregationFunction != "average" {
		t.Errorf("SummaryBody gave %d datapoints, %d metrics, %q", len(got.Datapoints), len(got.Metrics.Details), got.Metrics.AggregationFunction)
	}
}
