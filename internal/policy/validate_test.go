package policy

import (
	"math"
	"strings"
	"testing"
)

func f64(x float64) *float64 { return &x }
func intp(n int) *int        { return &n }

// validRules has one valid rule of every kind, with every field it takes.
func validRules() []Rule {
	return []Rule{
		{Kind: Threshold, Metric: "accuracy", Min: f64(0.8), Max: f64(1)},
		{Kind: NonInferiority, Metric: "accuracy", Margin: f64(0.02), MinPairs: 30},
		{Kind: Superiority, Metric: "accuracy", Margin: f64(0), MinPairs: 2},
		{Kind: NoNewFailures, Metric: "accuracy", MaxRegressed: intp(0)},
		{Kind: MinPassRate, Min: f64(0.9)},
		{Kind: Family, Metrics: []string{"accuracy", "f1"}, MinPairs: 10},
	}
}

func TestValidate_acceptsValidRules(t *testing.T) {
	if errs := Validate(validRules()); len(errs) != 0 {
		t.Fatalf("Validate(valid rules) = %v, want none", errs)
	}
	// The fewest fields each kind needs.
	minimal := []Rule{
		{Kind: Threshold, Metric: "a", Max: f64(-1)},
		{Kind: NonInferiority, Metric: "a", Margin: f64(0)},
		{Kind: Superiority, Metric: "a"},
		{Kind: NoNewFailures},
		{Kind: MinPassRate, Metric: "a", Min: f64(0)},
		{Kind: MinPassRate, Min: f64(1)},
		{Kind: Threshold, Metric: "a", Min: f64(1), Max: f64(1)},
		{Kind: Family, Metrics: []string{"a"}},
	}
	if errs := Validate(minimal); len(errs) != 0 {
		t.Fatalf("Validate(minimal rules) = %v, want none", errs)
	}
}

func TestValidate_errors(t *testing.T) {
	cases := []struct {
		name string
		rule Rule
		want []string // RuleError.Error() of rules[1] holding rule, after a valid rules[0]
	}{
		{"unknown kind", Rule{Kind: "treshold", Metric: "a", Min: f64(1)},
			[]string{`rules[1].kind: unknown kind "treshold"; the kinds are threshold, non_inferiority, superiority, ` +
				`no_new_failures, min_pass_rate, family`}},
		{"missing kind", Rule{Metric: "a"},
			[]string{"rules[1].kind: kind is required; one of threshold, non_inferiority, superiority, " +
				"no_new_failures, min_pass_rate, family"}},
		{"margin on threshold", Rule{Kind: Threshold, Metric: "a", Min: f64(0.8), Margin: f64(0.1)},
			[]string{"rules[1].margin: threshold does not take margin; it takes metric, min, max"}},
		{"metrics on non_inferiority", Rule{Kind: NonInferiority, Metric: "a", Margin: f64(0.1), Metrics: []string{"b"}},
			[]string{"rules[1].metrics: non_inferiority does not take metrics (one metric goes in metric; several " +
				"judged together are a family rule); it takes metric, margin, min_pairs"}},
		{"metric on family", Rule{Kind: Family, Metric: "a", Metrics: []string{"b"}},
			[]string{"rules[1].metric: family does not take metric (list the family's metrics in metrics); it takes " +
				"metrics, min_pairs"}},
		{"min_pairs and max on no_new_failures", Rule{Kind: NoNewFailures, MinPairs: 5, Max: f64(1)},
			[]string{"rules[1].max: no_new_failures does not take max; it takes metric, max_regressed",
				"rules[1].min_pairs: no_new_failures does not take min_pairs; it takes metric, max_regressed"}},
		{"max_regressed on min_pass_rate", Rule{Kind: MinPassRate, Min: f64(0.5), MaxRegressed: intp(1)},
			[]string{"rules[1].max_regressed: min_pass_rate does not take max_regressed; it takes metric, min"}},
		{"empty metrics list on threshold", Rule{Kind: Threshold, Metric: "a", Min: f64(0), Metrics: []string{}},
			[]string{"rules[1].metrics: threshold does not take metrics (one metric goes in metric; several judged " +
				"together are a family rule); it takes metric, min, max"}},
		{"threshold without bounds", Rule{Kind: Threshold, Metric: "a"},
			[]string{"rules[1].min: threshold needs min, max or both: the bounds of the new run's aggregate of the metric"}},
		{"threshold without metric", Rule{Kind: Threshold, Min: f64(1)},
			[]string{"rules[1].metric: threshold needs metric: the name of the metric it judges"}},
		{"threshold with blank metric", Rule{Kind: Threshold, Metric: "  ", Min: f64(1)},
			[]string{"rules[1].metric: threshold needs metric: the name of the metric it judges"}},
		{"threshold min above max", Rule{Kind: Threshold, Metric: "a", Min: f64(0.9), Max: f64(0.8)},
			[]string{"rules[1].max: max 0.8 is less than min 0.9: no aggregate can be both; give max >= min"}},
		{"threshold NaN min", Rule{Kind: Threshold, Metric: "a", Min: f64(math.NaN())},
			[]string{"rules[1].min: min must be a finite number; got NaN"}},
		{"non_inferiority without margin or metric", Rule{Kind: NonInferiority},
			[]string{"rules[1].metric: non_inferiority needs metric: the name of the metric it judges",
				"rules[1].margin: non_inferiority needs margin: the largest regression of the metric's mean, in its " +
					"units, that still passes (0 or more, such as 0.02)"}},
		{"negative margin", Rule{Kind: NonInferiority, Metric: "a", Margin: f64(-0.02)},
			[]string{"rules[1].margin: margin must be a finite number, 0 or more (the allowed regression, in the " +
				"metric's units); got -0.02"}},
		{"negative superiority margin", Rule{Kind: Superiority, Metric: "a", Margin: f64(-1)},
			[]string{"rules[1].margin: margin must be a finite number, 0 or more (the required improvement, in the " +
				"metric's units); got -1"}},
		{"infinite margin", Rule{Kind: Superiority, Metric: "a", Margin: f64(math.Inf(1))},
			[]string{"rules[1].margin: margin must be a finite number, 0 or more (the required improvement, in the " +
				"metric's units); got +Inf"}},
		{"negative min_pairs", Rule{Kind: NonInferiority, Metric: "a", Margin: f64(0), MinPairs: -3},
			[]string{"rules[1].min_pairs: min_pairs must be at least 2, the fewest pairs that give an interval (or " +
				"unset for 2); got -3"}},
		{"min_pairs 1", Rule{Kind: Family, Metrics: []string{"a"}, MinPairs: 1},
			[]string{"rules[1].min_pairs: min_pairs must be at least 2, the fewest pairs that give an interval (or " +
				"unset for 2); got 1"}},
		{"negative max_regressed", Rule{Kind: NoNewFailures, MaxRegressed: intp(-1)},
			[]string{"rules[1].max_regressed: max_regressed must be 0 or more (the number of datapoints allowed to " +
				"pass in the old run and fail in the new one); got -1"}},
		{"min_pass_rate without min", Rule{Kind: MinPassRate, Metric: "a"},
			[]string{"rules[1].min: min_pass_rate needs min: the lowest allowed lower bound of the new run's pass " +
				"rate, from 0 to 1 (0.9 for 90%)"}},
		{"min_pass_rate min as a percentage", Rule{Kind: MinPassRate, Min: f64(90)},
			[]string{"rules[1].min: min is a pass rate, from 0 to 1 (0.9 for 90%); got 90"}},
		{"min_pass_rate negative min", Rule{Kind: MinPassRate, Min: f64(-0.1)},
			[]string{"rules[1].min: min is a pass rate, from 0 to 1 (0.9 for 90%); got -0.1"}},
		{"family without metrics", Rule{Kind: Family},
			[]string{"rules[1].metrics: family needs at least one metric in metrics: the metrics judged together"}},
		{"family with empty metrics", Rule{Kind: Family, Metrics: []string{}},
			[]string{"rules[1].metrics: family needs at least one metric in metrics: the metrics judged together"}},
		{"family with a repeated and an empty metric", Rule{Kind: Family, Metrics: []string{"a", "", "b", "a"}},
			[]string{"rules[1].metrics: metrics[1] is empty; each entry names a metric of the runs",
				`rules[1].metrics: "a" is listed twice (metrics[0] and metrics[3]); list each metric once`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := Validate([]Rule{validRules()[0], c.rule})
			var got []string
			for _, e := range errs {
				if e.Index != 1 {
					t.Errorf("error %q has index %d, want 1", e.Error(), e.Index)
				}
				if !strings.HasPrefix(e.Error(), "rules[1]."+e.Field+": ") {
					t.Errorf("error %q does not start with its field %q", e.Error(), e.Field)
				}
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("Validate errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

func TestValidate_emptyPolicy(t *testing.T) {
	for _, rules := range [][]Rule{nil, {}} {
		errs := Validate(rules)
		if len(errs) != 1 || errs[0].Index != -1 || errs[0].Field != "rules" {
			t.Fatalf("Validate(%#v) = %#v, want one error on rules", rules, errs)
		}
		want := "rules: the policy has no rules: give at least one (kinds: threshold, non_inferiority, superiority, " +
			"no_new_failures, min_pass_rate, family), or a gate without rules would pass whatever the runs show"
		if errs[0].Error() != want {
			t.Errorf("error = %q, want %q", errs[0].Error(), want)
		}
	}
}

// Every rule's errors are reported, in rule order, in one call.
func TestValidate_reportsEveryRule(t *testing.T) {
	errs := Validate([]Rule{
		{Kind: "bogus"},
		validRules()[1],
		{Kind: NonInferiority, Metric: "a", Margin: f64(-1)},
		{Kind: MinPassRate},
	})
	var where []string
	for _, e := range errs {
		where = append(where, e.Error()[:strings.IndexByte(e.Error(), ':')])
	}
	if got, want := strings.Join(where, " "), "rules[0].kind rules[2].margin rules[3].min"; got != want {
		t.Errorf("errors at %s, want %s", got, want)
	}
}

func TestFieldsOf(t *testing.T) {
	for _, k := range Kinds {
		if len(FieldsOf(k)) == 0 {
			t.Errorf("FieldsOf(%s) is empty", k)
		}
	}
	if FieldsOf("nope") != nil {
		t.Error("FieldsOf(unknown kind) is not nil")
	}
	fields := FieldsOf(Threshold)
	fields[0] = "changed"
	if FieldsOf(Threshold)[0] != "metric" {
		t.Error("FieldsOf returns the table itself, not a copy")
	}
}
