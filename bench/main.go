// Command bench (run by `make bench`) measures what a gate on the
// honeyhive_experiment_run data source adds to `terraform plan`, against the
// same gate written in plain HCL over a summary body saved to disk.
//
// For runs of 100, 1,000, 10,000 and 50,000 datapoints with 5 metrics each,
// served by the local HoneyHive server embedded in this process, it times
// whole `terraform plan` runs of:
//
//	a  the data source, gating with a postcondition on
//	   metrics["accuracy"].aggregate (include_datapoints = true, the default)
//	a0 the same with include_datapoints = false
//	b  jsondecode(file("summary.json")) of the same body, metrics indexed by
//	   name with a for expression, gated by an output precondition
//	c  an empty configuration: Terraform's floor
//
// The provider runs as a real plugin binary (built with go build, found
// through dev_overrides). In the first timed plan of each configuration
// bench/launcher stands in for it: it runs the real binary as its child and
// records the child's getrusage peak RSS when it exits (the maximum over the
// provider processes Terraform starts is reported). That plan is saved with
// -out, and the plan file's size (and uncompressed size: it holds the state
// the data source was read into) is reported as the state bytes.
//
// It prints a table, writes it to bench/out/, and rewrites bench/RESULTS.md.
// Then (unless -go-bench=false) it runs the Go benchmarks of decoding and
// converting a summary and appends their results.
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

const metricsPerRun = 5

type options struct {
	sizes    []int
	reps     int
	repsMid  int // timed plans for runs of midThreshold datapoints or more
	repsBig  int // timed plans for runs of bigThreshold datapoints or more
	goBench  bool
	outDir   string
	results  string
	keepWork bool
}

const (
	midThreshold = 10_000
	bigThreshold = 50_000
)

func main() {
	var o options
	sizes := flag.String("sizes", "100,1000,10000,50000", "comma-separated run sizes (datapoints)")
	flag.IntVar(&o.reps, "reps", 5, "timed plans per configuration")
	flag.IntVar(&o.repsMid, "reps-mid", 3, "timed plans per configuration for runs of 10,000 datapoints or more")
	flag.IntVar(&o.repsBig, "reps-big", 2, "timed plans per configuration for runs of 50,000 datapoints or more")
	flag.BoolVar(&o.goBench, "go-bench", true, "also run the Go benchmarks (decode and conversion)")
	flag.StringVar(&o.outDir, "out", "bench/out", "output directory (ignored by git)")
	flag.StringVar(&o.results, "results", "bench/RESULTS.md", "committed results file to rewrite ('' to skip)")
	flag.BoolVar(&o.keepWork, "keep-work", false, "keep the Terraform working directories")
	flag.Parse()
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 {
			fatalf("bad -sizes entry %q", s)
		}
		o.sizes = append(o.sizes, n)
	}
	if err := run(o); err != nil {
		fatalf("%v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
	os.Exit(1)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%s] "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// config is one Terraform configuration under test.
type config struct {
	key, label string
	provider   bool // uses the honeyhive provider
	hcl        func(runID string) string
}

var configs = []config{
	{"a", "(a) data source, include_datapoints = true", true, func(id string) string { return dataSourceHCL(id, true) }},
	{"a0", "(a0) data source, include_datapoints = false", true, func(id string) string { return dataSourceHCL(id, false) }},
	{"b", "(b) jsondecode(file(...))", false, func(string) string { return jsondecodeHCL }},
	{"c", "(c) empty configuration", false, func(string) string { return "# Empty: Terraform's floor.\n" }},
}

func dataSourceHCL(runID string, include bool) string {
	return `terraform {
  required_providers {
    honeyhive = {
      source = "honeyhiveai/honeyhive"
    }
  }
}

provider "honeyhive" {}

data "honeyhive_experiment_run" "run" {
  run_id             = "` + runID + `"
  include_datapoints = ` + strconv.FormatBool(include) + `

  lifecycle {
    postcondition {
      condition     = self.metrics["accuracy"].aggregate >= 0.5
      error_message = "Accuracy is below 0.5."
    }
  }
}
`
}

const jsondecodeHCL = `locals {
  summary = jsondecode(file("${path.module}/summary.json"))
  metrics = { for m in local.summary.metrics.details : m.metric_name => m }
}

output "accuracy" {
  value = local.metrics["accuracy"].aggregate

  precondition {
    condition     = local.metrics["accuracy"].aggregate >= 0.5
    error_message = "Accuracy is below 0.5."
  }
}
`

// result is what was measured for one configuration at one size.
type result struct {
	times        []time.Duration
	peakRSSKiB   int64 // provider's peak RSS; 0 when no provider ran
	planBytes    int64 // size of the `terraform plan -out` file (a zip)
	planRawBytes int64 // the same, uncompressed
	phases       *phases
}

// phases is where the time of one plan with the provider's debug log went,
// read from that log (see readPhases).
type phases struct {
	plan        time.Duration // the whole logged plan
	fetch       time.Duration // the summary's HTTP exchange, body included
	decode      time.Duration // the rest of fetch_and_decode_ms: decoding the body
	buildState  time.Duration // attribute values and the state's tftypes.Value
	encodeState time.Duration // the msgpack sent to Terraform
}

// Debug log lines of the provider that readPhases reads.
var (
	summaryResponseLine = regexp.MustCompile(`HoneyHive API response: .*url=\S*/(?:summary|result)\b.*`)
	durationField       = regexp.MustCompile(`\bduration_ms=(\d+)`)
	readLine            = regexp.MustCompile(`read HoneyHive experiment run: .*`)
	fetchDecodeField    = regexp.MustCompile(`\bfetch_and_decode_ms=(\d+)`)
	buildStateField     = regexp.MustCompile(`\bbuild_state_ms=(\d+)`)
	encodeLine          = regexp.MustCompile(`encoded data source state for Terraform: .*`)
	encodeField         = regexp.MustCompile(`\bencode_state_ms=(\d+)`)
)

// readPhases reads the provider's phases from a TF_LOG_PROVIDER=DEBUG log.
func readPhases(log []byte, plan time.Duration) (*phases, error) {
	ms := func(line, field *regexp.Regexp, what string) (time.Duration, error) {
		l := line.Find(log)
		if l == nil {
			return 0, fmt.Errorf("the provider log has no %s line", what)
		}
		m := field.FindSubmatch(l)
		if m == nil {
			return 0, fmt.Errorf("the provider's %s line has no duration", what)
		}
		v, err := strconv.Atoi(string(m[1]))
		return time.Duration(v) * time.Millisecond, err
	}
	p := &phases{plan: plan}
	var fetchDecode time.Duration
	var err error
	if p.fetch, err = ms(summaryResponseLine, durationField, "summary response"); err != nil {
		return nil, err
	}
	if fetchDecode, err = ms(readLine, fetchDecodeField, "read"); err != nil {
		return nil, err
	}
	if p.buildState, err = ms(readLine, buildStateField, "read"); err != nil {
		return nil, err
	}
	if p.encodeState, err = ms(encodeLine, encodeField, "state encoding"); err != nil {
		return nil, err
	}
	p.decode = max(fetchDecode-p.fetch, 0)
	return p, nil
}

type sizeResult struct {
	datapoints int
	bodyBytes  int
	reps       int
	byConfig   map[string]*result
}

func run(o options) error {
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return errors.New("run from the repository root (make bench does)")
	}
	tf, err := exec.LookPath("terraform")
	if err != nil {
		return errors.New("no terraform on PATH: run through scripts/tf-env.sh (make bench does)")
	}
	outDir, err := filepath.Abs(o.outDir)
	if err != nil {
		return err
	}
	binDir := filepath.Join(outDir, "bin")
	directDir := filepath.Join(binDir, "direct")
	launcherDir := filepath.Join(binDir, "launcher")
	workDir := filepath.Join(outDir, "work")
	if err := os.RemoveAll(workDir); err != nil {
		return err
	}
	for _, d := range []string{directDir, launcherDir, workDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}

	logf("building the provider and the launcher")
	providerBin := filepath.Join(directDir, "terraform-provider-honeyhive")
	if err := goBuild(root, providerBin, "."); err != nil {
		return err
	}
	if err := goBuild(root, filepath.Join(launcherDir, "terraform-provider-honeyhive"), "./bench/launcher"); err != nil {
		return err
	}
	directRC, launcherRC := filepath.Join(binDir, "direct.tfrc"), filepath.Join(binDir, "launcher.tfrc")
	for rc, dir := range map[string]string{directRC: directDir, launcherRC: launcherDir} {
		body := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"registry.terraform.io/honeyhiveai/honeyhive\" = %q\n  }\n  direct {}\n}\n", dir)
		if err := os.WriteFile(rc, []byte(body), 0o644); err != nil {
			return err
		}
	}

	srv := localhoneyhive.New(localhoneyhive.WithoutFixtures())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	httpSrv := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = httpSrv.Serve(ln) }()
	defer httpSrv.Close()
	url := "http://" + ln.Addr().String()
	logf("local HoneyHive server on %s", url)

	baseEnv := append(os.Environ(), "HH_API_URL="+url, "HH_API_KEY="+srv.APIKey(), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	directEnv := append(slices.Clone(baseEnv), "TF_CLI_CONFIG_FILE="+directRC)

	start := time.Now()
	var results []sizeResult
	for _, n := range o.sizes {
		runID := fmt.Sprintf("bench-%d", n)
		srv.PutRun(localhoneyhive.GenerateRun(runID, n, metricsPerRun, 1))
		body, err := fetchSummary(url, srv.APIKey(), runID)
		if err != nil {
			return err
		}
		reps := o.reps
		switch {
		case n >= bigThreshold:
			reps = o.repsBig
		case n >= midThreshold:
			reps = o.repsMid
		}
		reps = max(reps, 1)
		sr := sizeResult{datapoints: n, bodyBytes: len(body), reps: reps, byConfig: map[string]*result{}}
		logf("%d datapoints: summary body %s", n, mib(int64(len(body))))

		dirs := map[string]string{}
		for _, c := range configs {
			dir := filepath.Join(workDir, strconv.Itoa(n), c.key)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(c.hcl(runID)), 0o644); err != nil {
				return err
			}
			if c.key == "b" {
				if err := os.WriteFile(filepath.Join(dir, "summary.json"), body, 0o644); err != nil {
					return err
				}
			}
			dirs[c.key] = dir
			sr.byConfig[c.key] = &result{}
		}

		// Runs below 10,000 datapoints take well under a second: one untimed
		// plan each first warms caches. Bigger ones are not worth the wait.
		if n < midThreshold {
			for _, c := range configs {
				if _, err := terraform(tf, dirs[c.key], directEnv, "plan", "-input=false", "-no-color", "-lock=false"); err != nil {
					return fmt.Errorf("%d datapoints, %s: warm-up plan: %w", n, c.label, err)
				}
			}
		}

		// Timed plans, round-robin so that drift hits every configuration
		// alike. The first round runs the provider through bench/launcher,
		// which records its peak RSS, and writes the plan file whose size is
		// reported; the launcher costs one fork and exec per provider start.
		for i := 0; i < reps; i++ {
			for _, c := range configs {
				r := sr.byConfig[c.key]
				env := directEnv
				args := []string{"plan", "-input=false", "-no-color", "-lock=false"}
				rssFile := filepath.Join(dirs[c.key], "provider-rss.txt")
				planFile := filepath.Join(dirs[c.key], "bench.tfplan")
				if i == 0 {
					args = append(args, "-out="+planFile)
					if c.provider {
						env = append(slices.Clone(baseEnv), "TF_CLI_CONFIG_FILE="+launcherRC,
							"BENCH_REAL_PROVIDER="+providerBin, "BENCH_RSS_FILE="+rssFile)
					}
				}
				d, err := terraform(tf, dirs[c.key], env, args...)
				if err != nil {
					return fmt.Errorf("%d datapoints, %s: plan: %w", n, c.label, err)
				}
				r.times = append(r.times, d)
				if i > 0 {
					continue
				}
				if r.planBytes, r.planRawBytes, err = planSizes(planFile); err != nil {
					return fmt.Errorf("%d datapoints, %s: plan file: %w", n, c.label, err)
				}
				if c.provider {
					if r.peakRSSKiB, err = maxLine(rssFile); err != nil {
						return fmt.Errorf("%d datapoints, %s: provider peak memory: %w", n, c.label, err)
					}
				}
				_ = os.Remove(planFile)
			}
			logf("%d datapoints: round %d/%d done", n, i+1, reps)
		}
		// One more plan of each provider configuration with the provider's
		// debug log, which says how long its own steps took.
		for _, c := range configs {
			if !c.provider {
				continue
			}
			logPath := filepath.Join(dirs[c.key], "provider-debug.log")
			_ = os.Remove(logPath)
			env := append(slices.Clone(directEnv), "TF_LOG_PROVIDER=DEBUG", "TF_LOG_PATH="+logPath)
			d, err := terraform(tf, dirs[c.key], env, "plan", "-input=false", "-no-color", "-lock=false")
			if err != nil {
				return fmt.Errorf("%d datapoints, %s: logged plan: %w", n, c.label, err)
			}
			log, err := os.ReadFile(logPath)
			if err != nil {
				return err
			}
			if sr.byConfig[c.key].phases, err = readPhases(log, d); err != nil {
				return fmt.Errorf("%d datapoints, %s: %w", n, c.label, err)
			}
		}
		results = append(results, sr)
		// Keep what is measured so far, in case a bigger size is interrupted.
		partial := render(o, results, time.Since(start), "", tf)
		if err := os.WriteFile(filepath.Join(outDir, "partial.md"), []byte(partial), 0o644); err != nil {
			return err
		}
	}
	elapsed := time.Since(start)

	var goBench string
	if o.goBench {
		logf("running the Go benchmarks")
		if goBench, err = runGoBench(root); err != nil {
			return err
		}
	}

	report := render(o, results, elapsed, goBench, tf)
	fmt.Print(report)
	stamp := time.Now().UTC().Format("20060102T150405Z")
	for _, p := range []string{filepath.Join(outDir, "results-"+stamp+".md"), filepath.Join(outDir, "latest.md")} {
		if err := os.WriteFile(p, []byte(report), 0o644); err != nil {
			return err
		}
	}
	if o.results != "" {
		if err := os.WriteFile(o.results, []byte(report), 0o644); err != nil {
			return err
		}
	}
	if !o.keepWork {
		_ = os.RemoveAll(workDir)
	}
	logf("wrote %s and %s", filepath.Join(o.outDir, "latest.md"), o.results)
	return nil
}

func goBuild(root, out, pkg string) error {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir, cmd.Stdout, cmd.Stderr = root, os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s: %w", pkg, err)
	}
	return nil
}

func fetchSummary(url, key, runID string) ([]byte, error) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet,
		url+"/v1/runs/"+runID+"/summary?aggregate_function=average", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("summary of %s: status %d", runID, resp.StatusCode)
	}
	return body, nil
}

// terraform runs one command in dir and returns its wall-clock time.
func terraform(tf, dir string, env []string, args ...string) (time.Duration, error) {
	var out bytes.Buffer
	cmd := exec.Command(tf, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, &out, &out
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		tail := out.String()
		if len(tail) > 4000 {
			tail = tail[len(tail)-4000:]
		}
		return d, fmt.Errorf("%w\n%s", err, tail)
	}
	return d, nil
}

// planSizes returns a saved plan's size on disk and the total size of the
// files in it (a plan file is a zip holding the plan and the state the data
// sources were read into).
func planSizes(path string) (onDisk, raw int64, err error) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, 0, err
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, 0, err
	}
	defer zr.Close()
	for _, f := range zr.File {
		raw += int64(f.UncompressedSize64)
	}
	return st.Size(), raw, nil
}

func maxLine(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var best int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		v, err := strconv.ParseInt(strings.TrimSpace(sc.Text()), 10, 64)
		if err == nil && v > best {
			best = v
		}
	}
	if best == 0 {
		return 0, errors.New("the launcher recorded nothing")
	}
	return best, sc.Err()
}

func runGoBench(root string) (string, error) {
	var out bytes.Buffer
	runs := [][]string{
		{"./internal/models/", "DecodeExperimentResultSummary", "5x"},
		{"./internal/provider/", "ExperimentRun_(1Decode|2Convert|ConvertOnly)", "3x"},
		// Set and encode the state: tens of seconds per iteration at 100,000.
		// BenchmarkExperimentRun_4Msgpack (StateSet plus the msgpack encoding)
		// is left out to keep `make bench` under 15 minutes; run it by hand.
		{"./internal/provider/", "ExperimentRun_3StateSet", "1x"},
		// What formatting one number costs, per number in state.
		{"./internal/provider/", "NumberText", "1s"},
	}
	for _, r := range runs {
		cmd := exec.Command("go", "test", "-run", "^$", "-bench", r[1], "-benchmem", "-benchtime", r[2], "-timeout", "30m", r[0])
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "TF_ACC=1")
		cmd.Stdout, cmd.Stderr = &out, os.Stderr
		if err := cmd.Run(); err != nil {
			return out.String(), fmt.Errorf("go test -bench %s %s: %w", r[1], r[0], err)
		}
	}
	var lines []string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(l, "Benchmark") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n"), nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()) }

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func render(o options, results []sizeResult, elapsed time.Duration, goBench, tf string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Benchmark results\n\n")
	fmt.Fprintf(&b, "Written by `make bench` (bench/main.go) on %s; the Terraform part took %s.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), elapsed.Round(time.Second))
	fmt.Fprintf(&b, "## Machine\n\n%s\n", machine(tf))
	fmt.Fprintf(&b, "## Whole `terraform plan` runs\n\n")
	fmt.Fprintf(&b, "Runs of N datapoints with %d metrics each, served by the embedded local server. "+
		"Times are wall-clock seconds of whole `terraform plan` runs, median and min–max over n runs (%d below "+
		"%d datapoints, after one untimed warm-up plan; %d from %d; %d from %d). The first timed plan of each "+
		"configuration runs the provider through bench/launcher, which records the real provider binary's peak RSS "+
		"(getrusage of its child, maximum over the provider processes Terraform starts), and saves the plan with "+
		"`-out`: plan bytes are that file's size (a zip) and, in brackets, the total of its uncompressed contents, "+
		"which hold the state the data source was read into.\n\n",
		metricsPerRun, o.reps, midThreshold, o.repsMid, midThreshold, o.repsBig, bigThreshold)
	b.WriteString("| datapoints | body | configuration | n | median s | min–max s | provider peak RSS | plan bytes (uncompressed) |\n")
	b.WriteString("|---:|---:|---|---:|---:|---:|---:|---:|\n")
	for _, sr := range results {
		for _, c := range configs {
			r := sr.byConfig[c.key]
			s := slices.Clone(r.times)
			slices.Sort(s)
			rss := "–"
			if c.provider {
				rss = mib(r.peakRSSKiB * 1024)
			}
			fmt.Fprintf(&b, "| %d | %s | %s | %d | %s | %s–%s | %s | %d (%d) |\n", sr.datapoints, mib(int64(sr.bodyBytes)),
				c.label, len(s), secs(median(r.times)), secs(s[0]), secs(s[len(s)-1]), rss, r.planBytes, r.planRawBytes)
		}
	}
	b.WriteString("\n## Ratios (medians of the same run)\n\n")
	b.WriteString("Targets: (a)/(b) ≤ 1.0 from 10,000 datapoints; (a0)/(b) ≤ 0.25 at 10,000 and 50,000; " +
		"provider peak RSS ≤ 4 × body + 64 MiB at 50,000.\n\n")
	b.WriteString("| datapoints | (a)/(b) | (a−c)/(b−c) | (a0)/(b) | (a0−c)/(b−c) | RSS limit 4×body+64 MiB | (a) RSS | (a0) RSS |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, sr := range results {
		a, a0 := median(sr.byConfig["a"].times), median(sr.byConfig["a0"].times)
		bb, c := median(sr.byConfig["b"].times), median(sr.byConfig["c"].times)
		limit := int64(4*sr.bodyBytes) + 64<<20
		mark := func(kib int64) string {
			v := mib(kib * 1024)
			if kib*1024 <= limit {
				return v + " ✓"
			}
			return v + " ✗"
		}
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s | %s | %s |\n", sr.datapoints,
			ratio(a, bb), ratio(a-c, bb-c), ratio(a0, bb), ratio(a0-c, bb-c), mib(limit),
			mark(sr.byConfig["a"].peakRSSKiB), mark(sr.byConfig["a0"].peakRSSKiB))
	}
	b.WriteString("\n## Where the time goes\n\n")
	b.WriteString("One more plan of each data source configuration, with the provider's debug log " +
		"(`TF_LOG_PROVIDER=DEBUG`), which records how long the provider's own steps took: the summary's HTTP " +
		"exchange (body included), decoding it, building the state's values, and encoding them for Terraform. " +
		"The rest of the plan, above Terraform's floor (c), is Terraform's: starting the provider, decoding " +
		"the state it receives, storing it (twice: refreshed and working state) and evaluating the conditions.\n\n")
	b.WriteString("| datapoints | configuration | logged plan s | (c) floor s | fetch s | decode s | build state s | encode s | Terraform and the rest s | fetch + decode, share of plan − (c) |\n")
	b.WriteString("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, sr := range results {
		c := median(sr.byConfig["c"].times)
		for _, cfg := range configs {
			p := sr.byConfig[cfg.key].phases
			if p == nil {
				continue
			}
			provider := p.fetch + p.decode + p.buildState + p.encodeState
			above := p.plan - c
			share := "n/a"
			if above > 0 {
				share = fmt.Sprintf("%.0f%%", 100*float64(p.fetch+p.decode)/float64(above))
			}
			fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", sr.datapoints, cfg.label,
				secs(p.plan), secs(c), secs(p.fetch), secs(p.decode), secs(p.buildState), secs(p.encodeState),
				secs(max(above-provider, 0)), share)
		}
	}
	if goBench != "" {
		b.WriteString("\n## Go benchmarks\n\n")
		b.WriteString("`go test -bench` (decode: models.DecodeExperimentResultSummary, in the provider as Read " +
			"does it, without the datapoints' contents when they are not included; Convert = decode + " +
			"setExperimentRun; ConvertOnly = setExperimentRun on a decoded summary; StateSet = Convert + " +
			"setStateDirect, the state's tftypes.Value; StateSetFramework = the same through the framework's " +
			"tfsdk.State.Set, for comparison; Msgpack = StateSet + the msgpack sent to Terraform; NumberText = " +
			"formatting one number as the msgpack encoder and Terraform's state writer do). Fewer iterations " +
			"for the slow stages (see bench/main.go).\n\n```\n")
		b.WriteString(goBench)
		b.WriteString("\n```\n\n")
		b.WriteString(goBenchRatios(goBench))
	}
	return b.String()
}

func ratio(x, y time.Duration) string {
	if y <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", float64(x)/float64(y))
}

// goBenchRatios sets each provider stage against the decode of the same body.
func goBenchRatios(out string) string {
	ns := map[string]float64{}
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		for i := 1; i+1 < len(f); i++ {
			if f[i+1] == "ns/op" {
				name := f[0]
				if j := strings.LastIndex(name, "-"); j > 0 {
					name = name[:j] // drop -GOMAXPROCS
				}
				if v, err := strconv.ParseFloat(f[i], 64); err == nil {
					ns[name] = v
				}
			}
		}
	}
	var b strings.Builder
	b.WriteString("Ratios to decoding the same body (target: conversion ≤ 3 × decode):\n\n")
	b.WriteString("| datapoints | include_datapoints | ConvertOnly/Decode | (StateSet−Decode)/Decode | (Msgpack−Decode)/Decode |\n|---:|---|---:|---:|---:|\n")
	for _, n := range []int{10_000, 100_000} {
		for _, inc := range []bool{true, false} {
			sub := fmt.Sprintf("/datapoints=%d/include_datapoints=%t", n, inc)
			dec := ns["BenchmarkExperimentRun_1Decode"+sub]
			if dec == 0 {
				continue
			}
			r := func(stage string, minusDecode bool) string {
				v, ok := ns["BenchmarkExperimentRun_"+stage+sub]
				if !ok {
					return "n/a"
				}
				if minusDecode {
					v -= dec
				}
				return fmt.Sprintf("%.2f", v/dec)
			}
			fmt.Fprintf(&b, "| %d | %t | %s | %s | %s |\n", n, inc, r("ConvertOnly", false), r("3StateSet", true), r("4Msgpack", true))
		}
	}
	return b.String()
}

func machine(tf string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "- nproc: %d (GOOS/GOARCH %s/%s, %s)\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "MemTotal:") {
				f := strings.Fields(l)
				if len(f) >= 2 {
					if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
						fmt.Fprintf(&b, "- memory: %.1f GiB\n", float64(kb)/(1<<20))
					}
				}
			}
		}
	}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "model name") {
				if _, v, ok := strings.Cut(l, ":"); ok {
					fmt.Fprintf(&b, "- CPU: %s\n", strings.TrimSpace(v))
				}
				break
			}
		}
	}
	if out, err := exec.Command(tf, "version").Output(); err == nil {
		fmt.Fprintf(&b, "- Terraform: %s\n", strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0]))
	}
	return b.String()
}
