package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// Terraform receives the same state, byte for byte, and the same diagnostics
// from NewServer as from the framework's own server, for every data source and
// the awkward fixtures (legacy metrics, mixed values, repeated names with
// their warnings, an unknown run).
func TestStateHandoff(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	yes := tftypes.NewValue(tftypes.Bool, true)
	reads := []struct {
		typeName string
		args     map[string]tftypes.Value
	}{
		{"honeyhive_experiment_run", map[string]tftypes.Value{"run_id": str(localhoneyhive.FixtureBaseline)}},
		{"honeyhive_experiment_run", map[string]tftypes.Value{"run_id": str(localhoneyhive.FixtureBaseline), "include_datapoints": yes}},
		{"honeyhive_experiment_run", map[string]tftypes.Value{"run_id": str(localhoneyhive.FixtureLegacy), "include_datapoints": yes}},
		{"honeyhive_experiment_run", map[string]tftypes.Value{"run_id": str(localhoneyhive.FixtureMixed), "include_datapoints": yes}},
		{"honeyhive_experiment_run", map[string]tftypes.Value{"run_id": str(localhoneyhive.FixtureRepeated)}},
		{"honeyhive_experiment_run", map[string]tftypes.Value{"run_id": str(localhoneyhive.FixtureRepeated), "include_datapoints": yes}},
		{"honeyhive_experiment_run", map[string]tftypes.Value{"run_id": str("no-such-run")}},
		{"honeyhive_run_comparison", map[string]tftypes.Value{
			"new_run_id": str(localhoneyhive.FixtureCandidate), "old_run_id": str(localhoneyhive.FixtureBaseline)}},
		{"honeyhive_run_comparison", map[string]tftypes.Value{
			"new_run_id": str(localhoneyhive.FixtureCandidate), "old_run_id": str(localhoneyhive.FixtureBaseline), "include_datapoints": yes}},
		{"honeyhive_run_comparison", map[string]tftypes.Value{
			"new_run_id": str(localhoneyhive.FixtureRepeated), "old_run_id": str(localhoneyhive.FixtureRepeated), "include_datapoints": yes}},
		{"honeyhive_experiment_runs", map[string]tftypes.Value{}},
	}
	newProvider := func() *HoneyHiveProvider {
		return &HoneyHiveProvider{version: "test", getenv: func(k string) string { return srv.env[k] }}
	}
	framework := providerserver.NewProtocol6(newProvider())()
	handoff := NewServer(newProvider())
	for i, r := range reads {
		t.Run(fmt.Sprintf("%d_%s", i, r.typeName), func(t *testing.T) {
			want, typ := readDataSource(t, framework, r.typeName, r.args)
			got, _ := readDataSource(t, handoff, r.typeName, r.args)
			if diff := cmp.Diff(want.Diagnostics, got.Diagnostics); diff != "" {
				t.Errorf("diagnostics differ (-framework +NewServer):\n%s", diff)
			}
			if want.State == nil || got.State == nil {
				if want.State != got.State {
					t.Fatalf("state: framework %v, NewServer %v", want.State, got.State)
				}
				return
			}
			// Compared as values: maps are encoded in no particular order.
			wantState, err := want.State.Unmarshal(typ)
			if err != nil {
				t.Fatal(err)
			}
			gotState, err := got.State.Unmarshal(typ)
			if err != nil {
				t.Fatal(err)
			}
			if !gotState.Equal(wantState) {
				t.Fatalf("state differs:\nframework: %s\nNewServer: %s", wantState, gotState)
			}
			if !hasErrors(got.Diagnostics) && (gotState.IsNull() || len(got.State.MsgPack) < 100) {
				t.Fatalf("state is %d bytes: the placeholder, not the state Read built", len(got.State.MsgPack))
			}
		})
	}
}

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
