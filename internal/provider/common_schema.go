package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/honeyhive"
)

// Schema pieces the data sources share: their common arguments, the computed
// attributes' helpers, and the one way to merge attribute maps.

// aggregateFunctions are the values HoneyHive accepts for aggregate_function.
var aggregateFunctions = []string{"average", "min", "max", "median", "p90", "p95", "p99", "sum", "count"}

const defaultAggregateFunction = "average"

func runIDAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description + " Usually a UUID, but any string HoneyHive accepts is allowed.",
		Required:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
}

func aggregateFunctionAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "How HoneyHive aggregates each metric's per-datapoint values into `aggregate`: one of `" +
			strings.Join(aggregateFunctions, "`, `") + "`. Defaults to `" + defaultAggregateFunction + "`. " +
			"Booleans count as 1 and 0.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{stringvalidator.OneOf(aggregateFunctions...)},
	}
}

func waitForCompletionAttribute(what string) schema.BoolAttribute {
	return schema.BoolAttribute{
		MarkdownDescription: "Wait until " + what + " finished before reading: poll the run's status (quickly at " +
			"first, then at most every " + honeyhive.DefaultPollMax.String() + ") until it is `completed`, `failed` or " +
			"`cancelled`, and while a completed run's result still lists no metrics (fresh runs briefly do). A failed " +
			"or cancelled run is read, not an error: assert on its status. The wait ends with an error naming the " +
			"run, its last status and how long it waited at `timeouts.read`. Defaults to `false`: read the run as it is.",
		Optional: true,
	}
}

func confidenceLevelAttribute(what string) schema.Float64Attribute {
	return schema.Float64Attribute{
		MarkdownDescription: "Confidence level of " + what + ", strictly between 0 and 1. Defaults to `0.95`.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.Float64{confidenceLevelValidator{}},
	}
}

// nullUnlessIncluded ends the description of every per-datapoint attribute.
const nullUnlessIncluded = "Null unless `include_datapoints = true`."

// includeDatapointsAttribute is the switch that keeps per-datapoint lists
// (what) in state. stays says what is there either way.
func includeDatapointsAttribute(what, stays string) schema.BoolAttribute {
	return schema.BoolAttribute{
		MarkdownDescription: "Whether to keep per-datapoint data in state: " + what + ". Defaults to `false`: " +
			"those attributes are then null, and state holds what gates read (counts, aggregates, statistics), " +
			"which keeps plans fast and state small however many datapoints the runs have. Set it to `true` to " +
			"name datapoints in messages or to compute your own statistics; each per-datapoint value is then " +
			"stored once (see the data source's documentation). " + stays,
		Optional: true,
		Computed: true,
	}
}

func timeoutsBlock(ctx context.Context) schema.Block {
	return timeouts.BlockWithOpts(ctx, timeouts.Opts{
		ReadDescription: "Time limit for the whole read, waiting included, such as `\"30m\"` (a Go duration: `s`, `m`, `h`). " +
			"Defaults to `\"" + defaultReadTimeout.String() + "\"`.",
	})
}

func stringAttr(description string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: description, Computed: true}
}

func numberAttr(description string) schema.NumberAttribute {
	return schema.NumberAttribute{MarkdownDescription: description, Computed: true}
}

func int64Attr(description string) schema.Int64Attribute {
	return schema.Int64Attribute{MarkdownDescription: description, Computed: true}
}

func boolAttr(description string) schema.BoolAttribute {
	return schema.BoolAttribute{MarkdownDescription: description, Computed: true}
}

func stringListAttr(description string) schema.ListAttribute {
	return schema.ListAttribute{MarkdownDescription: description, Computed: true, ElementType: types.StringType}
}

func numberListAttr(description string) schema.ListAttribute {
	return schema.ListAttribute{MarkdownDescription: description, Computed: true, ElementType: types.NumberType}
}

// attrTypesOf derives a nested object's attribute types from its schema, so the
// schema is the only place an attribute is declared.
func attrTypesOf(o schema.NestedAttributeObject) map[string]attr.Type {
	return o.Type().(types.ObjectType).AttrTypes
}

// withAttributes returns attributes with those of each of more added; a name
// declared twice is a bug, and panics when the schema is built.
func withAttributes(attributes map[string]schema.Attribute, more ...map[string]schema.Attribute) map[string]schema.Attribute {
	for _, m := range more {
		for name, a := range m {
			if _, dup := attributes[name]; dup {
				panic("provider: attribute " + name + " declared twice")
			}
			attributes[name] = a
		}
	}
	return attributes
}
