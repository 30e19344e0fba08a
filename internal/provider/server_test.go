package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func hasErrors(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

// readDataSource configures s and reads typeName with args set and every other
// attribute null, as Terraform would. It returns the response and the data
// source's type, to decode the state with.
func readDataSource(t *testing.T, s tfprotov6.ProviderServer, typeName string, args map[string]tftypes.Value) (*tfprotov6.ReadDataSourceResponse, tftypes.Type) {
	t.Helper()
	ctx := context.Background()
	schemas, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || hasErrors(schemas.Diagnostics) {
		t.Fatalf("GetProviderSchema: %v %v", err, schemas.Diagnostics)
	}
	configure, err := s.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		Config: dynamicValue(t, schemas.Provider.ValueType(), nil),
	})
	if err != nil || hasErrors(configure.Diagnostics) {
		t.Fatalf("ConfigureProvider: %v %v", err, configure.Diagnostics)
	}
	typ := schemas.DataSourceSchemas[typeName].ValueType()
	resp, err := s.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{
		TypeName: typeName,
		Config:   dynamicValue(t, typ, args),
	})
	if err != nil {
		t.Fatalf("ReadDataSource: %v", err)
	}
	return resp, typ
}

// dynamicValue is an object of typ with args set and every other attribute null.
func dynamicValue(t *testing.T, typ tftypes.Type, args map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	object := typ.(tftypes.Object)
	values := make(map[string]tftypes.Value, len(object.AttributeTypes))
	for name, attrType := range object.AttributeTypes {
		values[name] = tftypes.NewValue(attrType, nil)
		if v, ok := args[name]; ok {
			values[name] = v
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, values))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}
