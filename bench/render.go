package main

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The report: targets first, then every measurement.

// targets of issue 12, as ratios of medians measured in the same run, for
// runs of midThreshold datapoints or more.
var targets = map[string]map[string]float64{
	"run":        {keyDefaults: 0.2, keyInclude: 1.0},
	"comparison": {keyDefaults: 0.5},
}

// stateGrowthLimit is how much larger the defaults' state may be at the
// largest size than at the smallest for it not to grow with the datapoints
// (the numbers' digits may differ a little).
const stateGrowthLimit = 1.1

func rssLimit(s *scenario) int64 { return int64(4*s.providerBytes) + 64<<20 }

func secs(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()) }

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func ratio(x, y time.Duration) float64 {
	if y <= 0 {
		return 0
	}
	return float64(x) / float64(y)
}

func mark(ok bool) string {
	if ok {
		return "✓"
	}
	return "✗"
}

func render(scenarios []*scenario, elapsed time.Duration, goBench, tf string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Benchmark results\n\n")
	fmt.Fprintf(&b, "Written by `make bench` (bench/) on %s; the Terraform part took %s.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), elapsed.Round(time.Second))
	fmt.Fprintf(&b, "## Machine\n\n%s\n", machine(tf))
	renderTargets(&b, scenarios)
	renderPolicy(&b, scenarios)
	renderPlans(&b, scenarios)
	renderPhases(&b, scenarios)
	renderTwins(&b, scenarios)
	if goBench != "" {
		renderGoBench(&b, goBench)
	}
	return b.String()
}

func renderTargets(b *strings.Builder, scenarios []*scenario) {
	b.WriteString("## Targets\n\n")
	b.WriteString("Ratios of medians of whole `terraform plan` runs measured in the same run: (a) the data source " +
		"with its defaults (`include_datapoints = false`), (a+) with `include_datapoints = true`, (b) the same gate " +
		"over `jsondecode(file(...))` of the body (the summary; for a comparison, the comparison body), which is " +
		"what users write without the provider. Targets, from 10,000 datapoints: experiment run (a)/(b) ≤ 0.2 and " +
		"(a+)/(b) ≤ 1.0; comparison (a)/(b) ≤ 0.5. Provider peak RSS with the defaults ≤ 4 × the bodies it reads " +
		"+ 64 MiB (a comparison reads the comparison and both summaries).\n\n")
	b.WriteString("| data source | datapoints | (a) s | (a+) s | (b) s | (c) s | (a)/(b) | (a+)/(b) | provider peak RSS (a) | limit | state bytes (a) |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range scenarios {
		cell := func(key string) string {
			if r := s.results[key]; r != nil {
				return secs(median(r.times))
			}
			return "–"
		}
		ratioCell := func(key string) string {
			r, dec := s.results[key], s.results[keyDecode]
			if r == nil || dec == nil {
				return "–"
			}
			v := ratio(median(r.times), median(dec.times))
			text := fmt.Sprintf("%.2f", v)
			if t, ok := targets[s.kind][key]; ok && s.datapoints >= midThreshold {
				text += fmt.Sprintf(" %s (≤ %.1f)", mark(v <= t), t)
			}
			return text
		}
		a := s.results[keyDefaults]
		limit := rssLimit(s)
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s %s | %s | %d |\n", s.kind, thousands(s.datapoints),
			cell(keyDefaults), cell(keyInclude), cell(keyDecode), cell(keyEmpty), ratioCell(keyDefaults), ratioCell(keyInclude),
			mib(a.peakRSSKiB*1024), mark(a.peakRSSKiB*1024 <= limit), mib(limit), a.stateBytes)
	}
	b.WriteString("\n")
	for _, kind := range []string{"run", "comparison"} {
		var sized []*scenario
		for _, s := range scenarios {
			if s.kind == kind {
				sized = append(sized, s)
			}
		}
		if len(sized) < 2 {
			continue
		}
		bySize := func(x, y *scenario) int { return x.datapoints - y.datapoints }
		first, last := slices.MinFunc(sized, bySize), slices.MaxFunc(sized, bySize)
		x, y := first.results[keyDefaults].stateBytes, last.results[keyDefaults].stateBytes
		g := float64(y) / float64(x)
		fmt.Fprintf(b, "- State of the %s data source with its defaults: %d bytes at %s datapoints, %d at %s (×%.2f): %s "+
			"does not grow with the datapoints (within ×%.1f).\n", kind, x, thousands(first.datapoints), y,
			thousands(last.datapoints), g, mark(g <= stateGrowthLimit), stateGrowthLimit)
	}
	b.WriteString("\n")
}

// policyTarget is the most the release gate may cost against the comparison
// with its defaults (issue 17: no more plan time than that data source).
const policyTarget = 1.0

// renderPolicy sets the release gate (g) beside the comparison with its
// defaults (a), which make the same reads: the policy's own cost is its rules
// and its report.
func renderPolicy(b *strings.Builder, scenarios []*scenario) {
	var rows []string
	for _, s := range scenarios {
		a, g := s.results[keyDefaults], s.results[keyPolicy]
		if a == nil || g == nil {
			continue
		}
		v := ratio(median(g.times), median(a.times))
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %.2f %s (≤ %.1f) | %s | %s | %d | %d |", thousands(s.datapoints),
			secs(median(a.times)), secs(median(g.times)), v, mark(v <= policyTarget), policyTarget,
			mib(a.peakRSSKiB*1024), mib(g.peakRSSKiB*1024), a.stateBytes, g.stateBytes))
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString("## The release gate beside the comparison\n\n")
	b.WriteString("`honeyhive_release_gate` (g) makes the comparison's reads and computes its paired statistics, then " +
		"judges its rules and writes its summary and report; here the comparison's gate (a) as a one-rule policy " +
		"(`non_inferiority` on accuracy, margin 0.5, `condition = self.passed`). Medians of whole `terraform plan` " +
		"runs in the same rounds; target (g)/(a) ≤ 1.0.\n\n")
	b.WriteString("| datapoints | comparison (a) s | release gate (g) s | (g)/(a) | provider peak RSS (a) | (g) | state bytes (a) | (g) |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	b.WriteString(strings.Join(rows, "\n"))
	b.WriteString("\n\n")
}

func renderPlans(b *strings.Builder, scenarios []*scenario) {
	b.WriteString("## Whole `terraform plan` runs\n\n")
	fmt.Fprintf(b, "Runs of N datapoints with %d metrics each (a comparison: two runs of N, the same datapoints with "+
		"other values), served by the embedded local server. Times are wall-clock seconds of whole `terraform plan` "+
		"runs, median and min–max over n runs (%d below %s datapoints, after one untimed warm-up plan; %d from %s; "+
		"%d from %s). The first timed plan of each configuration runs the provider through bench/launcher, which "+
		"records the real provider binary's peak RSS (getrusage of its child, maximum over the provider processes "+
		"Terraform starts), and saves the plan with `-out`: state bytes are the size of the state in that plan "+
		"file, which holds what the data source read. Bodies: what the provider reads (for a comparison, the "+
		"comparison and both summaries); (b) reads the first of them from disk.\n\n",
		metricsPerRun, repsSmall, thousands(midThreshold), repsMid, thousands(midThreshold), repsBig, thousands(bigThreshold))
	b.WriteString("| data source | datapoints | bodies | configuration | n | median s | min–max s | provider peak RSS | state bytes |\n")
	b.WriteString("|---|---:|---:|---|---:|---:|---:|---:|---:|\n")
	for _, s := range scenarios {
		bodies := mib(int64(s.providerBytes))
		if s.kind == "comparison" {
			bodies = fmt.Sprintf("%s (comparison %s)", bodies, mib(int64(len(s.body))))
		}
		for _, c := range s.configs {
			r := s.results[c.key]
			times := slices.Clone(r.times)
			slices.Sort(times)
			rss := "–"
			if c.provider {
				rss = mib(r.peakRSSKiB * 1024)
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %d | %s | %s–%s | %s | %d |\n", s.kind, thousands(s.datapoints), bodies,
				c.label, len(times), secs(median(r.times)), secs(times[0]), secs(times[len(times)-1]), rss, r.stateBytes)
		}
	}
	b.WriteString("\n")
}

func renderPhases(b *strings.Builder, scenarios []*scenario) {
	b.WriteString("## Where the time goes\n\n")
	b.WriteString("One more plan of each data source configuration, with the provider's debug log " +
		"(`TF_LOG_PROVIDER=DEBUG`), which records how long the provider's own steps took: the HTTP exchanges, " +
		"bodies included (for a comparison, the longest of its three, which run together), decoding the bodies, " +
		"for a comparison the pairing, statistics and attribute values, building the state's value, and " +
		"encoding it for Terraform. The rest of the plan, above Terraform's floor (c), is Terraform's: starting " +
		"the provider, decoding the state it receives, storing it and evaluating the conditions.\n\n")
	b.WriteString("| data source | datapoints | configuration | logged plan s | (c) floor s | fetch s | decode s | pair s | build state s | encode s | Terraform and the rest s |\n")
	b.WriteString("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range scenarios {
		c := median(s.results[keyEmpty].times)
		for _, cfg := range s.configs {
			p := s.results[cfg.key].phases
			if p == nil {
				continue
			}
			encode := "n/a"
			if p.encodeKnown {
				encode = secs(p.encodeState)
			}
			pair := "–"
			if s.kind == "comparison" {
				pair = secs(p.pair)
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", s.kind, thousands(s.datapoints),
				cfg.label, secs(p.plan), secs(c), secs(p.fetch), secs(p.decode), pair, secs(p.buildState), encode,
				secs(max(p.plan-c-p.provider(), 0)))
		}
	}
	b.WriteString("\n")
}

// machine describes the machine from /proc (Linux; lines it cannot read are
// left out) and the Terraform version.
func machine(tf string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "- nproc: %d (GOOS/GOARCH %s/%s, %s)\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	if kb, err := strconv.ParseInt(procField("/proc/meminfo", `(?m)^MemTotal:\s*(\d+)`), 10, 64); err == nil {
		fmt.Fprintf(&b, "- memory: %.1f GiB\n", float64(kb)/(1<<20))
	}
	if cpu := procField("/proc/cpuinfo", `(?m)^model name\s*:\s*(.*\S)`); cpu != "" {
		fmt.Fprintf(&b, "- CPU: %s\n", cpu)
	}
	if load := procField("/proc/loadavg", `^(\S+) (\S+) (\S+)`); load != "" {
		fmt.Fprintf(&b, "- load average when the report was written: %s (1, 5, 15 min)\n", load)
	}
	if out, err := exec.Command(tf, "version").Output(); err == nil {
		fmt.Fprintf(&b, "- Terraform: %s\n", strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0]))
	}
	return b.String()
}

// procField returns the groups of pattern's first match in file, joined by
// spaces; "" when there is none.
func procField(file, pattern string) string {
	data, _ := os.ReadFile(file)
	m := regexp.MustCompile(pattern).FindStringSubmatch(string(data))
	if m == nil {
		return ""
	}
	return strings.Join(m[1:], " ")
}

func renderTwins(b *strings.Builder, scenarios []*scenario) {
	var rows []string
	for _, s := range scenarios {
		for _, c := range s.configs {
			if c.twinOf == "" {
				continue
			}
			this, twin := s.results[c.twinOf], s.results[c.key]
			rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s | %s | %.2f | %s | %s |", s.kind, thousands(s.datapoints),
				strings.TrimSuffix(c.label, ", "+twinName), secs(median(this.times)), secs(median(twin.times)),
				ratio(median(twin.times), median(this.times)), mib(this.peakRSSKiB*1024), mib(twin.peakRSSKiB*1024)))
		}
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString("## Against another build\n\n")
	fmt.Fprintf(b, "The same plans run by the provider %s, in the same rounds. stateHandoffServer "+
		"(internal/provider/server.go) works around the framework and stays only while, against the build without it "+
		"(-tags nohandoff, which still stores state with setStateDirect), it is at least 1.25 times faster or uses 25%% "+
		"less memory on a case users hit (DEVELOPERS.md).\n\n", twinName)
	b.WriteString("| data source | datapoints | configuration | this build s | twin s | twin/this | RSS this build | RSS twin |\n")
	b.WriteString("|---|---:|---|---:|---:|---:|---:|---:|\n")
	b.WriteString(strings.Join(rows, "\n"))
	b.WriteString("\n\n")
}
