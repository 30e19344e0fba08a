package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

// These benchmarks measure what the honeyhive_run_comparison data source does
// with its three bodies (the comparison and both runs' summaries): decode them
// as Read does (Decode), add the pairing and the attribute values (Convert),
// and build the state's tftypes.Value (StateSet). Each step includes the ones
// before it; Convert minus Decode is the pairing and conversion alone. Run them with `make bench` or
//
//	TF_ACC=1 go test -run '^$' -bench RunComparison -benchmem ./internal/provider/

var comparisonBenchSizes = []int{10_000, 50_000}

// comparisonBodies are the three bodies a comparison of two generated runs of
// n datapoints reads.
type comparisonBodies struct {
	compare, newSummary, oldSummary []byte
}

func (c comparisonBodies) size() int { return len(c.compare) + len(c.newSummary) + len(c.oldSummary) }

func benchComparisonBodies(b *testing.B, n int) comparisonBodies {
	b.Helper()
	newRun := localhoneyhive.GenerateRun("bench-new", n, 5, 2)
	oldRun := localhoneyhive.GenerateRun("bench-old", n, 5, 1)
	var c comparisonBodies
	var err error
	if c.compare, err = localhoneyhive.ComparisonBody(newRun, oldRun, localhoneyhive.AggregateAverage); err != nil {
		b.Fatal(err)
	}
	if c.newSummary, err = localhoneyhive.SummaryBody(newRun, localhoneyhive.AggregateAverage); err != nil {
		b.Fatal(err)
	}
	if c.oldSummary, err = localhoneyhive.SummaryBody(oldRun, localhoneyhive.AggregateAverage); err != nil {
		b.Fatal(err)
	}
	return c
}

func benchComparisonModel(include bool) runComparisonModel {
	return runComparisonModel{
		IncludeDatapoints: types.BoolValue(include),
		NewRunID:          types.StringValue("bench-new"),
		OldRunID:          types.StringValue("bench-old"),
		AggregateFunction: types.StringValue(defaultAggregateFunction),
		WaitForCompletion: types.BoolValue(false),
		ConfidenceLevel:   types.Float64Value(stats.DefaultConfidenceLevel),
		LowerIsBetter:     types.SetNull(types.StringType),
		GateMetrics:       types.SetNull(types.StringType),
		Timeouts:          timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"read": types.StringType})},
	}
}

// comparisonBenchStages runs stage for every size and include_datapoints
// setting.
func comparisonBenchStages(b *testing.B, stage func(b *testing.B, bodies comparisonBodies, include bool)) {
	for _, n := range comparisonBenchSizes {
		bodies := benchComparisonBodies(b, n)
		for _, include := range []bool{true, false} {
			b.Run(fmt.Sprintf("datapoints=%d/include_datapoints=%t", n, include), func(b *testing.B) {
				b.SetBytes(int64(bodies.size()))
				b.ReportAllocs()
				stage(b, bodies, include)
			})
		}
	}
}

type decodedComparison struct {
	comparison     *models.RunComparisonResult
	newRun, oldRun *models.ExperimentResultSummary
}

// decodeComparisonBench decodes the three bodies as Read does, one after the
// other (Read fetches them concurrently).
func decodeComparisonBench(b *testing.B, bodies comparisonBodies, include bool) decodedComparison {
	var d decodedComparison
	var err error
	if d.comparison, err = models.DecodeRunComparisonResultWith("bench-new", "bench-old", bodies.compare,
		comparisonDecodeOptions(include)); err != nil {
		b.Fatal(err)
	}
	if d.newRun, err = models.DecodeExperimentResultSummaryWith("bench-new", bodies.newSummary, pairingDecodeOptions); err != nil {
		b.Fatal(err)
	}
	if d.oldRun, err = models.DecodeExperimentResultSummaryWith("bench-old", bodies.oldSummary, pairingDecodeOptions); err != nil {
		b.Fatal(err)
	}
	return d
}

func convertComparisonBench(b *testing.B, bodies comparisonBodies, include bool) runComparisonModel {
	d := decodeComparisonBench(b, bodies, include)
	d.comparison.CountExclusiveDatapoints(d.newRun, d.oldRun)
	m := benchComparisonModel(include)
	if diags := setRunComparison(&m, d.comparison, pairing{
		newRun: d.newRun, oldRun: d.oldRun, confidenceLevel: stats.DefaultConfidenceLevel,
	}); diags.HasError() {
		b.Fatal(diags)
	}
	return m
}

func BenchmarkRunComparison_1Decode(b *testing.B) {
	comparisonBenchStages(b, func(b *testing.B, bodies comparisonBodies, include bool) {
		for b.Loop() {
			decodeComparisonBench(b, bodies, include)
		}
	})
}

func BenchmarkRunComparison_2Convert(b *testing.B) {
	comparisonBenchStages(b, func(b *testing.B, bodies comparisonBodies, include bool) {
		for b.Loop() {
			convertComparisonBench(b, bodies, include)
		}
	})
}

func BenchmarkRunComparison_3StateSet(b *testing.B) {
	ctx := context.Background()
	var resp datasource.SchemaResponse
	(&runComparisonDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &resp)
	sch := resp.Schema
	comparisonBenchStages(b, func(b *testing.B, bodies comparisonBodies, include bool) {
		for b.Loop() {
			m := convertComparisonBench(b, bodies, include)
			st := tfsdk.State{Schema: sch, Raw: tftypes.NewValue(sch.Type().TerraformType(ctx), nil)}
			if d := setStateDirect(ctx, &st, &m); d.HasError() {
				b.Fatal(d)
			}
		}
	})
}
