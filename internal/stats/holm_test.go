package stats

import (
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestHolmWorkedExample checks HolmAdjust on the worked example of the
// Wikipedia article "Holm–Bonferroni method" (section "Example"): four
// hypotheses with p₁ = 0.01, p₂ = 0.04, p₃ = 0.03, p₄ = 0.005 tested at
// α = 0.05. Sorted, 0.005 ≤ α/4 = 0.0125 and 0.01 ≤ α/3 ≈ 0.0167 are rejected,
// 0.03 > α/2 = 0.025 stops the procedure: H₁ and H₄ are rejected, H₂ and H₃
// are not (although p₂ = 0.04 < α).
//
// The adjusted values follow by hand from the definition (Holm 1979; R's
// p.adjust(p, "holm")): 4·0.005 = 0.02, max(0.02, 3·0.01) = 0.03,
// max(0.03, 2·0.03) = 0.06, max(0.06, 1·0.04) = 0.06; in input order
// 0.03, 0.06, 0.06, 0.02. Rejecting where they are ≤ 0.05 gives the same
// decisions as the article.
func TestHolmWorkedExample(t *testing.T) {
	p := []float64{0.01, 0.04, 0.03, 0.005}
	got, err := HolmAdjust(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.03, 0.06, 0.06, 0.02}
	for i := range want {
		if !closeTo(got[i], want[i], 1e-16) {
			t.Errorf("adjusted p%d = %.17g; want %v", i+1, got[i], want[i])
		}
	}
	rejected := []bool{true, false, false, true}
	for i := range got {
		if (got[i] <= 0.05) != rejected[i] {
			t.Errorf("H%d rejected = %v at α = 0.05; the worked example says %v", i+1, got[i] <= 0.05, rejected[i])
		}
	}
	if !slices.Equal(p, []float64{0.01, 0.04, 0.03, 0.005}) {
		t.Errorf("the input was modified: %v", p)
	}
}

func TestHolmSmallFamilies(t *testing.T) {
	tests := []struct {
		name string
		p    []float64
		want []float64
	}{
		{"empty", []float64{}, []float64{}},
		{"one test is not adjusted", []float64{0.037}, []float64{0.037}},
		// By hand: 2·0.01 = 0.02; max(0.02, 1·0.04) = 0.04.
		{"two", []float64{0.04, 0.01}, []float64{0.04, 0.02}},
		// Capped at 1: 3·0.5 = 1.5 → 1, and 1 stays the running maximum.
		{"capped", []float64{0.5, 0.9, 0.6}, []float64{1, 1, 1}},
		// Ties: 3·0.02 = 0.06 for both tied values (ranks 1 and 2 give 0.06
		// and 0.04, the running maximum keeps 0.06), then max(0.06, 0.5).
		{"ties", []float64{0.02, 0.5, 0.02}, []float64{0.06, 0.5, 0.06}},
		{"zeros and ones", []float64{0, 1, 0}, []float64{0, 1, 0}},
		// Monotonicity enforced: 5·0.01 = 0.05, 4·0.011 = 0.044 → 0.05.
		{"running maximum", []float64{0.011, 0.01, 0.2, 0.3, 0.9},
			[]float64{0.05, 0.05, 0.6, 0.6, 0.9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := HolmAdjust(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if got == nil || len(got) != len(tt.want) {
				t.Fatalf("HolmAdjust(%v) = %v; want %v", tt.p, got, tt.want)
			}
			for i := range got {
				if !closeTo(got[i], tt.want[i], 1e-15) {
					t.Errorf("HolmAdjust(%v) = %v; want %v", tt.p, got, tt.want)
					break
				}
			}
		})
	}
}

func TestHolmRejectsBadPValues(t *testing.T) {
	for _, p := range [][]float64{{0.1, math.NaN()}, {-0.01}, {1.0000001}, {math.Inf(1)}} {
		if got, err := HolmAdjust(p); err == nil {
			t.Errorf("HolmAdjust(%v) = %v; want an error", p, got)
		}
	}
	_, err := HolmAdjust([]float64{0.2, 0.3, math.NaN()})
	if err == nil || err.Error() != "p-value 2 is NaN; every p-value must be between 0 and 1" {
		t.Errorf("error %v", err)
	}
}

// holmRejects runs Holm's procedure itself, in exact arithmetic: with the
// p-values in ascending order, reject while p₍ₖ₎ ≤ α/(m − k + 1) and stop at
// the first that is not. It returns which hypotheses (input indices) are
// rejected.
func holmRejects(p []*big.Rat, alpha *big.Rat) []bool {
	m := len(p)
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return p[a].Cmp(p[b]) })
	rejected := make([]bool, m)
	for k, i := range order {
		threshold := new(big.Rat).Quo(alpha, big.NewRat(int64(m-k), 1))
		if p[i].Cmp(threshold) > 0 {
			break
		}
		rejected[i] = true
	}
	return rejected
}

// TestHolmMatchesTheProcedure checks the defining property of adjusted
// p-values (Wright, S. P. (1992), "Adjusted P-values for simultaneous
// inference", Biometrics 48:1005–1013): the adjusted p-value of a hypothesis
// is the smallest α at which the procedure rejects it. Independently of
// HolmAdjust's formula, it runs the procedure (holmRejects, exact rational
// arithmetic) at every candidate α — the values (m − k + 1)·p₍ₖ₎ and 1, the
// only places where a decision can change — and takes for each hypothesis the
// smallest candidate at which it is rejected (1 when none is). P-values are
// random multiples of 1/1000, so ties occur and are exactly representable.
func TestHolmMatchesTheProcedure(t *testing.T) {
	rng := rand.New(rand.NewPCG(1979, 65))
	for trial := 0; trial < 400; trial++ {
		m := 1 + rng.IntN(12)
		floats := make([]float64, m)
		rats := make([]*big.Rat, m)
		for i := range floats {
			k := rng.IntN(1001)
			if trial%4 == 0 {
				k = rng.IntN(60) // small p-values, where decisions happen
			}
			rats[i] = big.NewRat(int64(k), 1000)
			floats[i], _ = rats[i].Float64()
		}
		got, err := HolmAdjust(floats)
		if err != nil {
			t.Fatal(err)
		}
		candidates := []*big.Rat{big.NewRat(1, 1)}
		for _, r := range rats {
			for k := 1; k <= m; k++ {
				c := new(big.Rat).Mul(r, big.NewRat(int64(k), 1))
				if c.Cmp(big.NewRat(1, 1)) <= 0 {
					candidates = append(candidates, c)
				}
			}
		}
		slices.SortFunc(candidates, func(a, b *big.Rat) int { return a.Cmp(b) })
		want := make([]float64, m)
		for i := range want {
			want[i] = 1
		}
		found := make([]bool, m)
		for _, alpha := range candidates {
			for i, r := range holmRejects(rats, alpha) {
				if r && !found[i] {
					found[i] = true
					want[i], _ = alpha.Float64()
				}
			}
		}
		for i := range got {
			if !closeTo(got[i], want[i], 4e-16) {
				t.Fatalf("p = %v: adjusted %v; the procedure rejects H%d first at α = %v", floats, got, i, want[i])
			}
		}
	}
}

// Properties that hold for any family: adjusted ≥ raw, ≤ 1, ≤ Bonferroni's
// min(1, m·p), in the order of the raw values, and equivariant under
// reordering of the input.
func TestHolmProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := 0; trial < 300; trial++ {
		m := 1 + rng.IntN(25)
		p := make([]float64, m)
		for i := range p {
			p[i] = rng.Float64() * rng.Float64() // skewed towards 0
		}
		adj, err := HolmAdjust(p)
		if err != nil {
			t.Fatal(err)
		}
		for i := range p {
			if adj[i] < p[i] || adj[i] > 1 || adj[i] > min(1, float64(m)*p[i]) {
				t.Fatalf("p = %v: adjusted %v breaks p ≤ adjusted ≤ min(1, m·p) at %d", p, adj, i)
			}
			for j := range p {
				if p[i] < p[j] && adj[i] > adj[j] {
					t.Fatalf("p = %v: adjusted %v is not in the order of p (%d, %d)", p, adj, i, j)
				}
			}
		}
		perm := rng.Perm(m)
		shuffled := make([]float64, m)
		for i, j := range perm {
			shuffled[i] = p[j]
		}
		adjShuffled, _ := HolmAdjust(shuffled)
		for i, j := range perm {
			if adjShuffled[i] != adj[j] {
				t.Fatalf("adjusting a reordered family gave %v for %v; want %v", adjShuffled[i], shuffled[i], adj[j])
			}
		}
	}
}
