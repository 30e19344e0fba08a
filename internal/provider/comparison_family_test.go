package provider

import (
	"slices"
	"testing"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

// Which entries make the family, and how family_regressed_metrics lists
// their names: each once, in order of the name's first entry, as
// degraded_metrics does.
func TestComputeFamily(t *testing.T) {
	down := []float64{-1, -1.1, -0.9, -1, -1.05}
	flat := []float64{0.1, -0.1, 0.05, -0.05}
	entry := func(name string, d []float64) entryStatistics {
		s, err := stats.Paired(d, 0, 0.95, false)
		if err != nil {
			t.Fatal(err)
		}
		return entryStatistics{name: name, differences: d, single: s}
	}
	entries := []entryStatistics{
		entry("a", flat),         // a's first entry: inconclusive
		entry("b", down),         // regressed
		entry("a", down),         // a's second entry: regressed
		entry("", down),          // unnamed: never in the family
		entry("c", []float64{1}), // one pair
	}
	tests := []struct {
		name          string
		gate          []string
		gateSet       bool
		wantSize      int
		wantIn        []bool
		wantRegressed []string
	}{
		{"default: every named entry with 2 pairs", nil, false, 3, []bool{true, true, true, false, false}, []string{"a", "b"}},
		{"a name brings all its entries", []string{"a"}, true, 2, []bool{true, false, true, false, false}, []string{"a"}},
		{"a named metric with one pair counts", []string{"c", "b"}, true, 2, []bool{false, true, false, false, true}, []string{"b"}},
		// The read refuses such a name before (unknownMetricErrors); here it
		// makes no member.
		{"a name no entry has makes no member", []string{"b", "d"}, true, 1, []bool{false, true, false, false, false}, []string{"b"}},
		{"an empty set is an empty family", []string{}, true, 0, []bool{false, false, false, false, false}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, diags := computeFamily(entries, tt.gate, tt.gateSet, 0.95)
			if len(diags) != 0 {
				t.Fatalf("diagnostics %v; want none", diags)
			}
			if f.size != tt.wantSize || !slices.Equal(f.regressed, tt.wantRegressed) {
				t.Errorf("size %d, regressed %q; want %d, %q", f.size, f.regressed, tt.wantSize, tt.wantRegressed)
			}
			for i, m := range f.members {
				if m.in != tt.wantIn[i] {
					t.Errorf("entry %d in the family: %v, want %v", i, m.in, tt.wantIn[i])
				}
				if !m.in {
					continue
				}
				// The family interval is the Bonferroni one, and Holm's
				// adjusted p-value is at least the raw one.
				want, _ := stats.PairedFamily(entries[i].differences, 0, 0.95, f.size, false)
				if m.summary != want || m.holm < entries[i].single.PValue {
					t.Errorf("entry %d: %+v, holm %v; want %+v, holm >= %v", i, m.summary, m.holm, want, entries[i].single.PValue)
				}
			}
		})
	}
}
