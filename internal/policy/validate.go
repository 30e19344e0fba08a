package policy

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// The rules' attributes, as spelled in Terraform, in the order of the schema.
const (
	fieldKind         = "kind"
	fieldMetric       = "metric"
	fieldMetrics      = "metrics"
	fieldMin          = "min"
	fieldMax          = "max"
	fieldMargin       = "margin"
	fieldMaxRegressed = "max_regressed"
	fieldMinPairs     = "min_pairs"
)

// fieldsOf lists the attributes each kind takes, in schema order.
var fieldsOf = map[Kind][]string{
	Threshold:      {fieldMetric, fieldMin, fieldMax},
	NonInferiority: {fieldMetric, fieldMargin, fieldMinPairs},
	Superiority:    {fieldMetric, fieldMargin, fieldMinPairs},
	NoNewFailures:  {fieldMetric, fieldMaxRegressed},
	MinPassRate:    {fieldMetric, fieldMin},
	Family:         {fieldMetrics, fieldMinPairs},
}

// FieldsOf returns the attributes a kind takes besides kind, in schema order
// (nil for an unknown kind), for documentation and messages.
func FieldsOf(k Kind) []string {
	return append([]string(nil), fieldsOf[k]...)
}

// defaultMinPairs is the fewest pairs that give a confidence interval.
const defaultMinPairs = 2

// Validate reports what is wrong with rules from the configuration alone: an
// empty policy (Index -1, Field "rules": a policy without rules must not pass
// by accident), an unknown kind, an attribute the kind does not take or lacks,
// and values out of range. The provider calls it at plan time on the known
// values, and Evaluate calls it first. Errors are in rule order, every error
// of every rule, so that one plan shows them all.
func Validate(rules []Rule) []RuleError {
	if len(rules) == 0 {
		return []RuleError{{Index: -1, Field: "rules", Message: "the policy has no rules: give at least one " +
			"(kinds: " + kindList() + "), or a gate without rules would pass whatever the runs show"}}
	}
	var errs []RuleError
	for i, r := range rules {
		errs = append(errs, validateRule(i, r)...)
	}
	return errs
}

func validateRule(i int, r Rule) []RuleError {
	var errs []RuleError
	add := func(field, format string, args ...any) {
		errs = append(errs, RuleError{Index: i, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	takes, known := fieldsOf[r.Kind]
	if !known {
		if r.Kind == "" {
			add(fieldKind, "kind is required; one of %s", kindList())
		} else {
			add(fieldKind, "unknown kind %q; the kinds are %s", string(r.Kind), kindList())
		}
		return errs
	}

	// Attributes the kind does not take: set by mistake, they would be
	// silently ignored and the rule would not say what its author meant.
	for _, field := range setFields(r) {
		if !slices.Contains(takes, field) {
			add(field, "%s does not take %s%s; it takes %s", r.Kind, field, misplacedHint(r.Kind, field),
				strings.Join(takes, ", "))
		}
	}

	switch r.Kind {
	case Threshold:
		requireMetric(r, add)
		if r.Min == nil && r.Max == nil {
			add(fieldMin, "threshold needs min, max or both: the bounds of the new run's aggregate of the metric")
		}
		checkFinite(r.Min, fieldMin, add)
		checkFinite(r.Max, fieldMax, add)
		if r.Min != nil && r.Max != nil && *r.Min > *r.Max {
			add(fieldMax, "max %s is less than min %s: no aggregate can be both; give max >= min",
				FormatNumber(*r.Max), FormatNumber(*r.Min))
		}
	case NonInferiority, Superiority:
		requireMetric(r, add)
		if r.Kind == NonInferiority && r.Margin == nil {
			add(fieldMargin, "non_inferiority needs margin: the largest regression of the metric's mean, in its "+
				"units, that still passes (0 or more, such as 0.02)")
		}
		if r.Margin != nil && (!(*r.Margin >= 0) || math.IsInf(*r.Margin, 1)) { // !(>= 0) is also NaN
			meaning := "the allowed regression"
			if r.Kind == Superiority {
				meaning = "the required improvement"
			}
			add(fieldMargin, "margin must be a finite number, 0 or more (%s, in the metric's units); got %s",
				meaning, FormatNumber(*r.Margin))
		}
		checkMinPairs(r, add)
	case NoNewFailures:
		if r.MaxRegressed != nil && *r.MaxRegressed < 0 {
			add(fieldMaxRegressed, "max_regressed must be 0 or more (the number of datapoints allowed to pass in "+
				"the old run and fail in the new one); got %s", FormatCount(*r.MaxRegressed))
		}
	case MinPassRate:
		if r.Min == nil {
			add(fieldMin, "min_pass_rate needs min: the lowest allowed lower bound of the new run's pass rate, "+
				"from 0 to 1 (0.9 for 90%%)")
		} else if !(*r.Min >= 0 && *r.Min <= 1) {
			add(fieldMin, "min is a pass rate, from 0 to 1 (0.9 for 90%%); got %s", FormatNumber(*r.Min))
		}
	case Family:
		if len(r.Metrics) == 0 {
			add(fieldMetrics, "family needs at least one metric in metrics: the metrics judged together")
		}
		firstAt := make(map[string]int, len(r.Metrics))
		for j, name := range r.Metrics {
			if strings.TrimSpace(name) == "" {
				add(fieldMetrics, "metrics[%d] is empty; each entry names a metric of the runs", j)
				continue
			}
			if k, seen := firstAt[name]; seen {
				add(fieldMetrics, "%q is listed twice (metrics[%d] and metrics[%d]); list each metric once", name, k, j)
				continue
			}
			firstAt[name] = j
		}
		checkMinPairs(r, add)
	}
	return errs
}

// setFields lists the attributes set on r besides kind, in schema order.
func setFields(r Rule) []string {
	var set []string
	if r.Metric != "" {
		set = append(set, fieldMetric)
	}
	if r.Metrics != nil {
		set = append(set, fieldMetrics)
	}
	if r.Min != nil {
		set = append(set, fieldMin)
	}
	if r.Max != nil {
		set = append(set, fieldMax)
	}
	if r.Margin != nil {
		set = append(set, fieldMargin)
	}
	if r.MaxRegressed != nil {
		set = append(set, fieldMaxRegressed)
	}
	if r.MinPairs != 0 {
		set = append(set, fieldMinPairs)
	}
	return set
}

// misplacedHint says where a misplaced metric or metrics belongs.
func misplacedHint(k Kind, field string) string {
	switch {
	case field == fieldMetrics && k != Family:
		return " (one metric goes in metric; several judged together are a family rule)"
	case field == fieldMetric && k == Family:
		return " (list the family's metrics in metrics)"
	}
	return ""
}

func requireMetric(r Rule, add func(field, format string, args ...any)) {
	if strings.TrimSpace(r.Metric) == "" {
		add(fieldMetric, "%s needs metric: the name of the metric it judges", r.Kind)
	}
}

func checkFinite(v *float64, field string, add func(field, format string, args ...any)) {
	if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0)) {
		add(field, "%s must be a finite number; got %s", field, FormatNumber(*v))
	}
}

func checkMinPairs(r Rule, add func(field, format string, args ...any)) {
	if r.MinPairs < 0 || r.MinPairs == 1 {
		add(fieldMinPairs, "min_pairs must be at least %d, the fewest pairs that give an interval (or unset for "+
			"%d); got %s", defaultMinPairs, defaultMinPairs, FormatCount(r.MinPairs))
	}
}

func kindList() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}
