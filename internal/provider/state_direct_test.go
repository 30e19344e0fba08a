package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// setStateDirect must store exactly what the framework's tfsdk.State.Set
// stores for the same model, for every data source and for awkward values.
func TestSetStateDirectMatchesFramework(t *testing.T) {
	ctx := context.Background()
	summaryBodies := map[string]string{
		"details, datapoints, run object": `{"status":"completed","success":true,"error":null,"passed":["a"],"failed":["b"],
			"metrics":{"aggregation_function":"average","details":[
				{"metric_name":"accuracy","metric_type":"PYTHON","event_name":"e","event_type":"model","aggregate":0.5,
				 "values":[1,0,true,"x",null],"passing_range":{"min":0.5,"max":null},"datapoints":{"passed":["a"],"failed":["b"]}},
				{"metric_name":"accuracy","event_name":"f","aggregate":"B"}]},
			"datapoints":[{"datapoint_id":"a","session_id":"s","passed":true,"metrics":[{"name":"accuracy","value":1,"passed":true}]},
				{"datapoint_id":null,"session_id":"s2","metrics":null}],
			"run_object":{"run_id":"r","name":"n","metadata":{"k":[1,2]},"dataset_id":null}}`,
		"legacy, nothing optional": `{"metrics":{"aggregation_function":"average","accuracy":{"aggregate":0.85,"values":[0.8,0.9]}}}`,
	}
	for name, body := range summaryBodies {
		t.Run("experiment_run/"+name, func(t *testing.T) {
			s, err := models.DecodeExperimentResultSummary("r", []byte(body))
			if err != nil {
				t.Fatal(err)
			}
			for _, include := range []bool{true, false} {
				m := experimentRunModel{
					RunID: types.StringValue("r"), AggregateFunction: types.StringValue("average"),
					WaitForCompletion: types.BoolNull(), ConfidenceLevel: types.Float64Value(0.95),
					IncludeDatapoints: types.BoolValue(include),
				}
				m.Timeouts.Object = types.ObjectNull(map[string]attr.Type{"read": types.StringType})
				if s.RunObject != nil {
					setRunFacts(&m, s.RunObject)
				} else {
					setRunFacts(&m, &models.Run{})
				}
				if d := setExperimentRun(&m, s); d.HasError() {
					t.Fatal(d)
				}
				compareStates(ctx, t, NewExperimentRunDataSource(), &m)
			}
		})
	}

	t.Run("run_comparison", func(t *testing.T) {
		c, err := models.DecodeRunComparisonResult("n", "o", []byte(`{"commonDatapoints":["a"],"metrics":[
			{"metric_name":"accuracy","old_aggregate":0.5,"new_aggregate":1,"difference":0.5,"percentage_change":100,
			 "found_count":1,"improved_count":1,"degraded_count":0,"same_count":0,"improved":["a"],"degraded":[],"same":[],
			 "old_values":[0.5],"new_values":[1]},{"metric_name":"latency"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		// Lists that give outcome counts and IDs, and a family of one.
		oldRun := &models.ExperimentResultSummary{Passed: []string{"a"}, Failed: []string{}}
		newRun := &models.ExperimentResultSummary{Passed: []string{}, Failed: []string{"a"}}
		m := runComparisonModel{
			NewRunID: types.StringValue("n"), OldRunID: types.StringValue("o"), AggregateFunction: types.StringValue("average"),
			WaitForCompletion: types.BoolNull(), ConfidenceLevel: types.Float64Value(0.95),
			LowerIsBetter: types.SetValueMust(types.StringType, nil), NewRunStatus: types.StringValue("completed"),
			OldRunStatus: types.StringValue("completed"),
			GateMetrics:  types.SetValueMust(types.StringType, []attr.Value{types.StringValue("accuracy")}),
		}
		m.Timeouts.Object = types.ObjectNull(map[string]attr.Type{"read": types.StringType})
		if d := setRunComparison(&m, c, pairing{newRun: newRun, oldRun: oldRun, confidenceLevel: 0.95,
			gateMetrics: []string{"accuracy"}, gateMetricsSet: true}); d.HasError() {
			t.Fatal(d)
		}
		compareStates(ctx, t, NewRunComparisonDataSource(), &m)
	})
}

func compareStates(ctx context.Context, t *testing.T, ds datasource.DataSource, model any) {
	t.Helper()
	var resp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
	empty := tftypes.NewValue(resp.Schema.Type().TerraformType(ctx), nil)
	framework := tfsdk.State{Schema: resp.Schema, Raw: empty}
	if d := framework.Set(ctx, model); d.HasError() {
		t.Fatalf("tfsdk.State.Set: %v", d)
	}
	direct := tfsdk.State{Schema: resp.Schema, Raw: empty}
	if d := setStateDirect(ctx, &direct, model); d.HasError() {
		t.Fatalf("setStateDirect: %v", d)
	}
	if !direct.Raw.Equal(framework.Raw) {
		diffs, _ := direct.Raw.Diff(framework.Raw)
		t.Errorf("setStateDirect and State.Set differ in %d places, first: %v", len(diffs), diffs[0])
	}
}
