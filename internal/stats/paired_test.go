package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestValidateConfidenceLevel(t *testing.T) {
	for _, level := range []float64{1e-9, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999999} {
		if err := ValidateConfidenceLevel(level); err != nil {
			t.Errorf("ValidateConfidenceLevel(%v) = %v; want nil", level, err)
		}
	}
	for _, level := range []float64{0, 1, -0.5, 1.5, 95, math.NaN(), math.Inf(1), math.Inf(-1)} {
		if err := ValidateConfidenceLevel(level); err == nil {
			t.Errorf("ValidateConfidenceLevel(%v) = nil; want an error", level)
		}
	}
	err := ValidateConfidenceLevel(1.5)
	want := "confidence_level must be between 0 and 1 (exclusive), such as 0.95; got 1.5"
	if err == nil || err.Error() != want {
		t.Errorf("message = %q; want %q", err, want)
	}
}

func TestPairedRejectsBadInput(t *testing.T) {
	tests := []struct {
		name    string
		d       []float64
		skipped int
		level   float64
		wantErr string
	}{
		{"level 0", []float64{1, 2}, 0, 0, "confidence_level"},
		{"level 1", []float64{1, 2}, 0, 1, "confidence_level"},
		{"level NaN", []float64{1, 2}, 0, math.NaN(), "got NaN"},
		{"negative skipped", []float64{1, 2}, -1, 0.95, "skipped"},
		{"NaN difference", []float64{1, math.NaN()}, 0, 0.95, "difference 1 is NaN"},
		{"Inf difference", []float64{math.Inf(-1)}, 0, 0.95, "difference 0 is -Inf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Paired(tt.d, tt.skipped, tt.level, false)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v; want one containing %q", err, tt.wantErr)
			}
		})
	}
	if _, _, ok := StudentTInterval([]float64{1, math.Inf(1)}, 0.95); ok {
		t.Error("StudentTInterval accepted an infinite difference")
	}
	if _, _, ok := StudentTInterval([]float64{1, 2}, 1.5); ok {
		t.Error("StudentTInterval accepted confidence 1.5")
	}
}

func TestPairedSmallSamples(t *testing.T) {
	t.Run("n=0", func(t *testing.T) {
		s, err := Paired(nil, 3, 0.95, false)
		if err != nil {
			t.Fatal(err)
		}
		want := PairedSummary{N: 0, Skipped: 3, PValue: 1, Verdict: VerdictInsufficientData}
		if s != want {
			t.Errorf("got %+v; want %+v", s, want)
		}
	})
	t.Run("n=1", func(t *testing.T) {
		s, err := Paired([]float64{0.25}, 0, 0.95, false)
		if err != nil {
			t.Fatal(err)
		}
		// One positive pair: p = 2·P(X ≤ 0), X ~ Binomial(1, ½) = 1.
		want := PairedSummary{N: 1, MeanDifference: 0.25, HasMean: true, PValue: 1, Verdict: VerdictInsufficientData}
		if s != want {
			t.Errorf("got %+v; want %+v", s, want)
		}
		if _, _, ok := StudentTInterval([]float64{0.25}, 0.95); ok {
			t.Error("StudentTInterval gave an interval for one value")
		}
	})
	t.Run("n=2", func(t *testing.T) {
		s, err := Paired([]float64{1, 3}, 0, 0.95, false)
		if err != nil {
			t.Fatal(err)
		}
		// mean 2, sd √2, half-width t(0.975, 1)·√2/√2 = tan(0.475π).
		h := math.Tan(0.475 * math.Pi)
		if !s.HasInterval || !closeTo(s.CILower, 2-h, 1e-11) || !closeTo(s.CIUpper, 2+h, 1e-11) {
			t.Errorf("interval = [%v, %v]; want 2 ± %v", s.CILower, s.CIUpper, h)
		}
		if s.Verdict != VerdictInconclusive {
			t.Errorf("verdict = %q; want inconclusive", s.Verdict)
		}
	})
}

func TestPairedVerdict(t *testing.T) {
	tests := []struct {
		name          string
		d             []float64
		lowerIsBetter bool
		want          Verdict
	}{
		{"empty", nil, false, VerdictInsufficientData},
		{"one large gain", []float64{100}, false, VerdictInsufficientData},
		{"one pair lower is better", []float64{-100}, true, VerdictInsufficientData},
		{"all zero", []float64{0, 0, 0, 0}, false, VerdictUnchanged},
		{"all zero, negative zero too", []float64{0, math.Copysign(0, -1)}, true, VerdictUnchanged},
		{"one zero pair", []float64{0}, false, VerdictInsufficientData}, // n < 2 wins over unchanged
		{"interval straddles 0", []float64{1, -1, 2, -1.5}, false, VerdictInconclusive},
		{"interval straddles 0, lower is better", []float64{1, -1, 2, -1.5}, true, VerdictInconclusive},
		{"clear gain", []float64{1, 1.2, 0.9, 1.1, 1.05}, false, VerdictImproved},
		{"clear gain, lower is better", []float64{1, 1.2, 0.9, 1.1, 1.05}, true, VerdictRegressed},
		{"clear loss", []float64{-1, -1.2, -0.9, -1.1, -1.05}, false, VerdictRegressed},
		{"clear loss, lower is better", []float64{-1, -1.2, -0.9, -1.1, -1.05}, true, VerdictImproved},
		// sd = 0 but not zero: the interval is [0.5, 0.5], which excludes 0.
		{"constant gain", []float64{0.5, 0.5}, false, VerdictImproved},
		{"constant gain, lower is better", []float64{0.5, 0.5}, true, VerdictRegressed},
		// Mostly ties: only the interval decides, not the sign test.
		{"mostly ties", []float64{0, 0, 0, 0, 0, 0, 0, 0, 1}, false, VerdictInconclusive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Paired(tt.d, 0, 0.95, tt.lowerIsBetter)
			if err != nil {
				t.Fatal(err)
			}
			if s.Verdict != tt.want {
				t.Errorf("verdict = %q; want %q (summary %+v)", s.Verdict, tt.want, s)
			}
		})
	}
}

// TestPairedDirectionKeepsNumbers checks that lower-is-better changes only the
// verdict: the numbers stay new − old.
func TestPairedDirectionKeepsNumbers(t *testing.T) {
	d := []float64{-0.2, -0.4, -0.1, -0.3, 0.05}
	higher, err := Paired(d, 2, 0.9, false)
	if err != nil {
		t.Fatal(err)
	}
	lower, err := Paired(d, 2, 0.9, true)
	if err != nil {
		t.Fatal(err)
	}
	if higher.Verdict != VerdictRegressed || lower.Verdict != VerdictImproved {
		t.Errorf("verdicts = %q, %q; want regressed, improved", higher.Verdict, lower.Verdict)
	}
	lower.Verdict = higher.Verdict
	if lower != higher {
		t.Errorf("numbers differ with the direction:\n%+v\n%+v", higher, lower)
	}
	if higher.MeanDifference >= 0 {
		t.Errorf("mean = %v; want the raw negative new − old", higher.MeanDifference)
	}
}

// TestZeroSpreadInterval checks that equal differences give an interval equal
// to the mean exactly, including values such as 0.1 whose naive mean (sum/n)
// is not the value itself.
func TestZeroSpreadInterval(t *testing.T) {
	for _, v := range []float64{0.1, -0.3, 1e-300, 7e300, 1} {
		for _, n := range []int{2, 3, 10, 1000} {
			d := make([]float64, n)
			for i := range d {
				d[i] = v
			}
			s, err := Paired(d, 0, 0.99, false)
			if err != nil {
				t.Fatal(err)
			}
			if s.MeanDifference != v || s.CILower != v || s.CIUpper != v || !s.HasInterval {
				t.Errorf("%d × %v: mean %v interval [%v, %v]; want all %v", n, v, s.MeanDifference, s.CILower, s.CIUpper, v)
			}
		}
	}
}

// TestMeanAndSDStable checks the two-pass computation where the naive one
// loses everything: a large common offset, and magnitudes near the float64
// limits. The expected values are exact by hand.
func TestMeanAndSDStable(t *testing.T) {
	// 1e9 + {1, 2, 3, 4, 5}: mean 1e9 + 3, sample variance 10/4 = 2.5.
	d := []float64{1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4, 1e9 + 5}
	if m, sd := meanAndSD(d); m != 1e9+3 || !closeTo(sd, math.Sqrt(2.5), 1e-12) {
		t.Errorf("offset data: mean %v sd %v; want %v, %v", m, sd, 1e9+3, math.Sqrt(2.5))
	}
	// {3, 5}·s: mean 4s, sd √2·s, for s at both ends of the range.
	for _, s := range []float64{1e300, 1e-300, 1e-310} {
		m, sd := meanAndSD([]float64{3 * s, 5 * s})
		if !closeTo(m/s, 4, 1e-12) || !closeTo(sd/s, math.Sqrt2, 1e-12) {
			t.Errorf("scale %g: mean/s %v sd/s %v; want 4, √2", s, m/s, sd/s)
		}
	}
	lo, hi, ok := StudentTInterval([]float64{3e300, 5e300}, 0.95)
	h := math.Tan(0.475*math.Pi) * 1e300
	if !ok || !closeTo(lo/4e300, (4e300-h)/4e300, 1e-12) || !closeTo(hi/4e300, (4e300+h)/4e300, 1e-12) {
		t.Errorf("huge values: [%v, %v]; want 4e300 ± %v", lo, hi, h)
	}
}

// randomDifferences returns n draws of a normal with the given mean and
// spread, rounded to 3 decimals as metric scores often are (so ties occur).
func randomDifferences(r *rand.Rand, n int, mean, spread float64) []float64 {
	d := make([]float64, n)
	for i := range d {
		d[i] = math.Round((mean+spread*r.NormFloat64())*1000) / 1000
	}
	return d
}

func negate(d []float64) []float64 {
	out := make([]float64, len(d))
	for i, x := range d {
		out[i] = -x
	}
	return out
}

func TestPairedProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(20240601, 7))
	levels := []float64{0.5, 0.8, 0.9, 0.95, 0.99, 0.999}
	for trial := 0; trial < 500; trial++ {
		n := 2 + r.IntN(200)
		d := randomDifferences(r, n, r.Float64()-0.5, r.Float64()*2)
		level := levels[r.IntN(len(levels))]
		lowerIsBetter := r.IntN(2) == 0

		s, err := Paired(d, trial%3, level, lowerIsBetter)
		if err != nil {
			t.Fatal(err)
		}
		if !(s.CILower <= s.MeanDifference && s.MeanDifference <= s.CIUpper) {
			t.Fatalf("trial %d: mean %v outside [%v, %v]", trial, s.MeanDifference, s.CILower, s.CIUpper)
		}
		if !(s.PValue >= 0 && s.PValue <= 1) {
			t.Fatalf("trial %d: p = %v", trial, s.PValue)
		}

		// Swapping the runs negates every difference.
		w, err := Paired(negate(d), trial%3, level, lowerIsBetter)
		if err != nil {
			t.Fatal(err)
		}
		if w.MeanDifference != -s.MeanDifference || w.CILower != -s.CIUpper || w.CIUpper != -s.CILower || w.PValue != s.PValue {
			t.Fatalf("trial %d: swapped %+v is not the mirror of %+v", trial, w, s)
		}
		mirror := map[Verdict]Verdict{VerdictImproved: VerdictRegressed, VerdictRegressed: VerdictImproved}
		want := s.Verdict
		if m, ok := mirror[want]; ok {
			want = m
		}
		if w.Verdict != want {
			t.Fatalf("trial %d: swapped verdict %q; original %q", trial, w.Verdict, s.Verdict)
		}

		// A higher confidence level widens the interval.
		if level < 0.999 {
			lo, hi, _ := StudentTInterval(d, 0.999)
			if hi-lo < s.CIUpper-s.CILower {
				t.Fatalf("trial %d: 99.9%% interval narrower than %v%%", trial, level*100)
			}
		}

		// The same data twice is a bigger sample with the same mean: the
		// interval narrows (unless every difference is equal).
		lo2, hi2, _ := StudentTInterval(slices.Concat(d, d), level)
		if s.CIUpper > s.CILower && !(hi2-lo2 < s.CIUpper-s.CILower) {
			t.Fatalf("trial %d: duplicated data width %v; original %v", trial, hi2-lo2, s.CIUpper-s.CILower)
		}
	}
}

// TestIntervalNarrowsWithSampleSize draws samples of growing size from one
// distribution: the width shrinks about as 1/√n.
func TestIntervalNarrowsWithSampleSize(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	prev := math.Inf(1)
	for _, n := range []int{10, 100, 1000, 10000} {
		lo, hi, ok := StudentTInterval(randomDifferences(r, n, 0.1, 1), 0.95)
		if !ok || !(hi-lo < prev) {
			t.Fatalf("n=%d: width %v, previous %v", n, hi-lo, prev)
		}
		prev = hi - lo
	}
}

func TestSignTestProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 2000; trial++ {
		maxN := 100
		if trial%10 == 0 {
			maxN = 100000
		}
		b, c := r.IntN(maxN), r.IntN(maxN)
		p := SignTestPValue(b, c)
		if !(p >= 0 && p <= 1) {
			t.Fatalf("SignTestPValue(%d, %d) = %v", b, c, p)
		}
		if q := SignTestPValue(c, b); q != p {
			t.Fatalf("not symmetric: (%d, %d) → %v, (%d, %d) → %v", b, c, p, c, b, q)
		}
	}
	// For a fixed number of pairs, the more lopsided the split, the smaller p.
	for _, n := range []int{7, 40, 61, 500, 50000} {
		prev := 2.0
		for k := n / 2; k >= 0; k -= max(1, n/50) {
			p := SignTestPValue(k, n-k)
			if p > prev {
				t.Fatalf("n=%d: p(%d) = %v > p at a less lopsided split %v", n, k, p, prev)
			}
			prev = p
		}
	}
	if !math.IsNaN(SignTestPValue(-1, 3)) {
		t.Error("negative count: want NaN")
	}
}

func TestWilsonBounds(t *testing.T) {
	for _, level := range []float64{0.5, 0.8, 0.95, 0.99, 0.999999} {
		for _, n := range []int{1, 2, 3, 10, 97, 1000, 1 << 30} {
			for _, k := range []int{0, 1, n / 3, n / 2, n - 1, n} {
				if k < 0 || k > n {
					continue
				}
				lo, hi, ok := WilsonInterval(k, n, level)
				p := float64(k) / float64(n)
				if !ok || lo < 0 || hi > 1 || lo > p || p > hi {
					t.Errorf("WilsonInterval(%d, %d, %v) = [%v, %v] ok=%v; want 0 ≤ lo ≤ %v ≤ hi ≤ 1", k, n, level, lo, hi, ok, p)
				}
				if k == 0 && lo != 0 {
					t.Errorf("WilsonInterval(0, %d, %v) lower = %v; want 0", n, level, lo)
				}
				if k == n && hi != 1 {
					t.Errorf("WilsonInterval(%d, %d, %v) upper = %v; want 1", n, n, level, hi)
				}
			}
		}
	}
	for _, c := range []struct {
		k, n  int
		level float64
	}{{0, 0, 0.95}, {1, 0, 0.95}, {-1, 5, 0.95}, {6, 5, 0.95}, {1, 5, 1}, {1, 5, 0}, {1, 5, math.NaN()}} {
		if lo, hi, ok := WilsonInterval(c.k, c.n, c.level); ok || lo != 0 || hi != 0 {
			t.Errorf("WilsonInterval(%d, %d, %v) = [%v, %v] ok=%v; want no interval", c.k, c.n, c.level, lo, hi, ok)
		}
	}
}

// TestPairedLarge runs the 50,000-pair case the provider must handle.
func TestPairedLarge(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	d := randomDifferences(r, 50000, 0.01, 0.2)
	s, err := Paired(d, 0, 0.95, false)
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 50000 || !s.HasInterval || s.CIUpper-s.CILower > 0.01 || s.PValue < 0 || s.PValue > 1 {
		t.Errorf("summary %+v", s)
	}
	if s.Verdict != VerdictImproved {
		t.Errorf("verdict = %q; want improved (true mean 0.01, standard error ~0.0009)", s.Verdict)
	}
}

func BenchmarkPaired50000(b *testing.B) {
	d := randomDifferences(rand.New(rand.NewPCG(7, 8)), 50000, 0.01, 0.2)
	for b.Loop() {
		if _, err := Paired(d, 0, 0.95, false); err != nil {
			b.Fatal(err)
		}
	}
}
