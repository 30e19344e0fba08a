package policy

import (
	"fmt"
	"strings"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

// RegressedShown is how many regressed datapoint IDs a NoNewFailures result
// keeps and its message names; RegressedCount counts them all.
const RegressedShown = 5

// completed is the status a run must have for any rule to hold.
const completed = "completed"

// Evaluate judges the comparison c against rules. It first returns Validate's
// errors, then the errors that need the data: a confidence level outside
// (0, 1) (Index -1, Field "confidence_level"), a metric the comparison does
// not have (the message lists those it has), and a threshold, paired or
// family rule on a metric that is not numeric. With any error the Result is
// empty.
//
// Otherwise every rule gets a RuleResult. A rule fails closed, with its
// Reason, when the data cannot show that it holds: a run not "completed"
// (every rule), no new aggregate, fewer pairs than MinPairs, no pass/fail
// outcomes. The paired statistics are stats.Paired's and the family's
// stats.PairedFamily's, called as the comparison data source calls them, so
// that a gate and honeyhive_run_comparison read the same numbers.
func Evaluate(c Comparison, rules []Rule) (Result, []RuleError) {
	if errs := Validate(rules); len(errs) > 0 {
		return Result{}, errs
	}
	if err := stats.ValidateConfidenceLevel(c.ConfidenceLevel); err != nil {
		return Result{}, []RuleError{{Index: -1, Field: "confidence_level", Message: fmt.Sprintf(
			"must be between 0 and 1 (exclusive), such as 0.95; got %s", FormatNumber(c.ConfidenceLevel))}}
	}
	e := evaluator{c: c, byName: make(map[string]*Metric, len(c.Metrics)), level: FormatPercent(c.ConfidenceLevel)}
	for i := range c.Metrics {
		m := &c.Metrics[i]
		if _, seen := e.byName[m.Name]; !seen {
			e.byName[m.Name] = m
			e.names = append(e.names, m.Name)
		}
	}
	if errs := e.checkData(rules); len(errs) > 0 {
		return Result{}, errs
	}

	res := Result{
		NewRunID:        c.NewRunID,
		OldRunID:        c.OldRunID,
		ConfidenceLevel: c.ConfidenceLevel,
		Rules:           make([]RuleResult, len(rules)),
		Metrics:         e.metricResults(),
	}
	incomplete := incompleteRuns(c)
	res.Passed = true
	for i, r := range rules {
		rr := RuleResult{Index: i, Rule: r, Metric: judgedMetric(r), Required: e.required(r)}
		label := ruleLabel(i, r)
		if incomplete != "" {
			rr.Reason, rr.Message = ReasonIncompleteRun, label+": "+incomplete
		} else {
			e.judge(&rr, label)
		}
		rr.Passed = rr.Reason == ""
		res.Passed = res.Passed && rr.Passed
		res.Rules[i] = rr
	}
	res.Warnings = e.warnings
	res.Summary = summary(res)
	return res, nil
}

// evaluator holds what every rule reads.
type evaluator struct {
	c      Comparison
	byName map[string]*Metric // the first entry of each name
	names  []string           // the metrics' names, each once, in order
	level  string             // the confidence level as a percentage, "95%"
	// warnings are the power shortfalls found so far, in rule order.
	warnings []string
}

// checkData returns the errors that need the comparison: unknown and
// non-numeric metrics.
func (e *evaluator) checkData(rules []Rule) []RuleError {
	var errs []RuleError
	check := func(i int, r Rule, field, name string, numeric bool) {
		m, ok := e.byName[name]
		switch {
		case !ok:
			errs = append(errs, RuleError{Index: i, Field: field, Message: e.unknownMetric(name)})
		case numeric && !m.Numeric:
			errs = append(errs, RuleError{Index: i, Field: field, Message: fmt.Sprintf(
				"metric %q is not numeric in these runs (its values are not numbers), and %s compares numbers; "+
					"judge its pass/fail with no_new_failures or min_pass_rate instead", name, r.Kind)})
		}
	}
	for i, r := range rules {
		switch r.Kind {
		case Threshold, NonInferiority, Superiority:
			check(i, r, fieldMetric, r.Metric, true)
		case NoNewFailures, MinPassRate:
			if r.Metric != "" {
				check(i, r, fieldMetric, r.Metric, false)
			}
		case Family:
			for _, name := range r.Metrics {
				check(i, r, fieldMetrics, name, true)
			}
		}
	}
	return errs
}

func (e *evaluator) unknownMetric(name string) string {
	if len(e.names) == 0 {
		return fmt.Sprintf("the comparison has no metric %q: it has no metrics at all", name)
	}
	quoted := make([]string, len(e.names))
	for i, n := range e.names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return fmt.Sprintf("the comparison has no metric %q; its metrics are %s", name, strings.Join(quoted, ", "))
}

// metricResults computes every metric's paired statistics at the confidence
// level, as honeyhive_run_comparison does.
func (e *evaluator) metricResults() []MetricResult {
	out := make([]MetricResult, len(e.c.Metrics))
	for i, m := range e.c.Metrics {
		mr := MetricResult{Name: m.Name, LowerIsBetter: m.LowerIsBetter,
			OldAggregate: m.OldAggregate, NewAggregate: m.NewAggregate}
		s, err := stats.Paired(m.Differences, m.Skipped, e.c.ConfidenceLevel, m.LowerIsBetter)
		if err != nil {
			// A difference that is not finite: the metric has no statistics
			// (a rule on it fails closed with the error).
			s = stats.PairedSummary{Skipped: m.Skipped, PValue: 1, Verdict: stats.VerdictInsufficientData}
		} else {
			mr.MinimumDetectableDifference = minimumDetectable(s, e.c.ConfidenceLevel)
		}
		mr.Paired = s
		out[i] = mr
	}
	return out
}

// incompleteRuns says which run is not completed, "" when both are.
func incompleteRuns(c Comparison) string {
	var parts []string
	for _, run := range []struct{ which, id, status string }{
		{"new", c.NewRunID, c.NewRunStatus},
		{"old", c.OldRunID, c.OldRunStatus},
	} {
		if run.status == completed {
			continue
		}
		status := run.status
		if status == "" {
			status = "unknown"
		}
		parts = append(parts, fmt.Sprintf("the %s run %s has status %q", run.which, run.id, status))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, " and ") + `, not "completed": no rule holds until both runs have completed`
}

// ruleLabel names a rule in messages: "rule 0 (non_inferiority, accuracy)".
func ruleLabel(i int, r Rule) string {
	switch {
	case r.Kind == Family:
		return fmt.Sprintf("rule %d (family: %s)", i, strings.Join(r.Metrics, ", "))
	case r.Metric == "":
		return fmt.Sprintf("rule %d (%s)", i, r.Kind)
	default:
		return fmt.Sprintf("rule %d (%s, %s)", i, r.Kind, r.Metric)
	}
}

// judgedMetric is RuleResult.Metric.
func judgedMetric(r Rule) string {
	if r.Kind == Family {
		return strings.Join(r.Metrics, ", ")
	}
	return r.Metric
}

func margin(r Rule) float64 {
	if r.Margin == nil {
		return 0
	}
	return *r.Margin
}

func minPairs(r Rule) int {
	return max(r.MinPairs, defaultMinPairs)
}

// required is RuleResult.Required: the bound the observed value must meet.
func (e *evaluator) required(r Rule) string {
	lowerIsBetter := false
	if m, ok := e.byName[r.Metric]; ok {
		lowerIsBetter = m.LowerIsBetter
	}
	switch r.Kind {
	case Threshold:
		switch {
		case r.Min != nil && r.Max != nil:
			return "between " + FormatNumber(*r.Min) + " and " + FormatNumber(*r.Max)
		case r.Min != nil:
			return ">= " + FormatNumber(*r.Min)
		default:
			return "<= " + FormatNumber(*r.Max)
		}
	case NonInferiority:
		if lowerIsBetter {
			return "<= " + FormatNumber(margin(r))
		}
		return ">= " + FormatNumber(-margin(r))
	case Superiority:
		if lowerIsBetter {
			return "< " + FormatNumber(-margin(r))
		}
		return "> " + FormatNumber(margin(r))
	case NoNewFailures:
		allowed := 0
		if r.MaxRegressed != nil {
			allowed = *r.MaxRegressed
		}
		return "<= " + FormatCount(allowed)
	case MinPassRate:
		return ">= " + FormatPercent(*r.Min)
	case Family:
		return "<= 0"
	}
	return ""
}

// judge fills rr's verdict: Reason ("" when the rule holds), Observed,
// Message and the kind's own fields.
func (e *evaluator) judge(rr *RuleResult, label string) {
	switch rr.Rule.Kind {
	case Threshold:
		e.judgeThreshold(rr, label)
	case NonInferiority, Superiority:
		e.judgePaired(rr, label)
	case NoNewFailures:
		e.judgeNoNewFailures(rr, label)
	case MinPassRate:
		e.judgeMinPassRate(rr, label)
	case Family:
		e.judgeFamily(rr, label)
	}
}

func (e *evaluator) judgeThreshold(rr *RuleResult, label string) {
	r := rr.Rule
	m := e.byName[r.Metric]
	if m.NewAggregate == nil {
		rr.Reason = ReasonMissingMetric
		rr.Message = fmt.Sprintf("%s: the new run has no aggregate for %s", label, r.Metric)
		return
	}
	v := *m.NewAggregate
	rr.Observed = ptr(v)
	switch {
	case r.Min != nil && v < *r.Min:
		rr.Reason = ReasonViolated
		rr.Message = fmt.Sprintf("%s: aggregate %s < %s required: the new run's %s is below the minimum",
			label, FormatNumber(v), FormatNumber(*r.Min), r.Metric)
	case r.Max != nil && v > *r.Max:
		rr.Reason = ReasonViolated
		rr.Message = fmt.Sprintf("%s: aggregate %s > %s required: the new run's %s is above the maximum",
			label, FormatNumber(v), FormatNumber(*r.Max), r.Metric)
	default:
		rr.Message = fmt.Sprintf("%s: aggregate %s, %s required: holds", label, FormatNumber(v), rr.Required)
	}
}

func (e *evaluator) judgePaired(rr *RuleResult, label string) {
	r := rr.Rule
	m := e.byName[r.Metric]
	s, err := stats.Paired(m.Differences, m.Skipped, e.c.ConfidenceLevel, m.LowerIsBetter)
	if err != nil {
		rr.Reason = ReasonNotNumeric
		rr.Message = fmt.Sprintf("%s: the paired differences of %s cannot be used: %s", label, r.Metric, err)
		return
	}
	rr.MinimumDetectableDifference = minimumDetectable(s, e.c.ConfidenceLevel)
	if r.Kind == NonInferiority && rr.MinimumDetectableDifference != nil && margin(r) < *rr.MinimumDetectableDifference {
		rr.Underpowered = true
		rr.PairsNeeded = pairsNeeded(s, margin(r), e.c.ConfidenceLevel)
		e.warnings = append(e.warnings, label+": "+underpoweredWarning(*rr, s.N, e.level))
	}
	if need := minPairs(r); s.N < need {
		rr.Reason = ReasonTooFewPairs
		skipped := ""
		if s.Skipped > 0 {
			skipped = " (" + FormatCount(s.Skipped) + " skipped)"
		}
		rr.Message = fmt.Sprintf("%s: %s%s, at least %s required: too few datapoints have %s in both runs to judge it",
			label, plural(s.N, "pair"), skipped, FormatCount(need), r.Metric)
		return
	}

	// The bound on the worse side: the rule holds only if even that end of
	// the interval is acceptable.
	bound, value := "ci_lower", s.CILower
	if m.LowerIsBetter {
		bound, value = "ci_upper", s.CIUpper
	}
	rr.Observed = ptr(value)
	mg := margin(r)
	var holds bool
	var failed, why string
	switch {
	case r.Kind == NonInferiority && !m.LowerIsBetter:
		holds, failed = value >= -mg, "< "+FormatNumber(-mg)
	case r.Kind == NonInferiority:
		holds, failed = value <= mg, "> "+FormatNumber(mg)
	case !m.LowerIsBetter:
		holds, failed = value > mg, "<= "+FormatNumber(mg)
	default:
		holds, failed = value < -mg, ">= "+FormatNumber(-mg)
	}
	detail := fmt.Sprintf("(mean difference %s, %s CI [%s, %s], %s%s)", FormatNumber(s.MeanDifference), e.level,
		FormatNumber(s.CILower), FormatNumber(s.CIUpper), plural(s.N, "pair"), skippedNote(s.Skipped))
	if holds {
		rr.Message = fmt.Sprintf("%s: %s %s, %s required: holds %s", label, bound, FormatNumber(value), rr.Required, detail)
		return
	}
	switch {
	case r.Kind == NonInferiority:
		why = "the new run may be worse by more than the margin"
	case mg == 0:
		why = "the interval does not show the new run better"
	default:
		why = "the interval does not show the new run better by more than the margin"
	}
	rr.Reason = ReasonViolated
	rr.Message = fmt.Sprintf("%s: %s %s %s required: %s %s", label, bound, FormatNumber(value), failed, why, detail)
}

// skippedNote mentions the datapoints left out of the pairs, if any.
func skippedNote(skipped int) string {
	if skipped == 0 {
		return ""
	}
	return fmt.Sprintf(", %s skipped", FormatCount(skipped))
}

// outcomes are the pass/fail outcomes a rule on metric reads ("" for the
// whole datapoint's), and how messages name them.
func (e *evaluator) outcomes(metric string) (Outcomes, string) {
	if metric == "" {
		return e.c.Datapoints, "the datapoints"
	}
	return e.byName[metric].Outcomes, metric
}

func (e *evaluator) judgeNoNewFailures(rr *RuleResult, label string) {
	r := rr.Rule
	o, what := e.outcomes(r.Metric)
	if !o.Known {
		rr.Reason = ReasonNoOutcomes
		rr.Message = fmt.Sprintf("%s: the runs carry no pass/fail outcomes for %s, so new failures cannot be ruled out",
			label, what)
		return
	}
	n := len(o.Regressed)
	rr.Observed = ptr(float64(n))
	rr.RegressedCount = n
	rr.Regressed = append([]string{}, o.Regressed[:min(n, RegressedShown)]...)
	allowed := 0
	if r.MaxRegressed != nil {
		allowed = *r.MaxRegressed
	}
	head := fmt.Sprintf("%s: %s regressed, at most %s allowed", label, plural(n, "datapoint"), FormatCount(allowed))
	if n <= allowed {
		rr.Message = head + ": holds"
		return
	}
	ids := strings.Join(rr.Regressed, ", ")
	if n > len(rr.Regressed) {
		ids += fmt.Sprintf(" and %s more", FormatCount(n-len(rr.Regressed)))
	}
	fail := "fail"
	if n == 1 {
		fail = "fails"
	}
	rr.Reason = ReasonViolated
	rr.Message = fmt.Sprintf("%s: %s passed in the old run and %s in the new one", head, ids, fail)
}

func (e *evaluator) judgeMinPassRate(rr *RuleResult, label string) {
	r := rr.Rule
	o, what := e.outcomes(r.Metric)
	if !o.Known {
		rr.Reason = ReasonNoOutcomes
		rr.Message = fmt.Sprintf("%s: the runs carry no pass/fail outcomes for %s, so the pass rate is unknown",
			label, what)
		return
	}
	lower, upper, ok := stats.WilsonInterval(o.NewPassed, o.NewJudged, e.c.ConfidenceLevel)
	if !ok {
		rr.Reason = ReasonNoOutcomes
		if o.NewJudged <= 0 {
			rr.Message = fmt.Sprintf("%s: the new run judged no datapoints for %s: a pass rate of none has no lower bound",
				label, what)
		} else {
			rr.Message = fmt.Sprintf("%s: the new run's outcomes for %s do not add up (%s passed of %s judged)",
				label, what, FormatCount(o.NewPassed), FormatCount(o.NewJudged))
		}
		return
	}
	rr.Observed = ptr(lower)
	detail := fmt.Sprintf("(%s of %s passed, %s, %s CI [%s, %s])", FormatCount(o.NewPassed), FormatCount(o.NewJudged),
		FormatPercent(float64(o.NewPassed)/float64(o.NewJudged)), e.level, FormatPercent(lower), FormatPercent(upper))
	if lower >= *r.Min {
		rr.Message = fmt.Sprintf("%s: pass rate lower bound %s, %s required: holds %s", label, FormatPercent(lower),
			rr.Required, detail)
		return
	}
	rr.Reason = ReasonViolated
	rr.Message = fmt.Sprintf("%s: pass rate lower bound %s < %s required: the new run's pass rate may be below the "+
		"minimum %s", label, FormatPercent(lower), FormatPercent(*r.Min), detail)
}

func (e *evaluator) judgeFamily(rr *RuleResult, label string) {
	r := rr.Rule
	size, need := len(r.Metrics), minPairs(r)
	var regressed, short, intervals []string
	for _, name := range r.Metrics {
		m := e.byName[name]
		s, err := stats.PairedFamily(m.Differences, m.Skipped, e.c.ConfidenceLevel, size, m.LowerIsBetter)
		if err != nil {
			rr.Reason = ReasonNotNumeric
			rr.Message = fmt.Sprintf("%s: the paired differences of %s cannot be used: %s", label, name, err)
			return
		}
		if s.N < need {
			short = append(short, fmt.Sprintf("%s (%s)", name, plural(s.N, "pair")))
			continue
		}
		interval := fmt.Sprintf("%s [%s, %s]", name, FormatNumber(s.CILower), FormatNumber(s.CIUpper))
		intervals = append(intervals, interval)
		if s.Verdict == stats.VerdictRegressed {
			regressed = append(regressed, fmt.Sprintf("%s (mean difference %s, CI [%s, %s], %s)", name,
				FormatNumber(s.MeanDifference), FormatNumber(s.CILower), FormatNumber(s.CIUpper), plural(s.N, "pair")))
		}
	}
	var parts []string
	if len(regressed) > 0 {
		rr.Reason = ReasonViolated
		rr.Observed = ptr(float64(len(regressed)))
		parts = append(parts, fmt.Sprintf("%s regressed at simultaneous %s confidence: %s",
			plural(len(regressed), "member"), e.level, strings.Join(regressed, "; ")))
	}
	if len(short) > 0 {
		if rr.Reason == "" {
			rr.Reason = ReasonTooFewPairs
		}
		parts = append(parts, fmt.Sprintf("too few pairs (at least %s required) on %s", FormatCount(need),
			strings.Join(short, ", ")))
	}
	if rr.Reason != "" {
		rr.Message = label + ": " + strings.Join(parts, "; ")
		return
	}
	rr.Observed = ptr(0.0)
	rr.Message = fmt.Sprintf("%s: 0 members regressed at simultaneous %s confidence: holds (%s)", label, e.level,
		strings.Join(intervals, ", "))
}

// summary is Result.Summary: the verdict, each failed rule's message, then
// the warnings, one per line.
func summary(res Result) string {
	failed := res.Violations()
	total := len(res.Rules)
	rules := "rules"
	if total == 1 {
		rules = "rule"
	}
	context := fmt.Sprintf("(%s vs baseline %s, %s confidence)", res.NewRunID, res.OldRunID,
		FormatPercent(res.ConfidenceLevel))
	var lines []string
	if res.Passed {
		verb := "hold"
		if total == 1 {
			verb = "holds"
		}
		lines = append(lines, fmt.Sprintf("Release gate passed: %s of %s %s %s %s.", FormatCount(total),
			FormatCount(total), rules, verb, context))
	} else {
		lines = append(lines, fmt.Sprintf("Release gate FAILED: %s of %s %s failed %s.", FormatCount(len(failed)),
			FormatCount(total), rules, context))
	}
	for _, rr := range failed {
		lines = append(lines, rr.Message)
	}
	if len(res.Warnings) > 0 {
		lines = append(lines, "Warnings:")
		lines = append(lines, res.Warnings...)
	}
	return strings.Join(lines, "\n")
}

func ptr(v float64) *float64 { return &v }
