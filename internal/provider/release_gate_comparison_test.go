package provider

import "testing"

// A pass rate counts each datapoint once, and one listed as both passed and
// failed as failed, as models.OutcomeChanges judges it.
func TestPassCounts(t *testing.T) {
	cases := []struct {
		name           string
		passed, failed []string
		wantPassed     int
		wantJudged     int
	}{
		{"none", []string{}, []string{}, 0, 0},
		{"disjoint", []string{"a", "b"}, []string{"c"}, 2, 3},
		{"repeats count once", []string{"a", "a"}, []string{"c", "c"}, 1, 2},
		{"in both lists is failed", []string{"a", "b"}, []string{"b"}, 1, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			passed, judged := passCounts(tc.passed, tc.failed)
			if passed != tc.wantPassed || judged != tc.wantJudged {
				t.Errorf("passCounts = %d of %d, want %d of %d", passed, judged, tc.wantPassed, tc.wantJudged)
			}
		})
	}
}
