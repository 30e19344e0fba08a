// Package policy judges a comparison of two experiment runs against a release
// policy: a list of rules as a release manager states them ("accuracy no worse
// than 0.02", "no datapoint that passed now fails"), each of which fails closed
// when the data cannot show it holds (a missing metric, a run that has not
// completed, too few pairs).
//
// It is plain Go: the provider maps Terraform values to a Comparison and the
// Result back. Every statistic comes from package stats, as the comparison data
// source's do.
package policy

import (
	"fmt"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

// Kind is a rule's kind, spelled as in Terraform configuration.
type Kind string

// The kinds of rule.
const (
	// Threshold: the new run's aggregate of Metric is at least Min and at most
	// Max (either or both given).
	Threshold Kind = "threshold"
	// NonInferiority: the paired interval's bound on the worse side is within
	// Margin of 0 (ci_lower >= -Margin; ci_upper <= Margin when the metric is
	// lower-is-better).
	NonInferiority Kind = "non_inferiority"
	// Superiority: the paired interval's bound on the worse side is beyond
	// Margin (default 0) on the better side (ci_lower > Margin; ci_upper <
	// -Margin when lower-is-better).
	Superiority Kind = "superiority"
	// NoNewFailures: at most MaxRegressed (default 0) datapoints passed in the
	// old run and fail in the new one: Metric's pass/fail, or the whole
	// datapoint's when Metric is "".
	NoNewFailures Kind = "no_new_failures"
	// MinPassRate: the Wilson lower bound of the new run's pass rate (Metric's,
	// or the whole datapoint's when Metric is "") at the confidence level is at
	// least Min.
	MinPassRate Kind = "min_pass_rate"
	// Family: Metrics judged together, with Bonferroni simultaneous intervals
	// over the family (stats.PairedFamily): no member's family verdict is
	// regressed, and every member has enough pairs. A member shown regressed
	// makes the rule violated even when another has too few pairs.
	Family Kind = "family"
)

// Kinds lists every kind, in the order the documentation gives them.
var Kinds = []Kind{Threshold, NonInferiority, Superiority, NoNewFailures, MinPassRate, Family}

// Rule is one rule of a policy. Fields a kind does not use are left zero
// (Validate reports a set one).
type Rule struct {
	Kind Kind
	// Metric is the metric the rule reads: required for Threshold,
	// NonInferiority and Superiority; optional for NoNewFailures and
	// MinPassRate ("" is the whole datapoint's pass/fail); unused by Family.
	Metric string
	// Metrics are the family's metrics (Family only, at least one, each
	// once). nil when not set; an empty, non-nil list is set (and an error).
	Metrics []string
	// Min and Max bound the aggregate (Threshold); Min is the pass rate's
	// lowest allowed lower bound (MinPassRate, 0 to 1).
	Min, Max *float64
	// Margin is the allowed regression (NonInferiority, required) or the
	// required improvement (Superiority, default 0); never negative.
	Margin *float64
	// MaxRegressed is the number of regressed datapoints allowed
	// (NoNewFailures, default 0).
	MaxRegressed *int
	// MinPairs is the fewest paired datapoints the paired kinds accept
	// (NonInferiority, Superiority, Family); 0 means 2, the fewest that give an
	// interval (1 and negative values are errors).
	MinPairs int
}

// Comparison is what the rules read: two runs, their paired differences per
// metric, and their pass/fail outcomes.
type Comparison struct {
	NewRunID, OldRunID string
	// NewRunStatus and OldRunStatus are the runs' statuses; a rule passes only
	// when both are "completed" ("" is unknown, and fails closed too).
	NewRunStatus, OldRunStatus string
	// ConfidenceLevel is the level of every interval, strictly between 0 and 1.
	ConfidenceLevel float64
	// Metrics holds one entry per metric name, in the comparison's order (the
	// first entry of a name repeated across events).
	Metrics []Metric
	// Datapoints are the whole datapoints' outcomes.
	Datapoints Outcomes
}

// Metric is one metric of the comparison.
type Metric struct {
	Name          string
	LowerIsBetter bool
	// Numeric is false for a metric whose values are not numbers (strings):
	// a Threshold or paired rule on it is an error.
	Numeric bool
	// OldAggregate and NewAggregate are the runs' aggregates; nil when the
	// server sent none or one that is not a number.
	OldAggregate, NewAggregate *float64
	// Differences are the paired differences new − old, one per datapoint
	// paired by ID; Skipped counts the common datapoints left out.
	Differences []float64
	Skipped     int
	// Outcomes are this metric's pass/fail outcomes.
	Outcomes Outcomes
}

// Outcomes are pass/fail outcomes of the datapoints in the two runs.
type Outcomes struct {
	// Known is false when the runs do not carry pass/fail lists: rules on them
	// fail closed.
	Known bool
	// NewPassed and NewJudged count the new run's datapoints that passed and
	// that were judged (passed or failed).
	NewPassed, NewJudged int
	// Regressed lists every datapoint that passed in the old run and fails in
	// the new one, each once.
	Regressed []string
}

// Reason says why a rule failed; "" for a rule that passed.
type Reason string

// The reasons a rule fails.
const (
	ReasonViolated      Reason = "violated"         // the data shows the rule does not hold
	ReasonIncompleteRun Reason = "incomplete_run"   // a run's status is not "completed"
	ReasonMissingMetric Reason = "missing_metric"   // the metric is not in the comparison
	ReasonNotNumeric    Reason = "not_numeric"      // the aggregate or values are not numbers
	ReasonTooFewPairs   Reason = "too_few_pairs"    // fewer pairs than MinPairs
	ReasonNoOutcomes    Reason = "outcomes_unknown" // the runs carry no pass/fail lists
)

// RuleError is a rule that cannot be judged as written: an unknown kind, a
// field its kind does not take or lacks, a negative margin (Validate, from the
// configuration alone), a metric the comparison does not have or a threshold
// on a metric that is not a number (Evaluate). Field is the rule's attribute,
// as spelled in Terraform ("kind", "metric", "margin", ...). Index is -1 for
// an error that is no single rule's: Field is then a top-level attribute
// ("rules" for an empty policy, "confidence_level").
type RuleError struct {
	Index   int
	Field   string
	Message string
}

func (e RuleError) Error() string {
	if e.Index < 0 {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return fmt.Sprintf("rules[%d].%s: %s", e.Index, e.Field, e.Message)
}

// Result is a policy's verdict.
type Result struct {
	NewRunID, OldRunID string
	ConfidenceLevel    float64
	// Passed is true when every rule passed (and there is at least one rule).
	Passed bool
	// Rules holds every rule's result, in the policy's order.
	Rules []RuleResult
	// Metrics are the comparison's metrics with their paired statistics, in
	// the comparison's order, for reports.
	Metrics []MetricResult
	// Summary is a multi-line text for a person: the verdict, then each failed
	// rule's message, then the warnings.
	Summary string
	// Warnings are the power shortfalls: rules whose margin is smaller than
	// what the data can detect.
	Warnings []string
}

// Violations returns the results of the rules that failed, in order.
func (r Result) Violations() []RuleResult {
	var failed []RuleResult
	for _, rr := range r.Rules {
		if !rr.Passed {
			failed = append(failed, rr)
		}
	}
	return failed
}

// RuleResult is one rule's verdict.
type RuleResult struct {
	Index int // position in the policy, from 0
	Rule  Rule
	// Metric names what was judged: the rule's metric, the family's metrics
	// joined with ", ", or "" for the whole datapoint.
	Metric string
	Passed bool
	Reason Reason
	// Observed is the number the rule judged (an aggregate, an interval bound,
	// a count, a pass rate's lower bound); nil when there is none.
	Observed *float64
	// Required states the bound, as a person reads it: ">= 0.85", "<= 0".
	Required string
	// Message is one line with numbers formatted as a person reads them.
	Message string
	// MinimumDetectableDifference is, for a paired rule with at least 2 pairs,
	// the smallest true mean difference the gate's test detects with 80%
	// power (stats.MinimumDetectableDifference); nil otherwise.
	MinimumDetectableDifference *float64
	// Underpowered is true when the rule's margin is below
	// MinimumDetectableDifference; PairsNeeded is then about the number of
	// pairs that would detect it.
	Underpowered bool
	PairsNeeded  int
	// RegressedCount and Regressed are a NoNewFailures rule's regressed
	// datapoints: their count and the first RegressedShown IDs.
	RegressedCount int
	Regressed      []string
}

// MetricResult is one metric's paired statistics, for reports.
type MetricResult struct {
	Name                       string
	LowerIsBetter              bool
	OldAggregate, NewAggregate *float64
	Paired                     stats.PairedSummary
	// MinimumDetectableDifference as in RuleResult; nil with fewer than 2
	// pairs or no spread.
	MinimumDetectableDifference *float64
}
