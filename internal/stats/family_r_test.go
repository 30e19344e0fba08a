package stats

import "testing"

// TestPairedFamilySleepDataR checks PairedFamily on the sleep data (see
// TestPairedSleepData) against R 4.2.2, for families of several sizes:
//
//	with(sleep, t.test(extra[group == 1], extra[group == 2], paired = TRUE,
//	                   conf.level = 1 - 0.05/m))$conf.int
//
// printed with options(digits = 15) and given here to 12 significant digits.
// R's t quantile (qt) shares no code with gonum's. The paired t-test's
// p-value is 0.002833 (R), so the Bonferroni interval excludes 0 while
// 0.002833·m < 0.05, up to m = 17, and reaches above 0 from m = 18 on.
func TestPairedFamilySleepDataR(t *testing.T) {
	d := sleepDifferences()
	for _, tc := range []struct {
		m            int
		lower, upper float64
		verdict      Verdict
	}{
		{1, -2.4598858, -0.7001142, VerdictRegressed}, // R's documented 95% interval (8 digits)
		{2, -2.6243583926, -0.535641607396, VerdictRegressed},
		{3, -2.72094199417, -0.439058005835, VerdictRegressed},
		{5, -2.8440518851, -0.315948114895, VerdictRegressed},
		{17, -3.15028448966, -0.00971551034168, VerdictRegressed},
		{18, -3.16509728972, 0.00509728972446, VerdictInconclusive},
		{20, -3.19254073222, 0.0325407322221, VerdictInconclusive},
	} {
		s, err := PairedFamily(d, 0, 0.95, tc.m, false)
		if err != nil {
			t.Fatal(err)
		}
		tol := 1e-10
		if tc.m == 1 {
			tol = 1e-7
		}
		if !closeTo(s.CILower, tc.lower, tol) || !closeTo(s.CIUpper, tc.upper, tol) || s.Verdict != tc.verdict {
			t.Errorf("m = %d: [%.12g, %.12g] %s; R gives [%.12g, %.12g], want %s",
				tc.m, s.CILower, s.CIUpper, s.Verdict, tc.lower, tc.upper, tc.verdict)
		}
	}
}
