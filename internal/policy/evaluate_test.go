package policy

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

// rDifferences are 40 paired differences whose R reference values are below:
// mean -0.03, sd 0.09114654303752999.
func rDifferences() []float64 {
	d := make([]float64, 40)
	for i := range d {
		d[i] = 0.06
		if i >= 20 {
			d[i] = -0.12
		}
	}
	return d
}

// Reference values for rDifferences, computed with R 4.2.2 (options(digits = 17)),
// d <- c(rep(0.06, 20), rep(-0.12, 20)):
const (
	// t.test(d, conf.level = 0.95)$conf.int
	rCILower95, rCIUpper95 = -0.05915007864694195316, -0.00084992135305803659
	// t.test(d, conf.level = 1 - 0.05/2)$conf.int (a family of 2 at 95%)
	rCILowerFamily2, rCIUpperFamily2 = -0.0635970938458432222, 0.0035970938458432288
	// power.t.test(n = 40, sd = sd(d), sig.level = 0.05, power = 0.8, type = "paired", tol = 1e-12)$delta
	// (R's default tol, .Machine$double.eps^0.25, stops uniroot at 0.041400610630083656, 3.4e-6 short)
	rMDD = 0.041403999612182496
	// ceiling(power.t.test(delta = 0.02, sd = sd(d), sig.level = 0.05, power = 0.8, type = "paired", tol = 1e-12)$n)
	// (the n itself is 164.94622993274484; 164.94623094249451 with the default tol)
	rPairsNeeded = 165
	// prop.test(45, 50, correct = FALSE, conf.level = 0.95)$conf.int (the Wilson interval)
	rWilson45of50Lower, rWilson45of50Upper = 0.78639768562520351, 0.95652423506810969
	// prop.test(9, 10, correct = FALSE, conf.level = 0.95)$conf.int
	rWilson9of10Lower = 0.59584997320476152
)

func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "dp-" + FormatCount(i+1)
	}
	return out
}

// testComparison has completed runs and these metrics:
//   - accuracy: rDifferences, aggregate 0.85, 45 of 50 passed, 7 regressed;
//   - f1: three differences of -0.05 (regressed, interval [-0.05, -0.05]);
//   - steady: four differences of 0.01 (improved, interval [0.01, 0.01]);
//   - latency, lower is better: two differences of 0.1 (regressed);
//   - cost, lower is better: two differences of -0.2 (improved);
//   - noagg: numeric, no aggregate in either run, one pair and 3 skipped;
//   - label: strings, pass/fail known, nothing judged.
//
// The whole datapoints: 9 of 10 passed, none regressed.
func testComparison() Comparison {
	return Comparison{
		NewRunID: "run-new", OldRunID: "run-old",
		NewRunStatus: "completed", OldRunStatus: "completed",
		ConfidenceLevel: 0.95,
		Metrics: []Metric{
			{Name: "accuracy", Numeric: true, OldAggregate: f64(0.88), NewAggregate: f64(0.85),
				Differences: rDifferences(), Skipped: 0,
				Outcomes: Outcomes{Known: true, NewPassed: 45, NewJudged: 50, Regressed: ids(7)}},
			{Name: "f1", Numeric: true, NewAggregate: f64(0.7), Differences: []float64{-0.05, -0.05, -0.05},
				Outcomes: Outcomes{Known: true, NewPassed: 2, NewJudged: 3, Regressed: []string{"dp-9"}}},
			{Name: "steady", Numeric: true, NewAggregate: f64(0.5), Differences: []float64{0.01, 0.01, 0.01, 0.01}},
			{Name: "latency", Numeric: true, LowerIsBetter: true, NewAggregate: f64(1.3), Differences: []float64{0.1, 0.1}},
			{Name: "cost", Numeric: true, LowerIsBetter: true, NewAggregate: f64(2), Differences: []float64{-0.2, -0.2}},
			{Name: "noagg", Numeric: true, Differences: []float64{0.5}, Skipped: 3},
			{Name: "label", Outcomes: Outcomes{Known: true}},
			{Name: "accuracy", Numeric: true, NewAggregate: f64(0.1)}, // a repeat: the first entry counts
		},
		Datapoints: Outcomes{Known: true, NewPassed: 9, NewJudged: 10},
	}
}

// ruleCase is one rule judged alone against testComparison.
type ruleCase struct {
	name     string
	rule     Rule
	reason   Reason
	observed *float64 // nil: none
	required string
	message  string
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, errs := Evaluate(testComparison(), []Rule{c.rule})
			if len(errs) != 0 {
				t.Fatalf("Evaluate errors: %v", errs)
			}
			rr := res.Rules[0]
			if rr.Passed != (c.reason == "") || rr.Reason != c.reason || res.Passed != rr.Passed {
				t.Errorf("passed %v, reason %q, result passed %v; want reason %q", rr.Passed, rr.Reason, res.Passed, c.reason)
			}
			checkObserved(t, rr.Observed, c.observed)
			if rr.Required != c.required {
				t.Errorf("required %q, want %q", rr.Required, c.required)
			}
			if rr.Message != c.message {
				t.Errorf("message\n%s\nwant\n%s", rr.Message, c.message)
			}
			if rr.Index != 0 || !reflect.DeepEqual(rr.Rule, c.rule) {
				t.Errorf("index %d, rule %#v; want 0 and the rule given", rr.Index, rr.Rule)
			}
		})
	}
}

func checkObserved(t *testing.T, got, want *float64) {
	t.Helper()
	switch {
	case (got == nil) != (want == nil):
		t.Errorf("observed %v, want %v", deref(got), deref(want))
	case got != nil && math.Abs(*got-*want) > 1e-9:
		t.Errorf("observed %.17g, want %.17g", *got, *want)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestEvaluate_threshold(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"min holds", Rule{Kind: Threshold, Metric: "accuracy", Min: f64(0.8)}, "", f64(0.85), ">= 0.8",
			"rule 0 (threshold, accuracy): aggregate 0.85, >= 0.8 required: holds"},
		{"min equal holds", Rule{Kind: Threshold, Metric: "accuracy", Min: f64(0.85)}, "", f64(0.85), ">= 0.85",
			"rule 0 (threshold, accuracy): aggregate 0.85, >= 0.85 required: holds"},
		{"min violated", Rule{Kind: Threshold, Metric: "accuracy", Min: f64(0.9)}, ReasonViolated, f64(0.85), ">= 0.9",
			"rule 0 (threshold, accuracy): aggregate 0.85 < 0.9 required: the new run's accuracy is below the minimum"},
		{"max violated", Rule{Kind: Threshold, Metric: "latency", Max: f64(1.2)}, ReasonViolated, f64(1.3), "<= 1.2",
			"rule 0 (threshold, latency): aggregate 1.3 > 1.2 required: the new run's latency is above the maximum"},
		{"between holds", Rule{Kind: Threshold, Metric: "accuracy", Min: f64(0.8), Max: f64(0.9)}, "", f64(0.85),
			"between 0.8 and 0.9", "rule 0 (threshold, accuracy): aggregate 0.85, between 0.8 and 0.9 required: holds"},
		{"between, below", Rule{Kind: Threshold, Metric: "steady", Min: f64(0.8), Max: f64(1.2)}, ReasonViolated,
			f64(0.5), "between 0.8 and 1.2",
			"rule 0 (threshold, steady): aggregate 0.5 < 0.8 required: the new run's steady is below the minimum"},
		{"no aggregate fails closed", Rule{Kind: Threshold, Metric: "noagg", Min: f64(0)}, ReasonMissingMetric, nil,
			">= 0", "rule 0 (threshold, noagg): the new run has no aggregate for noagg"},
	})
}

func TestEvaluate_nonInferiorityAndSuperiority(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"non-inferiority violated (R reference interval)", Rule{Kind: NonInferiority, Metric: "accuracy", Margin: f64(0.02)},
			ReasonViolated, f64(rCILower95), ">= -0.02",
			"rule 0 (non_inferiority, accuracy): ci_lower -0.0592 < -0.02 required: the new run may be worse by more " +
				"than the margin (mean difference -0.03, 95% CI [-0.0592, -0.00085], 40 pairs)"},
		{"non-inferiority holds", Rule{Kind: NonInferiority, Metric: "accuracy", Margin: f64(0.07)},
			"", f64(rCILower95), ">= -0.07",
			"rule 0 (non_inferiority, accuracy): ci_lower -0.0592, >= -0.07 required: holds (mean difference -0.03, " +
				"95% CI [-0.0592, -0.00085], 40 pairs)"},
		{"non-inferiority, margin 0, improved", Rule{Kind: NonInferiority, Metric: "steady", Margin: f64(0)},
			"", f64(0.01), ">= 0",
			"rule 0 (non_inferiority, steady): ci_lower 0.01, >= 0 required: holds (mean difference 0.01, " +
				"95% CI [0.01, 0.01], 4 pairs)"},
		{"non-inferiority, lower is better, violated", Rule{Kind: NonInferiority, Metric: "latency", Margin: f64(0.05)},
			ReasonViolated, f64(0.1), "<= 0.05",
			"rule 0 (non_inferiority, latency): ci_upper 0.1 > 0.05 required: the new run may be worse by more than " +
				"the margin (mean difference 0.1, 95% CI [0.1, 0.1], 2 pairs)"},
		{"non-inferiority, lower is better, at the margin", Rule{Kind: NonInferiority, Metric: "latency", Margin: f64(0.1)},
			"", f64(0.1), "<= 0.1",
			"rule 0 (non_inferiority, latency): ci_upper 0.1, <= 0.1 required: holds (mean difference 0.1, " +
				"95% CI [0.1, 0.1], 2 pairs)"},
		{"non-inferiority, too few pairs", Rule{Kind: NonInferiority, Metric: "accuracy", Margin: f64(0.1), MinPairs: 41},
			ReasonTooFewPairs, nil, ">= -0.1",
			"rule 0 (non_inferiority, accuracy): 40 pairs, at least 41 required: too few datapoints have accuracy in " +
				"both runs to judge it"},
		{"non-inferiority, one pair", Rule{Kind: NonInferiority, Metric: "noagg", Margin: f64(0.1)},
			ReasonTooFewPairs, nil, ">= -0.1",
			"rule 0 (non_inferiority, noagg): 1 pair (3 skipped), at least 2 required: too few datapoints have noagg " +
				"in both runs to judge it"},
		{"superiority holds", Rule{Kind: Superiority, Metric: "steady"}, "", f64(0.01), "> 0",
			"rule 0 (superiority, steady): ci_lower 0.01, > 0 required: holds (mean difference 0.01, " +
				"95% CI [0.01, 0.01], 4 pairs)"},
		{"superiority, at the margin, violated", Rule{Kind: Superiority, Metric: "steady", Margin: f64(0.01)},
			ReasonViolated, f64(0.01), "> 0.01",
			"rule 0 (superiority, steady): ci_lower 0.01 <= 0.01 required: the interval does not show the new run " +
				"better by more than the margin (mean difference 0.01, 95% CI [0.01, 0.01], 4 pairs)"},
		{"superiority, regressed", Rule{Kind: Superiority, Metric: "accuracy"}, ReasonViolated, f64(rCILower95), "> 0",
			"rule 0 (superiority, accuracy): ci_lower -0.0592 <= 0 required: the interval does not show the new run " +
				"better (mean difference -0.03, 95% CI [-0.0592, -0.00085], 40 pairs)"},
		{"superiority, lower is better, holds", Rule{Kind: Superiority, Metric: "cost", Margin: f64(0.1)},
			"", f64(-0.2), "< -0.1",
			"rule 0 (superiority, cost): ci_upper -0.2, < -0.1 required: holds (mean difference -0.2, " +
				"95% CI [-0.2, -0.2], 2 pairs)"},
		{"superiority, lower is better, violated", Rule{Kind: Superiority, Metric: "latency"},
			ReasonViolated, f64(0.1), "< 0",
			"rule 0 (superiority, latency): ci_upper 0.1 >= 0 required: the interval does not show the new run " +
				"better (mean difference 0.1, 95% CI [0.1, 0.1], 2 pairs)"},
	})
}

// The paired rules read the same numbers as stats.Paired, called as the
// comparison data source calls it.
func TestEvaluate_pairedMatchesStats(t *testing.T) {
	c := testComparison()
	for _, m := range c.Metrics[:5] {
		s, err := stats.Paired(m.Differences, m.Skipped, c.ConfidenceLevel, m.LowerIsBetter)
		if err != nil {
			t.Fatal(err)
		}
		res, errs := Evaluate(c, []Rule{{Kind: NonInferiority, Metric: m.Name, Margin: f64(0.03)}})
		if len(errs) != 0 {
			t.Fatal(errs)
		}
		want := s.CILower
		if m.LowerIsBetter {
			want = s.CIUpper
		}
		if got := res.Rules[0].Observed; got == nil || *got != want {
			t.Errorf("%s: observed %v, want stats.Paired's bound %v", m.Name, deref(got), want)
		}
	}
	// And the statistics against R.
	res, _ := Evaluate(c, []Rule{{Kind: NonInferiority, Metric: "accuracy", Margin: f64(0.02)}})
	p := res.Metrics[0].Paired
	if math.Abs(p.CILower-rCILower95) > 1e-12 || math.Abs(p.CIUpper-rCIUpper95) > 1e-12 {
		t.Errorf("accuracy interval [%.17g, %.17g], R's t.test gives [%.17g, %.17g]", p.CILower, p.CIUpper,
			rCILower95, rCIUpper95)
	}
}

func TestEvaluate_noNewFailures(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"violated, first five named", Rule{Kind: NoNewFailures, Metric: "accuracy"}, ReasonViolated, f64(7), "<= 0",
			"rule 0 (no_new_failures, accuracy): 7 datapoints regressed, at most 0 allowed: dp-1, dp-2, dp-3, dp-4, " +
				"dp-5 and 2 more passed in the old run and fail in the new one"},
		{"one regressed", Rule{Kind: NoNewFailures, Metric: "f1"}, ReasonViolated, f64(1), "<= 0",
			"rule 0 (no_new_failures, f1): 1 datapoint regressed, at most 0 allowed: dp-9 passed in the old run and " +
				"fails in the new one"},
		{"within max_regressed", Rule{Kind: NoNewFailures, Metric: "accuracy", MaxRegressed: intp(7)}, "", f64(7), "<= 7",
			"rule 0 (no_new_failures, accuracy): 7 datapoints regressed, at most 7 allowed: holds"},
		{"whole datapoints hold", Rule{Kind: NoNewFailures}, "", f64(0), "<= 0",
			"rule 0 (no_new_failures): 0 datapoints regressed, at most 0 allowed: holds"},
		{"no outcomes fails closed", Rule{Kind: NoNewFailures, Metric: "steady"}, ReasonNoOutcomes, nil, "<= 0",
			"rule 0 (no_new_failures, steady): the runs carry no pass/fail outcomes for steady, so new failures " +
				"cannot be ruled out"},
	})

	res, _ := Evaluate(testComparison(), []Rule{{Kind: NoNewFailures, Metric: "accuracy"}})
	rr := res.Rules[0]
	if rr.RegressedCount != 7 || !reflect.DeepEqual(rr.Regressed, ids(5)) {
		t.Errorf("regressed count %d, IDs %v; want 7 and the first 5", rr.RegressedCount, rr.Regressed)
	}
	c := testComparison()
	c.Datapoints = Outcomes{}
	res, _ = Evaluate(c, []Rule{{Kind: NoNewFailures}})
	if got := res.Rules[0].Message; got != "rule 0 (no_new_failures): the runs carry no pass/fail outcomes for the "+
		"datapoints, so new failures cannot be ruled out" {
		t.Errorf("message %q", got)
	}
}

func TestEvaluate_minPassRate(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"holds (R's Wilson interval)", Rule{Kind: MinPassRate, Metric: "accuracy", Min: f64(0.75)}, "",
			f64(rWilson45of50Lower), ">= 75%",
			"rule 0 (min_pass_rate, accuracy): pass rate lower bound 78.6%, >= 75% required: holds (45 of 50 passed, " +
				"90%, 95% CI [78.6%, 95.7%])"},
		{"violated", Rule{Kind: MinPassRate, Metric: "accuracy", Min: f64(0.8)}, ReasonViolated,
			f64(rWilson45of50Lower), ">= 80%",
			"rule 0 (min_pass_rate, accuracy): pass rate lower bound 78.6% < 80% required: the new run's pass rate " +
				"may be below the minimum (45 of 50 passed, 90%, 95% CI [78.6%, 95.7%])"},
		{"whole datapoints", Rule{Kind: MinPassRate, Min: f64(0.5)}, "", f64(rWilson9of10Lower), ">= 50%",
			"rule 0 (min_pass_rate): pass rate lower bound 59.6%, >= 50% required: holds (9 of 10 passed, 90%, " +
				"95% CI [59.6%, 98.2%])"},
		{"nothing judged fails closed", Rule{Kind: MinPassRate, Metric: "label", Min: f64(0)}, ReasonNoOutcomes, nil,
			">= 0%", "rule 0 (min_pass_rate, label): the new run judged no datapoints for label: a pass rate of none " +
				"has no lower bound"},
		{"no outcomes fails closed", Rule{Kind: MinPassRate, Metric: "steady", Min: f64(0.5)}, ReasonNoOutcomes, nil,
			">= 50%", "rule 0 (min_pass_rate, steady): the runs carry no pass/fail outcomes for steady, so the pass " +
				"rate is unknown"},
	})
	lower, upper, _ := stats.WilsonInterval(45, 50, 0.95)
	if math.Abs(lower-rWilson45of50Lower) > 1e-12 || math.Abs(upper-rWilson45of50Upper) > 1e-12 {
		t.Errorf("Wilson interval of 45/50 [%.17g, %.17g], R's prop.test gives [%.17g, %.17g]", lower, upper,
			rWilson45of50Lower, rWilson45of50Upper)
	}

	c := testComparison()
	c.Datapoints = Outcomes{Known: true, NewPassed: 11, NewJudged: 10}
	res, _ := Evaluate(c, []Rule{{Kind: MinPassRate, Min: f64(0.5)}})
	if rr := res.Rules[0]; rr.Reason != ReasonNoOutcomes || rr.Message != "rule 0 (min_pass_rate): the new run's "+
		"outcomes for the datapoints do not add up (11 passed of 10 judged)" {
		t.Errorf("reason %q, message %q", rr.Reason, rr.Message)
	}
}

func TestEvaluate_family(t *testing.T) {
	runRuleCases(t, []ruleCase{
		// accuracy alone regresses at 95%, but not at the family's 97.5% each.
		{"holds where a member alone would regress", Rule{Kind: Family, Metrics: []string{"accuracy", "steady"}}, "",
			f64(0), "<= 0",
			"rule 0 (family: accuracy, steady): 0 members regressed at simultaneous 95% confidence: holds " +
				"(accuracy [-0.0636, 0.0036], steady [0.01, 0.01])"},
		{"a family of one is the paired interval", Rule{Kind: Family, Metrics: []string{"accuracy"}}, ReasonViolated,
			f64(1), "<= 0",
			"rule 0 (family: accuracy): 1 member regressed at simultaneous 95% confidence: accuracy (mean difference " +
				"-0.03, CI [-0.0592, -0.00085], 40 pairs)"},
		{"violated", Rule{Kind: Family, Metrics: []string{"accuracy", "f1", "latency"}}, ReasonViolated, f64(2), "<= 0",
			"rule 0 (family: accuracy, f1, latency): 2 members regressed at simultaneous 95% confidence: f1 (mean " +
				"difference -0.05, CI [-0.05, -0.05], 3 pairs); latency (mean difference 0.1, CI [0.1, 0.1], 2 pairs)"},
		{"too few pairs", Rule{Kind: Family, Metrics: []string{"accuracy", "latency", "noagg"}, MinPairs: 3},
			ReasonTooFewPairs, nil, "<= 0",
			"rule 0 (family: accuracy, latency, noagg): too few pairs (at least 3 required) on latency (2 pairs), " +
				"noagg (1 pair)"},
		{"violated and too few pairs", Rule{Kind: Family, Metrics: []string{"f1", "latency"}, MinPairs: 3},
			ReasonViolated, f64(1), "<= 0",
			"rule 0 (family: f1, latency): 1 member regressed at simultaneous 95% confidence: f1 (mean difference " +
				"-0.05, CI [-0.05, -0.05], 3 pairs); too few pairs (at least 3 required) on latency (2 pairs)"},
	})

	// The family's intervals are stats.PairedFamily's, against R.
	s, err := stats.PairedFamily(rDifferences(), 0, 0.95, 2, false)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(s.CILower-rCILowerFamily2) > 1e-12 || math.Abs(s.CIUpper-rCIUpperFamily2) > 1e-12 {
		t.Errorf("family interval [%.17g, %.17g], R gives [%.17g, %.17g]", s.CILower, s.CIUpper,
			rCILowerFamily2, rCIUpperFamily2)
	}
}

func TestEvaluate_incompleteRunsFailClosed(t *testing.T) {
	cases := []struct {
		newStatus, oldStatus string
		why                  string
	}{
		{"running", "completed", `the new run run-new has status "running"`},
		{"completed", "failed", `the old run run-old has status "failed"`},
		{"", "", `the new run run-new has status "unknown" and the old run run-old has status "unknown"`},
		{"Completed", "completed", `the new run run-new has status "Completed"`},
	}
	// Rules that hold on completed runs.
	rules := []Rule{
		{Kind: Threshold, Metric: "accuracy", Min: f64(0.8)},
		{Kind: NoNewFailures},
		{Kind: Superiority, Metric: "steady"},
	}
	for _, c := range cases {
		comparison := testComparison()
		comparison.NewRunStatus, comparison.OldRunStatus = c.newStatus, c.oldStatus
		res, errs := Evaluate(comparison, rules)
		if len(errs) != 0 {
			t.Fatal(errs)
		}
		if res.Passed {
			t.Errorf("%q/%q: passed", c.newStatus, c.oldStatus)
		}
		for i, rr := range res.Rules {
			want := ruleLabel(i, rules[i]) + ": " + c.why + `, not "completed": no rule holds until both runs have completed`
			if rr.Passed || rr.Reason != ReasonIncompleteRun || rr.Observed != nil || rr.Message != want {
				t.Errorf("%q/%q rule %d: passed %v, reason %q, observed %v, message\n%s\nwant\n%s", c.newStatus,
					c.oldStatus, i, rr.Passed, rr.Reason, deref(rr.Observed), rr.Message, want)
			}
		}
	}
}

func TestEvaluate_dataErrors(t *testing.T) {
	const metrics = `"accuracy", "f1", "steady", "latency", "cost", "noagg", "label"`
	cases := []struct {
		name  string
		c     func(*Comparison)
		rules []Rule
		want  []string
	}{
		{"validation first", nil, nil, []string{"rules: the policy has no rules: give at least one (kinds: threshold, " +
			"non_inferiority, superiority, no_new_failures, min_pass_rate, family), or a gate without rules would " +
			"pass whatever the runs show"}},
		{"unknown metrics", nil, []Rule{
			{Kind: Threshold, Metric: "acuracy", Min: f64(1)},
			{Kind: NoNewFailures, Metric: "recall"},
			{Kind: Family, Metrics: []string{"accuracy", "prec"}},
		}, []string{
			`rules[0].metric: the comparison has no metric "acuracy"; its metrics are ` + metrics,
			`rules[1].metric: the comparison has no metric "recall"; its metrics are ` + metrics,
			`rules[2].metrics: the comparison has no metric "prec"; its metrics are ` + metrics,
		}},
		{"no metrics at all", func(c *Comparison) { c.Metrics = nil }, []Rule{{Kind: MinPassRate, Metric: "a", Min: f64(0)}},
			[]string{`rules[0].metric: the comparison has no metric "a": it has no metrics at all`}},
		{"not numeric", nil, []Rule{
			{Kind: Threshold, Metric: "label", Min: f64(1)},
			{Kind: NoNewFailures, Metric: "label"}, // pass/fail of a string metric is fine
			{Kind: NonInferiority, Metric: "label", Margin: f64(0)},
			{Kind: Family, Metrics: []string{"label"}},
		}, []string{
			`rules[0].metric: metric "label" is not numeric in these runs (its values are not numbers), and threshold ` +
				`compares numbers; judge its pass/fail with no_new_failures or min_pass_rate instead`,
			`rules[2].metric: metric "label" is not numeric in these runs (its values are not numbers), and ` +
				`non_inferiority compares numbers; judge its pass/fail with no_new_failures or min_pass_rate instead`,
			`rules[3].metrics: metric "label" is not numeric in these runs (its values are not numbers), and family ` +
				`compares numbers; judge its pass/fail with no_new_failures or min_pass_rate instead`,
		}},
		{"confidence level", func(c *Comparison) { c.ConfidenceLevel = 1 }, []Rule{{Kind: NoNewFailures}},
			[]string{"confidence_level: must be between 0 and 1 (exclusive), such as 0.95; got 1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := testComparison()
			if tc.c != nil {
				tc.c(&c)
			}
			res, errs := Evaluate(c, tc.rules)
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if !reflect.DeepEqual(res, Result{}) {
				t.Errorf("result %#v with errors, want the zero Result", res)
			}
		})
	}
}

func TestEvaluate_powerWarning(t *testing.T) {
	res, errs := Evaluate(testComparison(), []Rule{
		{Kind: Threshold, Metric: "accuracy", Min: f64(0.8)},
		{Kind: NonInferiority, Metric: "accuracy", Margin: f64(0.02)},
		{Kind: NonInferiority, Metric: "accuracy", Margin: f64(0.05)}, // above the MDD: not underpowered
		{Kind: Superiority, Metric: "accuracy"},                       // MDD, never underpowered
		{Kind: NonInferiority, Metric: "accuracy", Margin: f64(0)},
		{Kind: NonInferiority, Metric: "steady", Margin: f64(0)}, // no spread: no MDD
	})
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	type power struct {
		mdd          bool
		underpowered bool
		pairsNeeded  int
	}
	want := []power{{false, false, 0}, {true, true, rPairsNeeded}, {true, false, 0}, {true, false, 0}, {true, true, 0},
		{false, false, 0}}
	for i, rr := range res.Rules {
		got := power{rr.MinimumDetectableDifference != nil, rr.Underpowered, rr.PairsNeeded}
		if got != want[i] {
			t.Errorf("rule %d: %+v, want %+v", i, got, want[i])
		}
		if got.mdd && math.Abs(*rr.MinimumDetectableDifference-rMDD) > 1e-9 {
			t.Errorf("rule %d: minimum detectable difference %.17g, R's power.t.test gives %.17g", i,
				*rr.MinimumDetectableDifference, rMDD)
		}
	}
	wantWarnings := []string{
		"rule 1 (non_inferiority, accuracy): this gate cannot tell a regression of 0.02 from noise with 40 pairs; " +
			"it needs about 165 pairs (minimum detectable difference 0.0414 at 95% confidence and 80% power)",
		"rule 4 (non_inferiority, accuracy): this gate cannot tell a regression of 0 from noise with 40 pairs; " +
			"no number of pairs is enough for a margin of 0 (minimum detectable difference 0.0414 at 95% " +
			"confidence and 80% power)",
	}
	if !reflect.DeepEqual(res.Warnings, wantWarnings) {
		t.Errorf("warnings\n%s\nwant\n%s", strings.Join(res.Warnings, "\n"), strings.Join(wantWarnings, "\n"))
	}
}

func TestEvaluate_metricResults(t *testing.T) {
	c := testComparison()
	res, errs := Evaluate(c, []Rule{{Kind: NoNewFailures}})
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	if len(res.Metrics) != len(c.Metrics) {
		t.Fatalf("%d metric results, want %d", len(res.Metrics), len(c.Metrics))
	}
	for i, mr := range res.Metrics {
		m := c.Metrics[i]
		s, err := stats.Paired(m.Differences, m.Skipped, c.ConfidenceLevel, m.LowerIsBetter)
		if err != nil {
			t.Fatal(err)
		}
		if mr.Name != m.Name || mr.LowerIsBetter != m.LowerIsBetter || mr.NewAggregate != m.NewAggregate ||
			mr.OldAggregate != m.OldAggregate || !reflect.DeepEqual(mr.Paired, s) {
			t.Errorf("metric %d: %+v, want %s with stats.Paired's %+v", i, mr, m.Name, s)
		}
		// Only accuracy has at least 2 pairs with a spread.
		if (mr.MinimumDetectableDifference != nil) != (i == 0) {
			t.Errorf("metric %d (%s): minimum detectable difference %v", i, m.Name, deref(mr.MinimumDetectableDifference))
		}
	}
	if mdd := res.Metrics[0].MinimumDetectableDifference; math.Abs(*mdd-rMDD) > 1e-9 {
		t.Errorf("accuracy's minimum detectable difference %.17g, R's power.t.test gives %.17g", *mdd, rMDD)
	}
}

func TestEvaluate_summary(t *testing.T) {
	res, errs := Evaluate(testComparison(), []Rule{
		{Kind: Threshold, Metric: "accuracy", Min: f64(0.8)},
		{Kind: NonInferiority, Metric: "accuracy", Margin: f64(0.02)},
		{Kind: NoNewFailures},
		{Kind: NoNewFailures, Metric: "f1"},
	})
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	want := `Release gate FAILED: 2 of 4 rules failed (run-new vs baseline run-old, 95% confidence).
rule 1 (non_inferiority, accuracy): ci_lower -0.0592 < -0.02 required: the new run may be worse by more than the margin (mean difference -0.03, 95% CI [-0.0592, -0.00085], 40 pairs)
rule 3 (no_new_failures, f1): 1 datapoint regressed, at most 0 allowed: dp-9 passed in the old run and fails in the new one
Warnings:
rule 1 (non_inferiority, accuracy): this gate cannot tell a regression of 0.02 from noise with 40 pairs; it needs about 165 pairs (minimum detectable difference 0.0414 at 95% confidence and 80% power)`
	if res.Passed || res.Summary != want {
		t.Errorf("passed %v, summary\n%s\nwant\n%s", res.Passed, res.Summary, want)
	}
	if v := res.Violations(); len(v) != 2 || v[0].Index != 1 || v[1].Index != 3 {
		t.Errorf("violations %+v, want rules 1 and 3", v)
	}
	if res.NewRunID != "run-new" || res.OldRunID != "run-old" || res.ConfidenceLevel != 0.95 {
		t.Errorf("result names %q vs %q at %v", res.NewRunID, res.OldRunID, res.ConfidenceLevel)
	}

	c := testComparison()
	c.ConfidenceLevel = 0.9
	res, _ = Evaluate(c, []Rule{{Kind: NoNewFailures}})
	if want := "Release gate passed: 1 of 1 rule holds (run-new vs baseline run-old, 90% confidence)."; !res.Passed ||
		res.Summary != want {
		t.Errorf("passed %v, summary %q, want %q", res.Passed, res.Summary, want)
	}
	res, _ = Evaluate(c, []Rule{{Kind: NoNewFailures}, {Kind: MinPassRate, Min: f64(0)}})
	if want := "Release gate passed: 2 of 2 rules hold (run-new vs baseline run-old, 90% confidence)."; !res.Passed ||
		res.Summary != want {
		t.Errorf("passed %v, summary %q, want %q", res.Passed, res.Summary, want)
	}
}

// A policy that holds with a power warning passes, and says so.
func TestEvaluate_summaryPassedWithWarning(t *testing.T) {
	// -rDifferences: the same sd (so the same R references), mean +0.03,
	// interval [0.00085, 0.0592].
	c := testComparison()
	for i := range c.Metrics[0].Differences {
		c.Metrics[0].Differences[i] *= -1
	}
	res, errs := Evaluate(c, []Rule{{Kind: NonInferiority, Metric: "accuracy", Margin: f64(0.02)}})
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	want := `Release gate passed: 1 of 1 rule holds (run-new vs baseline run-old, 95% confidence).
Warnings:
rule 0 (non_inferiority, accuracy): this gate cannot tell a regression of 0.02 from noise with 40 pairs; it needs about 165 pairs (minimum detectable difference 0.0414 at 95% confidence and 80% power)`
	if !res.Passed || res.Summary != want {
		t.Errorf("passed %v, summary\n%s\nwant\n%s", res.Passed, res.Summary, want)
	}
	if rr := res.Rules[0]; !rr.Underpowered || rr.PairsNeeded != rPairsNeeded || rr.Observed == nil ||
		math.Abs(*rr.Observed+rCIUpper95) > 1e-12 {
		t.Errorf("underpowered %v, pairs needed %d, observed %v; want true, %d, %.17g", rr.Underpowered,
			rr.PairsNeeded, deref(rr.Observed), rPairsNeeded, -rCIUpper95)
	}
}

// A difference that is not a finite number fails the paired rules on it
// closed, with stats.Paired's error, and leaves the metric without statistics.
func TestEvaluate_nonFiniteDifference(t *testing.T) {
	c := testComparison()
	c.Metrics[2].Differences = []float64{0.01, math.NaN(), 0.01}
	res, errs := Evaluate(c, []Rule{
		{Kind: NonInferiority, Metric: "steady", Margin: f64(0.1)},
		{Kind: Family, Metrics: []string{"accuracy", "steady"}},
	})
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	want := []string{
		"rule 0 (non_inferiority, steady): the paired differences of steady cannot be used: difference 1 is NaN; " +
			"every difference must be a finite number",
		"rule 1 (family: accuracy, steady): the paired differences of steady cannot be used: difference 1 is NaN; " +
			"every difference must be a finite number",
	}
	for i, rr := range res.Rules {
		if rr.Reason != ReasonNotNumeric || rr.Message != want[i] {
			t.Errorf("rule %d: reason %q, message\n%s\nwant\n%s", i, rr.Reason, rr.Message, want[i])
		}
	}
	if p := res.Metrics[2].Paired; p.HasMean || p.HasInterval || p.Verdict != stats.VerdictInsufficientData ||
		res.Metrics[2].MinimumDetectableDifference != nil {
		t.Errorf("steady's statistics %+v, want none", p)
	}
}

func TestEvaluate_skippedAndHopelessMargin(t *testing.T) {
	c := testComparison()
	c.Metrics[0].Skipped = 1234
	res, errs := Evaluate(c, []Rule{{Kind: NonInferiority, Metric: "accuracy", Margin: f64(0.000001)}})
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	rr := res.Rules[0]
	wantMessage := "rule 0 (non_inferiority, accuracy): ci_lower -0.0592 < -0.000001 required: the new run may be " +
		"worse by more than the margin (mean difference -0.03, 95% CI [-0.0592, -0.00085], 40 pairs, 1,234 skipped)"
	// About (2.8 · 0.091 / 1e-6)² ≈ 6.5e10 pairs: beyond stats.MaxPairsNeeded.
	wantWarning := "rule 0 (non_inferiority, accuracy): this gate cannot tell a regression of 0.000001 from noise " +
		"with 40 pairs; it would need more than 10,000,000 pairs (minimum detectable difference 0.0414 at 95% " +
		"confidence and 80% power)"
	if rr.Message != wantMessage || !rr.Underpowered || rr.PairsNeeded != 0 || len(res.Warnings) != 1 ||
		res.Warnings[0] != wantWarning {
		t.Errorf("message\n%s\nwant\n%s\nunderpowered %v, pairs needed %d, warnings\n%s\nwant\n%s", rr.Message,
			wantMessage, rr.Underpowered, rr.PairsNeeded, strings.Join(res.Warnings, "\n"), wantWarning)
	}
}
