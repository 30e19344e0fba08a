package stats

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestPairedSummarySD checks the SD field: R's sd() of the sleep data's
// differences, with(sleep, sd(extra[group == 2] - extra[group == 1])) =
// 1.22999548327987; exactly 0 for equal differences; 0 below two pairs.
func TestPairedSummarySD(t *testing.T) {
	for _, tc := range []struct {
		name        string
		differences []float64
		sd          float64
	}{
		{"sleep data", sleepDifferences(), 1.22999548327987},
		{"equal differences", []float64{0.1, 0.1, 0.1}, 0},
		{"one pair", []float64{3}, 0},
		{"no pairs", nil, 0},
	} {
		s, err := Paired(tc.differences, 0, 0.95, false)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !closeTo(s.SD, tc.sd, 1e-13) {
			t.Errorf("%s: SD = %.15g, want %.15g", tc.name, s.SD, tc.sd)
		}
	}
}

func TestMinimumDetectableDifferenceErrors(t *testing.T) {
	for _, tc := range []struct {
		name               string
		sd                 float64
		n                  int
		level, power       float64
		wantErrorMentioned string
	}{
		{"one pair", 1, 1, 0.95, 0.8, "at least 2 pairs"},
		{"no pairs", 1, 0, 0.95, 0.8, "at least 2 pairs"},
		{"negative sd", -0.1, 10, 0.95, 0.8, "standard deviation"},
		{"NaN sd", math.NaN(), 10, 0.95, 0.8, "standard deviation"},
		{"infinite sd", math.Inf(1), 10, 0.95, 0.8, "standard deviation"},
		{"level 1", 1, 10, 1, 0.8, "confidence_level"},
		{"level 0", 1, 10, 0, 0.8, "confidence_level"},
		{"NaN level", 1, 10, math.NaN(), 0.8, "confidence_level"},
		{"power 1", 1, 10, 0.95, 1, "power"},
		{"power 0", 1, 10, 0.95, 0, "power"},
		{"power at the false-positive rate", 1, 10, 0.95, 0.025, "power"},
		{"NaN power", 1, 10, 0.95, math.NaN(), "power"},
	} {
		_, err := MinimumDetectableDifference(tc.sd, tc.n, tc.level, tc.power)
		if err == nil || !strings.Contains(err.Error(), tc.wantErrorMentioned) {
			t.Errorf("%s: got error %v, want one mentioning %q", tc.name, err, tc.wantErrorMentioned)
		}
	}
}

func TestPairsNeededErrors(t *testing.T) {
	for _, tc := range []struct {
		name                         string
		sd, difference, level, power float64
		wantErrorMentioned           string
	}{
		{"zero difference", 1, 0, 0.95, 0.8, "positive"},
		{"negative difference", 1, -0.1, 0.95, 0.8, "positive"},
		{"NaN difference", 1, math.NaN(), 0.95, 0.8, "positive"},
		{"infinite difference", 1, math.Inf(1), 0.95, 0.8, "positive"},
		{"negative sd", -1, 0.1, 0.95, 0.8, "standard deviation"},
		{"level above 1", 1, 0.1, 1.5, 0.8, "confidence_level"},
		{"power above 1", 1, 0.1, 0.95, 1.2, "power"},
		// R: power.t.test(delta = 3e-4, sd = 0.3, sig.level = 0.05,
		// power = 0.9, type = "paired")$n = 10507424.98
		{"more than MaxPairsNeeded", 0.3, 3e-4, 0.95, 0.9, "more than 10000000 pairs"},
	} {
		_, err := PairsNeeded(tc.sd, tc.difference, tc.level, tc.power)
		if err == nil || !strings.Contains(err.Error(), tc.wantErrorMentioned) {
			t.Errorf("%s: got error %v, want one mentioning %q", tc.name, err, tc.wantErrorMentioned)
		}
	}
}

func TestPowerWithZeroSD(t *testing.T) {
	if d, err := MinimumDetectableDifference(0, 10, 0.95, 0.8); err != nil || d != 0 {
		t.Errorf("MinimumDetectableDifference(sd 0) = %v, %v; want 0, nil", d, err)
	}
	if n, err := PairsNeeded(0, 0.01, 0.95, 0.8); err != nil || n != 2 {
		t.Errorf("PairsNeeded(sd 0) = %v, %v; want 2, nil", n, err)
	}
}

// TestMinimumDetectableDifferenceProperties checks what must hold whatever
// the reference: fewer pairs, more confidence or more power need a larger
// difference; the difference is proportional to sd.
func TestMinimumDetectableDifferenceProperties(t *testing.T) {
	mdd := func(sd float64, n int, level, power float64) float64 {
		t.Helper()
		d, err := MinimumDetectableDifference(sd, n, level, power)
		if err != nil {
			t.Fatalf("MinimumDetectableDifference(%g, %d, %g, %g): %v", sd, n, level, power, err)
		}
		return d
	}
	for _, level := range []float64{0.8, 0.95, 0.999} {
		previous := math.Inf(1)
		for _, n := range []int{2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50, 75, 100, 300, 1000, 5000, 100_000, 1_000_000} {
			d := mdd(1, n, level, 0.8)
			if !(d < previous) {
				t.Errorf("level %g: MDD(n = %d) = %g, not below MDD at the previous n, %g", level, n, d, previous)
			}
			previous = d
			if higherPower := mdd(1, n, level, 0.9); !(higherPower > d) {
				t.Errorf("level %g, n = %d: MDD at power 0.9 (%g) not above that at 0.8 (%g)", level, n, higherPower, d)
			}
			if lowerLevel := mdd(1, n, level-0.05, 0.8); !(lowerLevel < d) {
				t.Errorf("n = %d: MDD at level %g (%g) not below that at %g (%g)", n, level-0.05, lowerLevel, level, d)
			}
		}
	}
	for _, n := range []int{2, 7, 40, 2500} {
		base := mdd(1, n, 0.95, 0.8)
		for _, k := range []float64{1e-6, 0.05, 0.3, 3, 12.5, 1e9} {
			if got := mdd(k, n, 0.95, 0.8); !closeRel(got, k*base, 1e-12*max(1, k)) {
				t.Errorf("n = %d: MDD(sd = %g) = %.17g, want %g × MDD(sd = 1) = %.17g", n, k, got, k, k*base)
			}
		}
	}
}

// TestPairsNeededInvertsMinimumDetectableDifference: the minimum detectable
// difference with n pairs is detected with n pairs but, made a little
// smaller, not with fewer. So PairsNeeded at MDD(n)·(1 + ε) is n, and at
// MDD(n)·(1 − ε) it is n + 1 (power grows continuously with n and the
// difference).
func TestPairsNeededInvertsMinimumDetectableDifference(t *testing.T) {
	for _, level := range []float64{0.9, 0.95, 0.99} {
		for _, sd := range []float64{0.05, 0.3, 12.5} {
			for _, n := range []int{2, 3, 10, 40, 101, 1234, 40000} {
				d, err := MinimumDetectableDifference(sd, n, level, 0.8)
				if err != nil {
					t.Fatal(err)
				}
				above, err1 := PairsNeeded(sd, d*(1+1e-7), level, 0.8)
				below, err2 := PairsNeeded(sd, d*(1-1e-7), level, 0.8)
				if err1 != nil || err2 != nil || above != n || below != n+1 {
					t.Errorf("level %g, sd %g, n %d: MDD %.15g; PairsNeeded just above = %d (%v), just below = %d (%v); want %d and %d",
						level, sd, n, d, above, err1, below, err2, n, n+1)
				}
			}
		}
	}
}

// TestNoncentralTSurvivalCentral: with ncp = 0 the noncentral t is Student's
// t, whose quantiles come from gonum; P(T > t(1 − p)) must give back p.
// Only up to df = 999: beyond, gonum's quantile itself is off by 2e-11
// (df = 99999) to 1e-10 (df = 1e6), and R's pt at gonum's quantile is the
// reference instead (TestNoncentralTSurvivalR, df = 1e6).
func TestNoncentralTSurvivalCentral(t *testing.T) {
	for _, df := range []float64{1, 2, 3, 9, 39, 999} {
		for _, p := range []float64{0.0005, 0.025, 0.3} {
			q := -distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(p)
			if got := noncentralTSurvival(q, df, 0); !closeTo(got, p, 1e-12) {
				t.Errorf("df = %g: P(T > %g) = %.15g, want %g", df, q, got, p)
			}
		}
	}
}

// TestPairsNeededAtLeastTwo: a difference of 100 sd is detected with any two
// pairs (the test needs n − 1 ≥ 1 degrees of freedom); R's power.t.test would
// report a fractional n below 2 or fail to bracket it.
func TestPairsNeededAtLeastTwo(t *testing.T) {
	if p := pairedTTestPower(100, 2, 0.025); !(p > 0.8) {
		t.Fatalf("power with 2 pairs at an effect of 100 is %g; the case needs it above 0.8", p)
	}
	if n, err := PairsNeeded(1, 100, 0.95, 0.8); err != nil || n != 2 {
		t.Errorf("PairsNeeded(1, 100, 0.95, 0.8) = %d, %v; want 2", n, err)
	}
}

// TestMinimumDetectableDifferenceGuideTable pins the table and the figures of
// the "Sizing a dataset for a gate" section of
// templates/guides/gating-deploys.md.tmpl (95% confidence, 80% power), to the
// 4 decimals it prints. R agrees: sapply(c(0.05, 0.1, 0.2, 0.3), function(sd)
// power.t.test(n = n, sd = sd, sig.level = 0.05, power = 0.8, type = "paired")$delta),
// and ceiling(power.t.test(delta = d, sd = 0.3, power = 0.8, type = "paired")$n).
func TestMinimumDetectableDifferenceGuideTable(t *testing.T) {
	sds := []float64{0.05, 0.1, 0.2, 0.3}
	for _, row := range []struct {
		n    int
		mdds []string
	}{
		{10, []string{"0.0498", "0.0996", "0.1992", "0.2988"}},
		{20, []string{"0.0330", "0.0660", "0.1321", "0.1981"}},
		{40, []string{"0.0227", "0.0454", "0.0909", "0.1363"}},
		{100, []string{"0.0141", "0.0283", "0.0566", "0.0849"}},
		{200, []string{"0.0100", "0.0199", "0.0398", "0.0597"}},
		{500, []string{"0.0063", "0.0126", "0.0251", "0.0377"}},
		{1000, []string{"0.0044", "0.0089", "0.0177", "0.0266"}},
	} {
		for i, sd := range sds {
			d, err := MinimumDetectableDifference(sd, row.n, 0.95, 0.8)
			if got := strconv.FormatFloat(d, 'f', 4, 64); err != nil || got != row.mdds[i] {
				t.Errorf("n = %d, sd = %g: %s (%v); the guide says %s", row.n, sd, got, err, row.mdds[i])
			}
		}
	}
	for _, tc := range []struct {
		difference float64
		pairs      int
	}{{0.02, 1768}, {0.05, 285}, {0.1, 73}} {
		if n, err := PairsNeeded(0.3, tc.difference, 0.95, 0.8); err != nil || n != tc.pairs {
			t.Errorf("PairsNeeded(0.3, %g) = %d (%v); the guide says %d", tc.difference, n, err, tc.pairs)
		}
	}
	// "with a margin of 0.02 it fails such a release 94 times in 100": R's
	// power.t.test(n = 40, delta = 0.02, sd = 0.3, type = "paired")$power = 0.06073939
	if p := pairedTTestPower(0.02/0.3, 40, 0.025); !closeTo(p, 0.06073939, 1e-8) {
		t.Errorf("power at margin 0.02, sd 0.3, 40 pairs = %.10g; R gives 0.06073939", p)
	}
}

// BenchmarkMinimumDetectableDifference: the gate computes one per paired
// metric at plan time (0.4 to 0.9 ms each on a busy 2-core machine).
func BenchmarkMinimumDetectableDifference(b *testing.B) {
	for range b.N {
		if _, err := MinimumDetectableDifference(0.3, 40, 0.95, 0.8); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPairsNeeded(b *testing.B) {
	for range b.N {
		if _, err := PairsNeeded(0.3, 0.02, 0.95, 0.8); err != nil {
			b.Fatal(err)
		}
	}
}
