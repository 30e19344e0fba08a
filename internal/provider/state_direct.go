package provider

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// setStateDirect stores a model whose fields are all attr.Values in state,
// converting each field to its Terraform value once. tfsdk.State.Set does the
// same through reflection that converts every value to Terraform's form and
// back again, which dominates the provider's time and memory on large runs.
// Under stateHandoffServer the value goes to the server instead, and state
// gets a null placeholder.
func setStateDirect(ctx context.Context, state *tfsdk.State, model any) diag.Diagnostics {
	var diags diag.Diagnostics
	objectType, ok := state.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		diags.AddError("Unexpected state schema", "the state schema is not an object; this is a bug in the provider")
		return diags
	}
	v := reflect.ValueOf(model).Elem()
	t := v.Type()
	values := make(map[string]tftypes.Value, t.NumField())
	for i := range t.NumField() {
		name := t.Field(i).Tag.Get("tfsdk")
		value, ok := v.Field(i).Interface().(attr.Value)
		if !ok {
			diags.AddError("Unexpected model field", fmt.Sprintf("field %s is not an attr.Value; this is a bug in the provider", name))
			return diags
		}
		tfValue, err := value.ToTerraformValue(ctx)
		if err != nil {
			diags.AddError("Could not store the data source's state", fmt.Sprintf("attribute %s: %s", name, err))
			return diags
		}
		values[name] = tfValue
	}
	if len(values) != len(objectType.AttributeTypes) {
		diags.AddError("Unexpected model", fmt.Sprintf("the model has %d attributes, the schema %d; this is a bug in the provider",
			len(values), len(objectType.AttributeTypes)))
		return diags
	}
	if err := tftypes.ValidateValue(objectType, values); err != nil {
		diags.AddError("Could not store the data source's state", err.Error())
		return diags
	}
	value := tftypes.NewValue(objectType, values)
	if h := handoffFrom(ctx); h != nil {
		// Served by stateHandoffServer: it sends value to Terraform, and the
		// framework's post-read pass gets a null placeholder.
		h.state, h.set = value, true
		state.Raw = tftypes.NewValue(objectType, nil)
		return diags
	}
	state.Raw = value
	return diags
}

// sharedValue is an attr.Value stored in state more than once, such as a
// metric entry that is in both `metrics` and `metric_details`. Its Terraform
// value is built on first use and reused after, so the provider holds one copy
// of it instead of one per place (Terraform still receives it in each place).
// On large runs those copies were the biggest part of the provider's memory.
type sharedValue struct {
	attr.Value
	once sync.Once
	tf   tftypes.Value
	err  error
}

// shared wraps v so that its Terraform value is built once.
func shared(v attr.Value) attr.Value { return &sharedValue{Value: v} }

func (v *sharedValue) ToTerraformValue(ctx context.Context) (tftypes.Value, error) {
	v.once.Do(func() { v.tf, v.err = v.Value.ToTerraformValue(ctx) })
	return v.tf, v.err
}

func (v *sharedValue) Equal(o attr.Value) bool {
	if s, ok := o.(*sharedValue); ok {
		o = s.Value
	}
	return v.Value.Equal(o)
}
