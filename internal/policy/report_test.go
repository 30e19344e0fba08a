package policy

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	goldmarkhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/stats"
)

// The report is checked as a reader sees it: rendered by a CommonMark
// renderer with GitHub's table extension (goldmark, GFM), then read from the
// HTML. The renderer lets raw HTML through (WithUnsafe), as GitLab's and
// GitHub's sanitizers do for some tags, so an unescaped "<" in a name would
// show up as an element here.

func renderMarkdown(t *testing.T, md string) *html.Node {
	t.Helper()
	gm := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(goldmarkhtml.WithUnsafe()))
	var out bytes.Buffer
	if err := gm.Convert([]byte(md), &out); err != nil {
		t.Fatalf("rendering the report: %v", err)
	}
	doc, err := html.Parse(&out)
	if err != nil {
		t.Fatalf("parsing the rendered report: %v", err)
	}
	return doc
}

// elements returns the elements named tag under n, in document order.
func elements(n *html.Node, tag string) []*html.Node {
	var found []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.Data == tag {
			found = append(found, d)
		}
	}
	return found
}

func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

// renderedTable is a table as a reader sees it: header cells, and the cells
// of each body row, as text.
type renderedTable struct {
	header []string
	rows   [][]string
	// cells are the body's cell elements, for checks on their markup.
	cells [][]*html.Node
}

func tables(doc *html.Node) []renderedTable {
	var out []renderedTable
	for _, tbl := range elements(doc, "table") {
		var rt renderedTable
		for _, th := range elements(tbl, "th") {
			rt.header = append(rt.header, text(th))
		}
		for _, body := range elements(tbl, "tbody") {
			for _, tr := range elements(body, "tr") {
				var row []string
				var cells []*html.Node
				for _, td := range elements(tr, "td") {
					row = append(row, text(td))
					cells = append(cells, td)
				}
				rt.rows = append(rt.rows, row)
				rt.cells = append(rt.cells, cells)
			}
		}
		out = append(out, rt)
	}
	return out
}

// tableWithHeader returns the rendered table whose first header cell is
// first.
func tableWithHeader(t *testing.T, doc *html.Node, first string) renderedTable {
	t.Helper()
	for _, tbl := range tables(doc) {
		if len(tbl.header) > 0 && tbl.header[0] == first {
			return tbl
		}
	}
	t.Fatalf("the report has no table headed %q", first)
	return renderedTable{}
}

// section returns the text of the elements after the h3 named title up to
// the next heading, or "" and false when there is no such heading.
func section(doc *html.Node, title string) ([]*html.Node, bool) {
	for _, h := range elements(doc, "h3") {
		if text(h) != title {
			continue
		}
		var nodes []*html.Node
		for n := h.NextSibling; n != nil; n = n.NextSibling {
			if n.Type == html.ElementNode && (n.Data == "h2" || n.Data == "h3") {
				break
			}
			if n.Type == html.ElementNode {
				nodes = append(nodes, n)
			}
		}
		return nodes, true
	}
	return nil, false
}

func float(x float64) *float64 { return &x }

var metricHeader = []string{"metric", "old", "new", "mean paired difference", "95% interval", "pairs", "verdict", "rules", "result"}

// failingResult is a policy of five rules on two metrics, two of which
// fail: relevance regressed past its margin, and 40 datapoints that passed
// now fail.
func failingResult() Result {
	regressed := make([]string, RegressedShown)
	for i := range regressed {
		regressed[i] = fmt.Sprintf("dp-%02d", i+1)
	}
	return Result{
		NewRunID: "run-new", OldRunID: "run-old", ConfidenceLevel: 0.95,
		Passed: false,
		Metrics: []MetricResult{
			{
				Name: "relevance", OldAggregate: float(0.812), NewAggregate: float(0.781),
				Paired: stats.PairedSummary{N: 8, MeanDifference: -0.03125, HasMean: true, CILower: -0.0401, CIUpper: -0.0229, HasInterval: true, Verdict: stats.VerdictRegressed},
			},
			{
				Name: "latency_ms", LowerIsBetter: true, OldAggregate: float(1200), NewAggregate: float(1250),
				Paired: stats.PairedSummary{N: 7, MeanDifference: 50, HasMean: true, CILower: 19.3264, CIUpper: 80.6736, HasInterval: true, Verdict: stats.VerdictRegressed},
			},
		},
		Rules: []RuleResult{
			{Index: 0, Rule: Rule{Kind: NonInferiority, Metric: "relevance", Margin: float(0.02)}, Metric: "relevance",
				Reason: ReasonViolated, Observed: float(-0.0401), Required: ">= -0.02",
				Message: "relevance may be worse than the baseline by more than 0.02: 95% interval [-0.04, -0.023]"},
			{Index: 1, Rule: Rule{Kind: NonInferiority, Metric: "latency_ms", Margin: float(100)}, Metric: "latency_ms",
				Passed: true, Observed: float(80.6736), Required: "<= 100", Message: "latency_ms is within 100 of the baseline"},
			{Index: 2, Rule: Rule{Kind: NoNewFailures}, Reason: ReasonViolated, Observed: float(40), Required: "<= 0",
				Message: "40 datapoints passed in the baseline and fail in the candidate", RegressedCount: 40, Regressed: regressed},
			{Index: 3, Rule: Rule{Kind: MinPassRate, Min: float(0.8)}, Passed: true, Observed: float(0.8512), Required: ">= 80%",
				Message: "pass rate at least 0.851"},
			{Index: 4, Rule: Rule{Kind: Threshold, Metric: "latency_ms", Max: float(2000)}, Metric: "latency_ms", Passed: true,
				Observed: float(1250), Required: "<= 2000", Message: "latency_ms 1250 <= 2000"},
		},
		Warnings: []string{"this gate cannot tell a regression of 0.02 from noise with 8 pairs; it needs about 31"},
	}
}

func TestMarkdown_failingReport(t *testing.T) {
	t.Parallel()
	md := Markdown(failingResult())
	doc := renderMarkdown(t, md)

	h2 := elements(doc, "h2")
	if len(h2) != 1 || text(h2[0]) != "❌ Release gate FAILED: 2 of 5 rules failed" {
		t.Errorf("heading %q, want the failed verdict with 3 of 5 rules", text(h2[0]))
	}
	intro := text(elements(doc, "p")[0])
	if intro != "Candidate run run-new against baseline run run-old, 95% confidence intervals." {
		t.Errorf("intro %q", intro)
	}
	if codes := elements(elements(doc, "p")[0], "code"); len(codes) != 2 || text(codes[0]) != "run-new" || text(codes[1]) != "run-old" {
		t.Errorf("the run IDs are not shown as code: %v", codes)
	}

	metrics := tableWithHeader(t, doc, "metric")
	if !slices.Equal(metrics.header, metricHeader) {
		t.Errorf("metric table header %q, want %q", metrics.header, metricHeader)
	}
	wantRows := [][]string{
		{"relevance", "0.812", "0.781", "-0.0312", "[-0.0401, -0.0229]", "8", "regressed", "#0 non_inferiority", "❌ fail"},
		{"latency_ms (lower is better)", "1,200", "1,250", "+50", "[19.326, 80.674]", "7", "regressed", "#1 non_inferiority, #4 threshold", "✅ pass"},
	}
	if !slices.EqualFunc(metrics.rows, wantRows, slices.Equal) {
		t.Errorf("metric rows\n%q\nwant\n%q", metrics.rows, wantRows)
	}

	rules := tableWithHeader(t, doc, "#")
	if want := []string{"#", "rule", "metric", "observed", "required", "result", "message"}; !slices.Equal(rules.header, want) {
		t.Errorf("rule table header %q, want %q", rules.header, want)
	}
	wantRules := [][]string{
		{"0", "non_inferiority", "relevance", "-0.0401", ">= -0.02", "❌ fail", "relevance may be worse than the baseline by more than 0.02: 95% interval [-0.04, -0.023]"},
		{"1", "non_inferiority", "latency_ms", "80.674", "<= 100", "✅ pass", "latency_ms is within 100 of the baseline"},
		{"2", "no_new_failures", "whole datapoint", "40", "<= 0", "❌ fail", "40 datapoints passed in the baseline and fail in the candidate"},
		{"3", "min_pass_rate", "whole datapoint", "85.1%", ">= 80%", "✅ pass", "pass rate at least 0.851"},
		{"4", "threshold", "latency_ms", "1,250", "<= 2000", "✅ pass", "latency_ms 1250 <= 2000"},
	}
	if !slices.EqualFunc(rules.rows, wantRules, slices.Equal) {
		t.Errorf("rule rows\n%q\nwant\n%q", rules.rows, wantRules)
	}

	regressed, ok := section(doc, "Regressed datapoints")
	if !ok {
		t.Fatal("no regressed datapoints section")
	}
	items := elements(regressed[len(regressed)-1], "li")
	if len(items) != 1 {
		t.Fatalf("regressed list has %d items, want 1", len(items))
	}
	wantItem := "#2 no_new_failures (whole datapoint): 40 regressed: dp-01, dp-02, dp-03, dp-04, dp-05 and 35 more"
	if got := text(items[0]); got != wantItem {
		t.Errorf("regressed item %q, want %q", got, wantItem)
	}
	if codes := elements(items[0], "code"); len(codes) != RegressedShown {
		t.Errorf("%d IDs shown as code, want %d", len(codes), RegressedShown)
	}

	chart := chartText(t, doc)
	lines := strings.Split(strings.TrimRight(chart, "\n"), "\n")
	// relevance: higher is better, so its non-inferiority margin is at -0.02.
	wantChart := []string{
		"relevance   --[=======*======]--:-----------------|--  [-0.0401, -0.0229] on -0.0421 … 0.002",
		"latency_ms  --|------[==========*==========]------:--  [19.326, 80.674] on -5 … 105",
	}
	for i, want := range wantChart {
		if i >= len(lines) || lines[i] != want {
			t.Errorf("chart line %d:\n%q\nwant\n%q\nchart:\n%s", i, lines[min(i, len(lines)-1)], want, chart)
		}
	}

	power, ok := section(doc, "Power")
	if !ok || len(elements(power[0], "li")) != 1 ||
		text(elements(power[0], "li")[0]) != "⚠️ this gate cannot tell a regression of 0.02 from noise with 8 pairs; it needs about 31" {
		t.Errorf("power warnings not listed: %s", md)
	}
}

// The chart's marks for a few shapes of interval, on an axis of chartWidth
// cells that spans the interval, 0 and the margins.
func TestMarkdown_chartAxis(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name           string
		paired         stats.PairedSummary
		marks          []float64
		want           string
		wantLo, wantHi float64
	}{
		{
			name:   "an interval left of 0, the margin inside it",
			paired: stats.PairedSummary{MeanDifference: -1.5, CILower: -2, CIUpper: -1},
			marks:  []float64{-1.2},
			want:   "--[========*====:===]-----------------|--", wantLo: -2.1, wantHi: 0.1,
		},
		{
			name:   "an interval across 0",
			paired: stats.PairedSummary{MeanDifference: 0.5, CILower: -1, CIUpper: 2},
			want:   "--[===========|=====*=================]--", wantLo: -1.15, wantHi: 2.15,
		},
		{
			name:   "every difference equal: one point",
			paired: stats.PairedSummary{MeanDifference: 1, CILower: 1, CIUpper: 1},
			want:   "--|-----------------------------------*--", wantLo: -0.05, wantHi: 1.05,
		},
		{
			name:   "all zero, no margin",
			paired: stats.PairedSummary{},
			want:   "--------------------*--------------------", wantLo: -1.1, wantHi: 1.1,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, lo, hi := chartAxis(MetricResult{Paired: tc.paired}, tc.marks)
			if got != tc.want || math.Abs(lo-tc.wantLo) > 1e-9 || math.Abs(hi-tc.wantHi) > 1e-9 {
				t.Errorf("chartAxis = %q on [%v, %v], want %q on [%v, %v]", got, lo, hi, tc.want, tc.wantLo, tc.wantHi)
			}
			if utf8.RuneCountInString(got) != chartWidth {
				t.Errorf("%d cells, want %d", utf8.RuneCountInString(got), chartWidth)
			}
		})
	}
}

// Only the first RegressedShown IDs are listed, however many the result
// holds; the rest are counted.
func TestMarkdown_regressedCapped(t *testing.T) {
	t.Parallel()
	ids := make([]string, 15)
	for i := range ids {
		ids[i] = fmt.Sprintf("dp-%d", i)
	}
	r := Result{NewRunID: "a", OldRunID: "b", ConfidenceLevel: 0.95, Rules: []RuleResult{
		{Index: 3, Rule: Rule{Kind: NoNewFailures, Metric: "ok"}, Metric: "ok", Passed: true, RegressedCount: 1234, Regressed: ids},
	}}
	nodes, ok := section(renderMarkdown(t, Markdown(r)), "Regressed datapoints")
	if !ok {
		t.Fatal("no regressed datapoints section")
	}
	want := "#3 no_new_failures (ok): 1,234 regressed: dp-0, dp-1, dp-2, dp-3, dp-4 and 1,229 more"
	if got := text(nodes[len(nodes)-1]); strings.TrimSpace(got) != want {
		t.Errorf("regressed list %q, want %q", got, want)
	}
}

// chartText returns the text of the interval chart: the report's one code
// block, which must be a <pre><code>.
func chartText(t *testing.T, doc *html.Node) string {
	t.Helper()
	pres := elements(doc, "pre")
	if len(pres) != 1 {
		t.Fatalf("the report has %d <pre> blocks, want the chart's 1", len(pres))
	}
	codes := elements(pres[0], "code")
	if len(codes) != 1 || codes[0].Parent != pres[0] {
		t.Fatalf("the chart is not a <pre><code>")
	}
	return text(codes[0])
}

func TestMarkdown_passingReport(t *testing.T) {
	t.Parallel()
	r := Result{
		NewRunID: "run-new", OldRunID: "run-old", ConfidenceLevel: 0.9, Passed: true,
		Metrics: []MetricResult{{
			Name: "accuracy", OldAggregate: float(0.7), NewAggregate: float(0.75),
			Paired: stats.PairedSummary{N: 20, MeanDifference: 0.05, HasMean: true, CILower: 0.01, CIUpper: 0.09, HasInterval: true, Verdict: stats.VerdictImproved},
		}},
		Rules: []RuleResult{
			{Index: 0, Rule: Rule{Kind: Superiority, Metric: "accuracy", Margin: float(0.005)}, Metric: "accuracy", Passed: true,
				Observed: float(0.01), Required: "> 0.005", Message: "accuracy better by more than 0.005"},
			{Index: 1, Rule: Rule{Kind: NoNewFailures, Metric: "accuracy"}, Metric: "accuracy", Passed: true,
				Observed: float(0), Required: "<= 0", Message: "no datapoint regressed"},
		},
	}
	doc := renderMarkdown(t, Markdown(r))
	if h2 := elements(doc, "h2"); len(h2) != 1 || text(h2[0]) != "✅ Release gate passed: 2 of 2 rules hold" {
		t.Errorf("heading %q, want the passed verdict", text(h2[0]))
	}
	metrics := tableWithHeader(t, doc, "metric")
	if want := []string{"metric", "old", "new", "mean paired difference", "90% interval", "pairs", "verdict", "rules", "result"}; !slices.Equal(metrics.header, want) {
		t.Errorf("header %q, want %q", metrics.header, want)
	}
	want := [][]string{{"accuracy", "0.7", "0.75", "+0.05", "[0.01, 0.09]", "20", "improved", "#0 superiority, #1 no_new_failures", "✅ pass"}}
	if !slices.EqualFunc(metrics.rows, want, slices.Equal) {
		t.Errorf("rows %q, want %q", metrics.rows, want)
	}
	for _, title := range []string{"Regressed datapoints", "Power"} {
		if _, ok := section(doc, title); ok {
			t.Errorf("a passing report with nothing to say has a %q section", title)
		}
	}
	// A superiority margin sits on the better side: right of 0 here.
	chart := chartText(t, doc)
	if zero, margin := strings.IndexByte(chart, '|'), strings.IndexByte(chart, ':'); zero < 0 || margin < zero {
		t.Errorf("the superiority margin is not marked right of 0:\n%s", chart)
	}
}

// No metric has an interval: the metric table says n/a, and there is no
// chart to draw. With no metrics at all the report says so.
func TestMarkdown_noPairedMetric(t *testing.T) {
	t.Parallel()
	r := Result{
		NewRunID: "run-new", OldRunID: "run-old", ConfidenceLevel: 0.95,
		Metrics: []MetricResult{
			{Name: "relevance", OldAggregate: float(0.8), Paired: stats.PairedSummary{N: 1, MeanDifference: 0.1, HasMean: true, Verdict: stats.VerdictInsufficientData}},
			{Name: "tone"},
		},
		Rules: []RuleResult{{Index: 0, Rule: Rule{Kind: NonInferiority, Metric: "relevance", Margin: float(0.02)}, Metric: "relevance",
			Reason: ReasonTooFewPairs, Observed: float(1), Required: ">= 2 pairs", Message: "relevance has 1 paired datapoint, fewer than 2"}},
	}
	doc := renderMarkdown(t, Markdown(r))
	metrics := tableWithHeader(t, doc, "metric")
	want := [][]string{
		{"relevance", "0.8", "n/a", "+0.1", "n/a", "1", "insufficient data", "#0 non_inferiority", "❌ fail"},
		{"tone", "n/a", "n/a", "n/a", "n/a", "0", "insufficient data", "—", "—"},
	}
	if !slices.EqualFunc(metrics.rows, want, slices.Equal) {
		t.Errorf("rows %q, want %q", metrics.rows, want)
	}
	if pres := elements(doc, "pre"); len(pres) != 0 {
		t.Errorf("a chart without intervals: %s", text(pres[0]))
	}
	if _, ok := section(doc, "Intervals"); ok {
		t.Error("an Intervals section without intervals")
	}

	doc = renderMarkdown(t, Markdown(Result{NewRunID: "a", OldRunID: "b", ConfidenceLevel: 0.95}))
	nodes, ok := section(doc, "Metrics")
	if !ok || len(nodes) == 0 || text(nodes[0]) != "The comparison has no metrics." {
		t.Errorf("a report without metrics does not say so")
	}
	if h2 := elements(doc, "h2"); text(h2[0]) != "❌ Release gate FAILED: the policy has no rules" {
		t.Errorf("heading %q", text(h2[0]))
	}
	if len(elements(doc, "table")) != 0 {
		t.Error("a report without metrics or rules has a table")
	}
}

// Names and IDs come from whoever wrote the evaluation: none can break a
// table, open an element or run past the cap.
func TestMarkdown_escapesNames(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 100)
	cases := []struct {
		name, shown string
	}{
		{"a|b", "a|b"},
		{"`code` | `pipe`", "`code` | `pipe`"},
		{"<script>alert(1)</script>", "<script>alert(1)</script>"},
		{`<img src=x onerror="alert(1)">`, `<img src=x onerror="alert(1)">`},
		{"*bold* _em_ ~~del~~", "*bold* _em_ ~~del~~"},
		{"[link](javascript:alert(1))", "[link](javascript:alert(1))"},
		{"back\\slash\\|", "back\\slash\\|"},
		{"&lt;entity&gt; &amp;", "&lt;entity&gt; &amp;"},
		{"line\nbreak\r\ttab", "line break  tab"},
		{"```\nfence", "``` fence"},
		{long, strings.Repeat("x", maxNameRunes-1) + "…"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := Result{
				NewRunID: tc.name, OldRunID: "run-old", ConfidenceLevel: 0.95,
				Metrics: []MetricResult{{Name: tc.name, Paired: stats.PairedSummary{N: 3, MeanDifference: -1, HasMean: true, CILower: -2, CIUpper: 0.5, HasInterval: true, Verdict: stats.VerdictInconclusive}}},
				Rules: []RuleResult{{Index: 0, Rule: Rule{Kind: NoNewFailures, Metric: tc.name}, Metric: tc.name, Reason: ReasonViolated,
					Message: tc.name + " regressed", RegressedCount: 2, Regressed: []string{tc.name, "dp-2"}}},
			}
			doc := renderMarkdown(t, Markdown(r))
			for _, tag := range []string{"script", "img", "a", "em", "strong", "del"} {
				if found := elements(doc, tag); len(found) > 0 {
					t.Errorf("a name made a <%s> element", tag)
				}
			}
			metrics := tableWithHeader(t, doc, "metric")
			if len(metrics.rows) != 1 || len(metrics.rows[0]) != len(metricHeader) {
				t.Fatalf("metric table rows %q, want one row of %d cells", metrics.rows, len(metricHeader))
			}
			if metrics.rows[0][0] != tc.shown {
				t.Errorf("metric cell %q, want %q", metrics.rows[0][0], tc.shown)
			}
			if kids := elements(metrics.cells[0][0], "code"); len(kids) > 0 {
				t.Error("the metric cell has a code span")
			}
			rules := tableWithHeader(t, doc, "#")
			if len(rules.rows) != 1 || len(rules.rows[0]) != 7 || rules.rows[0][2] != tc.shown {
				t.Errorf("rule table rows %q, want one row of 7 cells naming %q", rules.rows, tc.shown)
			}
			nodes, ok := section(doc, "Regressed datapoints")
			if !ok {
				t.Fatal("no regressed datapoints")
			}
			codes := elements(nodes[len(nodes)-1], "code")
			if len(codes) != 2 || strings.TrimSpace(text(codes[0])) != strings.TrimSpace(tc.shown) || text(codes[1]) != "dp-2" {
				t.Errorf("regressed IDs %v, want %q and dp-2 as code", codes, tc.shown)
			}
			if chart := chartText(t, doc); !strings.Contains(chart, capRunes(tc.name, chartNameRunes)) {
				t.Errorf("the chart does not name %q:\n%s", tc.name, chart)
			}
		})
	}
}

// A difference carries its sign; the digits are FormatNumber's.
func TestMarkdown_signedNumber(t *testing.T) {
	t.Parallel()
	for x, want := range map[float64]string{0: "0", -0.03125: "-0.0312", 0.02: "+0.02", 890: "+890", 12345.5: "+12,345.5"} {
		if got := signedNumber(x); got != want {
			t.Errorf("signedNumber(%v) = %q, want %q", x, got, want)
		}
	}
}
