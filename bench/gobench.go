package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

// The Go benchmarks of decoding and converting the bodies, run after the
// plans.

// goBenchRuns are the benchmarks `make bench` runs: package, pattern and
// -benchtime. Fewer iterations for the slow stages;
// BenchmarkExperimentRun_4Msgpack is left out to keep `make bench` short: run
// it by hand.
var goBenchRuns = [][3]string{
	{"./internal/models/", "DecodeExperimentResultSummaryWith", "5x"},
	// -bench matches each level of a name separately: $ ends the first.
	{"./internal/provider/", "ExperimentRun_(1Decode|2Convert|ConvertOnly)$", "3x"},
	{"./internal/provider/", "ExperimentRun_3StateSet$", "1x"},
	{"./internal/provider/", "RunComparison_(1Decode|2Convert)$", "3x"},
	{"./internal/provider/", "RunComparison_3StateSet$", "1x"},
	// What formatting one number costs, per number in state.
	{"./internal/provider/", "NumberText", "1s"},
}

func runGoBench(root string) (string, error) {
	var out bytes.Buffer
	for _, r := range goBenchRuns {
		cmd := exec.Command("go", "test", "-run", "^$", "-bench", r[1], "-benchmem", "-benchtime", r[2], "-timeout", "30m", r[0])
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "TF_ACC=1")
		cmd.Stdout, cmd.Stderr = &out, os.Stderr
		if err := cmd.Run(); err != nil {
			return out.String(), fmt.Errorf("go test -bench %s %s: %w", r[1], r[0], err)
		}
	}
	var lines []string
	for l := range strings.SplitSeq(out.String(), "\n") {
		if strings.HasPrefix(l, "Benchmark") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n"), nil
}

func renderGoBench(b *strings.Builder, goBench string) {
	b.WriteString("## Go benchmarks\n\n")
	b.WriteString("`go test -bench`. DecodeExperimentResultSummaryWith: the decoding of the provider's cases: a run's summary " +
		"with the defaults (without its datapoints) and with include_datapoints, and a comparison's three bodies with " +
		"the defaults, with the paired differences. ExperimentRun_* " +
		"and RunComparison_* follow what each data source's Read does with its bodies: Decode, as Read decodes " +
		"them; Convert = Decode + the attribute values (for a comparison, with the pairing and statistics); " +
		"ConvertOnly = the attribute values of a decoded summary; StateSet = Convert + setStateDirect, the " +
		"state's tftypes.Value. NumberText = formatting one number as the msgpack encoder and Terraform's state " +
		"writer do. Fewer iterations for the slow stages (see bench/gobench.go).\n\n```\n")
	b.WriteString(goBench)
	b.WriteString("\n```\n\n")
	b.WriteString(goBenchRatios(goBench))
}

// benchLine is a line of go test -bench: the name without -GOMAXPROCS, and
// ns/op.
var benchLine = regexp.MustCompile(`(?m)^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([0-9.]+) ns/op`)

// goBenchRatios sets each provider stage against the decoding of the same
// bodies.
func goBenchRatios(out string) string {
	ns := map[string]float64{}
	for _, m := range benchLine.FindAllStringSubmatch(out, -1) {
		if v, err := strconv.ParseFloat(m[2], 64); err == nil {
			ns[m[1]] = v
		}
	}
	var b strings.Builder
	b.WriteString("Ratios to decoding the same bodies:\n\n")
	b.WriteString("| data source | datapoints | include_datapoints | (Convert−Decode)/Decode | (StateSet−Decode)/Decode |\n|---|---:|---|---:|---:|\n")
	for _, ds := range []struct {
		name, prefix string
		sizes        []int
	}{{"run", "BenchmarkExperimentRun_", []int{10_000, 100_000}}, {"comparison", "BenchmarkRunComparison_", []int{10_000, 50_000}}} {
		for _, n := range ds.sizes {
			for _, inc := range []bool{false, true} {
				sub := fmt.Sprintf("/datapoints=%d/include_datapoints=%t", n, inc)
				dec := ns[ds.prefix+"1Decode"+sub]
				if dec == 0 {
					continue
				}
				r := func(stage string) string {
					v, ok := ns[ds.prefix+stage+sub]
					if !ok {
						return "n/a"
					}
					return fmt.Sprintf("%.2f", (v-dec)/dec)
				}
				fmt.Fprintf(&b, "| %s | %s | %t | %s | %s |\n", ds.name, thousands(n), inc, r("2Convert"), r("3StateSet"))
			}
		}
	}
	return b.String()
}
