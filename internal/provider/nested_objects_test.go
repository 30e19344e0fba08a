package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

// Every nested object's value builder names the attributes its schema
// declares: types.ObjectValueMust panics on a missing, extra or mistyped one,
// which would otherwise show only in an acceptance run. Each builder is run
// once on each of its paths (lists or not, nulls or values).
func TestNestedObjectsMatchTheirSchema(t *testing.T) {
	name, number := "e", models.Number(0.5)
	ids := &models.MetricDatapoints{Passed: []string{"a"}, Failed: []string{"b"}}
	values := []models.DatapointValue{{DatapointID: "a", Value: number}, {DatapointID: "b", Value: models.String("B")}}
	metric := models.MetricDetail{MetricName: "accuracy", EventName: &name, Aggregate: number,
		PassingRange: &models.PassingRange{Min: number, Max: models.Null()}, Datapoints: ids}
	builds := map[string]func(){
		"metric with lists":         func() { metricValue(metric, true, values) },
		"metric without lists":      func() { metricValue(metric, false, nil) },
		"metric without datapoints": func() { metricValue(models.MetricDetail{MetricName: "m"}, true, nil) },
		"listed run": func() {
			var m experimentRunsModel
			setExperimentRuns(&m, []models.Run{{RunID: "r", Name: &name, Metadata: []byte(`{}`)}, {}}, 2)
		},
	}
	count := int64(1)
	delta := models.MetricDelta{MetricName: "accuracy", OldAggregate: number, FoundCount: &count,
		Improved: []string{"a"}, OldValues: []models.Value{number}}
	single := stats.PairedSummary{N: 2, HasMean: true, HasInterval: true, Verdict: stats.VerdictImproved}
	for _, in := range []bool{true, false} {
		for _, lists := range []bool{true, false} {
			e := deltaEntry{delta: delta, stats: entryStatistics{single: single}, family: familyMember{in: in, summary: single},
				regressed: types.Int64Value(0), fixed: types.Int64Null()}
			builds[fmt.Sprintf("metric delta, in family %t, lists %t", in, lists)] = func() { e.value(lists) }
		}
	}
	for what, build := range builds {
		t.Run(what, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("the value does not match its schema: %v", r)
				}
			}()
			build()
		})
	}
}
