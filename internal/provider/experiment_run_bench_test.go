package provider

import (
	"context"
	"fmt"
	"math/big"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

// These benchmarks measure, in one run so that their ratios mean something,
// what the honeyhive_experiment_run data source does with a summary body:
// decode it (Decode), build the attribute values (Convert), turn the model into
// the state's tftypes.Value as Read does (StateSet, via setStateDirect), and encode that
// as the msgpack DynamicValue sent to Terraform (Msgpack). Each step includes
// the ones before it, so e.g. Convert minus Decode is the conversion alone.
// Run them with `make bench` or
//
//	TF_ACC=1 go test -run '^$' -bench ExperimentRun -benchmem ./internal/provider/

var benchSizes = []int{10_000, 100_000}

func benchSummaryBody(b *testing.B, n int) []byte {
	b.Helper()
	body, err := localhoneyhive.SummaryBody(localhoneyhive.GenerateRun("bench", n, 5, 1), localhoneyhive.AggregateAverage)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

func benchModel(include bool) experimentRunModel {
	return experimentRunModel{
		RunID:             types.StringValue("bench"),
		AggregateFunction: types.StringValue(defaultAggregateFunction),
		WaitForCompletion: types.BoolValue(false),
		IncludeDatapoints: types.BoolValue(include),
		ConfidenceLevel:   types.Float64Value(stats.DefaultConfidenceLevel),
		Timeouts:          timeouts.Value{Object: types.ObjectNull(map[string]attr.Type{"read": types.StringType})},
	}
}

func experimentRunSchema(b *testing.B) datasource.SchemaResponse {
	var resp datasource.SchemaResponse
	(&experimentRunDataSource{}).Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		b.Fatal(resp.Diagnostics)
	}
	return resp
}

// benchStages runs stage for every size and include_datapoints setting.
func benchStages(b *testing.B, stage func(b *testing.B, body []byte, include bool)) {
	for _, n := range benchSizes {
		body := benchSummaryBody(b, n)
		for _, include := range []bool{true, false} {
			b.Run(fmt.Sprintf("datapoints=%d/include_datapoints=%t", n, include), func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				stage(b, body, include)
			})
		}
	}
}

// decodeBench decodes body as Read does: without the datapoints' contents
// when they are not included.
func decodeBench(b *testing.B, body []byte, include bool) *models.ExperimentResultSummary {
	s, err := models.DecodeExperimentResultSummaryWith("bench", body, runDecodeOptions(include))
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkExperimentRun_1Decode(b *testing.B) {
	benchStages(b, func(b *testing.B, body []byte, include bool) {
		for b.Loop() {
			decodeBench(b, body, include)
		}
	})
}

func BenchmarkExperimentRun_2Convert(b *testing.B) {
	benchStages(b, func(b *testing.B, body []byte, include bool) {
		for b.Loop() {
			m := benchModel(include)
			if d := setExperimentRun(&m, decodeBench(b, body, include)); d.HasError() {
				b.Fatal(d)
			}
		}
	})
}

// BenchmarkExperimentRun_ConvertOnly times setExperimentRun alone on an
// already decoded summary.
func BenchmarkExperimentRun_ConvertOnly(b *testing.B) {
	benchStages(b, func(b *testing.B, body []byte, include bool) {
		s := decodeBench(b, body, include)
		b.ResetTimer()
		for b.Loop() {
			m := benchModel(include)
			if d := setExperimentRun(&m, s); d.HasError() {
				b.Fatal(d)
			}
		}
	})
}

func BenchmarkExperimentRun_3StateSet(b *testing.B) {
	ctx := context.Background()
	sch := experimentRunSchema(b).Schema
	benchStages(b, func(b *testing.B, body []byte, include bool) {
		for b.Loop() {
			benchStateSet(ctx, b, sch, body, include)
		}
	})
}

func BenchmarkExperimentRun_4Msgpack(b *testing.B) {
	ctx := context.Background()
	sch := experimentRunSchema(b).Schema
	typ := sch.Type().TerraformType(ctx)
	benchStages(b, func(b *testing.B, body []byte, include bool) {
		for b.Loop() {
			st := benchStateSet(ctx, b, sch, body, include)
			if _, err := tfprotov6.NewDynamicValue(typ, st.Raw); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// benchStateSet decodes, converts and sets the state as Read does.
func benchStateSet(ctx context.Context, b *testing.B, sch schema.Schema, body []byte, include bool) tfsdk.State {
	m := benchModel(include)
	if d := setExperimentRun(&m, decodeBench(b, body, include)); d.HasError() {
		b.Fatal(d)
	}
	st := tfsdk.State{Schema: sch, Raw: tftypes.NewValue(sch.Type().TerraformType(ctx), nil)}
	if d := setStateDirect(ctx, &st, &m); d.HasError() {
		b.Fatal(d)
	}
	return st
}

// BenchmarkExperimentRun_3StateSetFramework is the 3StateSet stage through
// the framework's reflection (tfsdk.State.Set), which Read used before
// setStateDirect: the baseline that setStateDirect is measured against.
func BenchmarkExperimentRun_3StateSetFramework(b *testing.B) {
	ctx := context.Background()
	sch := experimentRunSchema(b).Schema
	benchStages(b, func(b *testing.B, body []byte, include bool) {
		for b.Loop() {
			m := benchModel(include)
			if d := setExperimentRun(&m, decodeBench(b, body, include)); d.HasError() {
				b.Fatal(d)
			}
			st := tfsdk.State{Schema: sch, Raw: tftypes.NewValue(sch.Type().TerraformType(ctx), nil)}
			if d := st.Set(ctx, &m); d.HasError() {
				b.Fatal(d)
			}
		}
	})
}

// BenchmarkNumberText measures what terraform-plugin-go's msgpack encoder
// and Terraform's JSON state writer (go-cty) each do to every number that is
// not an exact float64: format it with big.Float.Text('f', -1). A metric
// value parsed from its JSON text at Terraform's 512-bit precision, as this
// provider and jsondecode parse them, costs far more to format than the
// float64 nearest to it; a large run's state holds one per datapoint and
// metric, formatted three times per plan (here once, then twice by Terraform).
func BenchmarkNumberText(b *testing.B) {
	const text = "0.7525"
	exact, err := models.ParseNumber(text)
	if err != nil {
		b.Fatal(err)
	}
	nearest, _ := strconv.ParseFloat(text, 64)
	for _, c := range []struct {
		name string
		f    *big.Float
	}{
		{"json_text_at_512_bits", exact},
		{"nearest_float64", new(big.Float).SetFloat64(nearest)},
		{"integer", big.NewFloat(120)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if c.f.Text('f', -1) == "" {
					b.Fatal("empty text")
				}
			}
		})
	}
}
