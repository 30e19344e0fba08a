package policy

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

// The report's limits: a pull-request comment holds at most 65,536
// characters on GitHub, and a reader wants the gist, not every ID.
const (
	// maxNameRunes caps a metric name or datapoint ID in the report; a longer
	// one is cut and ends in "…".
	maxNameRunes = 64
	// maxMessageRunes caps a rule's message or a warning.
	maxMessageRunes = 400
	// chartWidth is the number of cells of a chart line's axis; chartNameRunes
	// caps the names in the chart, which are padded to one column.
	chartWidth     = 41
	chartNameRunes = 24
)

// Markdown renders the result as the report a person reads in a pull or
// merge request: the verdict, a table of the metrics, a table of the rules,
// the regressed datapoints, an interval chart and the power warnings.
//
// It is GitHub Flavored Markdown that GitLab renders the same way: pipe
// tables, and the chart as text in a fenced code block. GitHub strips inline
// <svg> and data: URIs from Markdown, so a drawn chart would not show there.
// Every name and ID from the runs is escaped (see cell and codeSpan): a "|"
// cannot break a table, nor a "<" open an HTML tag.
func Markdown(r Result) string {
	var b strings.Builder
	writeHeading(&b, r)
	writeMetrics(&b, r)
	writeRules(&b, r)
	writeRegressed(&b, r)
	writeChart(&b, r)
	writeWarnings(&b, r)
	return b.String()
}

func writeHeading(b *strings.Builder, r Result) {
	passed := 0
	for _, rr := range r.Rules {
		if rr.Passed {
			passed++
		}
	}
	// The heading counts as the summary's first line does.
	switch {
	case r.Passed && len(r.Rules) == 1:
		b.WriteString("## ✅ Release gate passed: 1 of 1 rule holds\n\n")
	case r.Passed:
		fmt.Fprintf(b, "## ✅ Release gate passed: %s of %s rules hold\n\n", FormatCount(passed), FormatCount(len(r.Rules)))
	case len(r.Rules) == 0:
		b.WriteString("## ❌ Release gate FAILED: the policy has no rules\n\n")
	case len(r.Rules) == 1:
		b.WriteString("## ❌ Release gate FAILED: 1 of 1 rule failed\n\n")
	default:
		fmt.Fprintf(b, "## ❌ Release gate FAILED: %s of %s rules failed\n\n", FormatCount(len(r.Rules)-passed), FormatCount(len(r.Rules)))
	}
	fmt.Fprintf(b, "Candidate run %s against baseline run %s, %s confidence intervals.\n\n",
		codeSpan(capRunes(r.NewRunID, maxNameRunes)), codeSpan(capRunes(r.OldRunID, maxNameRunes)), percent(r.ConfidenceLevel))
}

// passMark is a rule's or metric's outcome: the mark catches the eye, the
// word survives where the mark does not (a screen reader, a copy into plain
// text, a reader who cannot tell red from green).
func passMark(passed bool) string {
	if passed {
		return "✅ pass"
	}
	return "❌ fail"
}

// rulesOn returns the rules that read the named metric: by Metric, or as a
// member of a family.
func rulesOn(r Result, name string) []RuleResult {
	var on []RuleResult
	for _, rr := range r.Rules {
		if rr.Rule.Metric == name && name != "" || slices.Contains(rr.Rule.Metrics, name) {
			on = append(on, rr)
		}
	}
	return on
}

func writeMetrics(b *strings.Builder, r Result) {
	b.WriteString("### Metrics\n\n")
	if len(r.Metrics) == 0 {
		b.WriteString("The comparison has no metrics.\n\n")
		return
	}
	fmt.Fprintf(b, "| metric | old | new | mean paired difference | %s interval | pairs | verdict | rules | result |\n", percent(r.ConfidenceLevel))
	b.WriteString("| --- | ---: | ---: | ---: | --- | ---: | --- | --- | --- |\n")
	for _, m := range r.Metrics {
		name := cell(m.Name)
		if m.LowerIsBetter {
			name += " (lower is better)"
		}
		difference, interval := "n/a", "n/a"
		if m.Paired.HasMean {
			difference = signedNumber(m.Paired.MeanDifference)
		}
		if m.Paired.HasInterval {
			interval = "[" + number(m.Paired.CILower) + ", " + number(m.Paired.CIUpper) + "]"
		}
		verdict := string(m.Paired.Verdict)
		if verdict == "" {
			verdict = string(stats.VerdictInsufficientData)
		}
		on := rulesOn(r, m.Name)
		rules, result := "—", "—"
		if len(on) > 0 {
			names := make([]string, len(on))
			passed := true
			for i, rr := range on {
				names[i] = fmt.Sprintf("#%d %s", rr.Index, rr.Rule.Kind)
				passed = passed && rr.Passed
			}
			rules, result = strings.Join(names, ", "), passMark(passed)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			name, optionalNumber(m.OldAggregate), optionalNumber(m.NewAggregate), difference, interval,
			FormatCount(m.Paired.N), cell(strings.ReplaceAll(verdict, "_", " ")), cell(rules), result)
	}
	b.WriteString("\n")
}

// writeRules lists every rule: the metric table shows the rules on one
// metric, but the rules on the whole datapoint, the pass rates and the
// families need their own rows, and one table of all rules reads in the
// policy's order.
func writeRules(b *strings.Builder, r Result) {
	b.WriteString("### Rules\n\n")
	if len(r.Rules) == 0 {
		b.WriteString("The policy has no rules, so nothing shows the candidate is fit to release.\n\n")
		return
	}
	b.WriteString("| # | rule | metric | observed | required | result | message |\n")
	b.WriteString("| ---: | --- | --- | ---: | --- | --- | --- |\n")
	for _, rr := range r.Rules {
		metric := cell(rr.Metric)
		if rr.Metric == "" {
			metric = "whole datapoint"
		}
		required := cell(rr.Required)
		if required == "" {
			required = "—"
		}
		fmt.Fprintf(b, "| %d | %s | %s | %s | %s | %s | %s |\n",
			rr.Index, cell(string(rr.Rule.Kind)), metric, observed(rr), required,
			passMark(rr.Passed), cellRunes(rr.Message, maxMessageRunes))
	}
	b.WriteString("\n")
}

func writeRegressed(b *strings.Builder, r Result) {
	var lines []string
	for _, rr := range r.Rules {
		if rr.Rule.Kind != NoNewFailures || rr.RegressedCount == 0 {
			continue
		}
		// Evaluate keeps the first RegressedShown; the rest are counted ("and
		// 37 more").
		shown := rr.Regressed[:min(len(rr.Regressed), RegressedShown)]
		ids := make([]string, len(shown))
		for i, id := range shown {
			ids[i] = codeSpan(capRunes(id, maxNameRunes))
		}
		what := "whole datapoint"
		if rr.Metric != "" {
			what = cell(rr.Metric)
		}
		line := fmt.Sprintf("- #%d no_new_failures (%s): %s regressed: %s", rr.Index, what, FormatCount(rr.RegressedCount), strings.Join(ids, ", "))
		if more := rr.RegressedCount - len(shown); more > 0 {
			line += " and " + FormatCount(more) + " more"
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return
	}
	b.WriteString("### Regressed datapoints\n\nPassed in the baseline, fail in the candidate.\n\n")
	b.WriteString(strings.Join(lines, "\n"))
	b.WriteString("\n\n")
}

// writeChart draws each paired metric's interval as a line of text in a
// fenced code block, which renders the same on GitHub and GitLab. Each line
// has its own axis, since metrics have their own units; the axis spans the
// interval, 0 and the rules' margins, so all three show where they stand.
func writeChart(b *strings.Builder, r Result) {
	type line struct{ name, axis, text string }
	var lines []line
	nameWidth := 0
	for _, m := range r.Metrics {
		if !m.Paired.HasInterval {
			continue
		}
		name := capRunes(plain(m.Name), chartNameRunes)
		nameWidth = max(nameWidth, utf8.RuneCountInString(name))
		axis, lo, hi := chartAxis(m, marginMarks(r, m))
		lines = append(lines, line{name, axis, fmt.Sprintf("[%s, %s] on %s … %s",
			number(m.Paired.CILower), number(m.Paired.CIUpper), number(lo), number(hi))})
	}
	if len(lines) == 0 {
		return
	}
	var chart strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&chart, "%s%s  %s  %s\n", l.name, strings.Repeat(" ", nameWidth-utf8.RuneCountInString(l.name)), l.axis, l.text)
	}
	chart.WriteString("\n[===] interval   * mean difference   | zero   : margin\n")
	fmt.Fprintf(b, "### Intervals\n\n%s interval of the mean paired difference (new − old), one axis per metric.\n\n", percent(r.ConfidenceLevel))
	text := chart.String()
	fence := strings.Repeat("`", max(3, longestRun(text, '`')+1))
	fmt.Fprintf(b, "%stext\n%s%s\n\n", fence, text, fence)
}

// marginMarks returns where the margins of the rules on m sit on the axis of
// the difference: a non-inferiority margin on the worse side, a superiority
// margin on the better side.
func marginMarks(r Result, m MetricResult) []float64 {
	var marks []float64
	for _, rr := range rulesOn(r, m.Name) {
		if rr.Rule.Margin == nil || *rr.Rule.Margin == 0 {
			continue
		}
		margin := *rr.Rule.Margin
		switch rr.Rule.Kind {
		case NonInferiority:
			if !m.LowerIsBetter {
				margin = -margin
			}
		case Superiority:
			if m.LowerIsBetter {
				margin = -margin
			}
		default:
			continue
		}
		marks = append(marks, margin)
	}
	return marks
}

// chartAxis draws m's interval, its mean, 0 and the marks on an axis of
// chartWidth cells, and returns it with the axis' ends.
func chartAxis(m MetricResult, marks []float64) (axis string, lo, hi float64) {
	p := m.Paired
	lo, hi = min(p.CILower, 0), max(p.CIUpper, 0)
	for _, mark := range marks {
		lo, hi = min(lo, mark), max(hi, mark)
	}
	if hi == lo {
		// An interval [0, 0] with no margin: any span shows it.
		lo, hi = -1, 1
	}
	pad := (hi - lo) / 20
	lo, hi = lo-pad, hi+pad
	at := func(x float64) int {
		i := int(math.Round((x - lo) / (hi - lo) * (chartWidth - 1)))
		return min(max(i, 0), chartWidth-1)
	}
	cells := []rune(strings.Repeat("-", chartWidth))
	left, right := at(p.CILower), at(p.CIUpper)
	for i := left; i <= right; i++ {
		cells[i] = '='
	}
	// 0 and the margins show through the interval; the brackets and the
	// mean are drawn last, so the interval's ends are never hidden. An
	// interval of one cell is its mean alone.
	for _, mark := range marks {
		cells[at(mark)] = ':'
	}
	cells[at(0)] = '|'
	cells[at(p.MeanDifference)] = '*'
	if left < right {
		cells[left], cells[right] = '[', ']'
	}
	return string(cells), lo, hi
}

func writeWarnings(b *strings.Builder, r Result) {
	if len(r.Warnings) == 0 {
		return
	}
	b.WriteString("### Power\n\n")
	for _, w := range r.Warnings {
		b.WriteString("- ⚠️ " + cellRunes(w, maxMessageRunes) + "\n")
	}
	b.WriteString("\n")
}

// number formats a statistic as the summary and the messages do, so the
// report and the summary agree digit for digit.
func number(x float64) string { return FormatNumber(x) }

// signedNumber is number with a "+" on a positive value: a difference.
func signedNumber(x float64) string {
	s := number(x)
	if x > 0 && s != "0" && !strings.HasPrefix(s, "+") {
		return "+" + s
	}
	return s
}

// observed formats what a rule judged in the unit of its bound: a pass rate
// as a percentage, as its required bound is.
func observed(rr RuleResult) string {
	if rr.Observed != nil && rr.Rule.Kind == MinPassRate {
		return FormatPercent(*rr.Observed)
	}
	return optionalNumber(rr.Observed)
}

func optionalNumber(x *float64) string {
	if x == nil {
		return "n/a"
	}
	return number(*x)
}

// percent formats a confidence level as a percentage: 0.95 as "95%".
func percent(level float64) string { return FormatPercent(level) }

// plain makes s one line of printable text: control characters (a line
// break, a tab, an escape sequence) become spaces.
func plain(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
}

// capRunes makes s one line of at most n runes, ending in "…" when cut.
func capRunes(s string, n int) string {
	s = plain(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// cell is a name from the runs as text in the report, capped at
// maxNameRunes.
func cell(s string) string { return cellRunes(s, maxNameRunes) }

// cellRunes makes s safe text in a table cell or a list item, capped at n
// runes: "<", ">" and "&" become character references, so no HTML gets
// through, and the other characters Markdown reads inside a line (the
// table's "|", code's "`", emphasis, strikethrough, a link's or an image's
// brackets) are escaped with a backslash, which CommonMark allows before any
// ASCII punctuation. The rest ("#", "(", "!") means nothing without them.
func cellRunes(s string, n int) string {
	s = capRunes(s, n)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '\\', '|', '`', '*', '_', '[', ']', '~':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// codeSpan shows s, one line, as code outside a table: delimited by one
// backtick more than its longest run of backticks, and padded with spaces
// when it starts or ends with one, as CommonMark reads code spans. Inside a
// code span "<" and "*" are literal.
func codeSpan(s string) string {
	s = plain(s)
	if s == "" {
		return "(none)"
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

func longestRun(s string, c rune) int {
	longest, run := 0, 0
	for _, r := range s {
		if r == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}
