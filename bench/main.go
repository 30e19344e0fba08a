// Command bench (run by `make bench`) measures what a gate on the
// honeyhive_experiment_run and honeyhive_run_comparison data sources costs
// in `terraform plan`, against the same gate written in plain HCL over the
// body saved to disk.
//
// For runs of 1,000 to 50,000 datapoints (comparisons: two runs of that many,
// and one of 100,000) with 5 metrics each, served by the local HoneyHive
// server embedded in this process, it times whole `terraform plan` runs of:
//
//	a   the data source with its defaults (include_datapoints = false),
//	    gating with a postcondition on metrics["accuracy"].aggregate, or on
//	    metric_deltas["accuracy"].difference for a comparison
//	a+  the same with include_datapoints = true
//	b   jsondecode(file(...)) of the summary, or of the comparison body, with
//	    metrics indexed by name in a for expression, gated by an output
//	    precondition: what users write without the provider
//	c   an empty configuration: Terraform's floor
//
// The provider runs as a real plugin binary (built with go build, found
// through dev_overrides). In the first timed plan of each configuration
// bench/launcher stands in for it: it runs the real binary as its child and
// records the child's peak RSS from getrusage when it exits (the maximum over
// the provider processes Terraform starts is reported). That plan is saved
// with -out, and the size of the state in it is reported. One more plan of
// each provider configuration runs with the provider's debug log, which says
// where the provider's time went.
//
// It prints a table, writes it to bench/out/, and rewrites bench/RESULTS.md.
// Then (unless -go-bench=false) it runs the Go benchmarks of decoding and
// converting the bodies and appends their results. The files of this command:
// configs.go (the configurations), plans.go (running and measuring plans),
// phases.go (the debug log), render.go (the report), gobench.go (the Go
// benchmarks).
package main

import (
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
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

type options struct {
	runSizes, comparisonSizes []int
	runIncludeMax             int   // include_datapoints = true rows for runs up to this size
	comparisonIncludeMax      int   // ... and for comparisons
	comparisonDecodeMax       int   // (b) rows for comparisons up to this size
	twinSizes                 []int // sizes at which (a), and (a+) up to twinIncludeMax, also run by the twin provider
	twinIncludeMax            int
	twinProvider              string // the twin provider's binary; "" for no twins
	reps, repsMid, repsBig    int
	goBench                   bool
	outDir, results           string
	keepWork                  bool
}

const (
	midThreshold = 10_000 // runs of this size or more get repsMid timed plans
	bigThreshold = 50_000 // ... and of this size or more repsBig
)

func main() {
	var o options
	runSizes := flag.String("run-sizes", "1000,10000,50000", "comma-separated run sizes (datapoints) for honeyhive_experiment_run; '' for none")
	comparisonSizes := flag.String("comparison-sizes", "1000,10000,50000,100000",
		"comma-separated run sizes (datapoints, each of the two runs) for honeyhive_run_comparison; '' for none")
	flag.IntVar(&o.runIncludeMax, "run-include-max", 50_000, "time include_datapoints = true for runs up to this size")
	flag.IntVar(&o.comparisonIncludeMax, "comparison-include-max", 10_000, "time include_datapoints = true for comparisons up to this size")
	flag.IntVar(&o.comparisonDecodeMax, "comparison-decode-max", 50_000, "time (b) for comparisons up to this size")
	twinSizes := flag.String("twin-sizes", "10000,50000",
		"with -twin-provider, sizes at which (a), and (a+) up to -twin-include-max, also run with the twin; '' for none")
	flag.IntVar(&o.twinIncludeMax, "twin-include-max", 10_000, "twin (a+) too, at -twin-sizes up to this size")
	flag.StringVar(&o.twinProvider, "twin-provider", "", "also time plans with this provider binary, in the same rounds, "+
		"to compare two builds (such as before and after a change)")
	flag.IntVar(&o.reps, "reps", 5, "timed plans per configuration")
	flag.IntVar(&o.repsMid, "reps-mid", 3, "timed plans per configuration from 10,000 datapoints")
	flag.IntVar(&o.repsBig, "reps-big", 2, "timed plans per configuration from 50,000 datapoints")
	flag.BoolVar(&o.goBench, "go-bench", true, "also run the Go benchmarks (decode and conversion)")
	flag.StringVar(&o.outDir, "out", "bench/out", "output directory (ignored by git)")
	flag.StringVar(&o.results, "results", "bench/RESULTS.md", "committed results file to rewrite ('' to skip)")
	flag.BoolVar(&o.keepWork, "keep-work", false, "keep the Terraform working directories")
	flag.Parse()
	var err error
	if o.runSizes, err = parseSizes(*runSizes); err != nil {
		fatalf("-run-sizes: %v", err)
	}
	if o.comparisonSizes, err = parseSizes(*comparisonSizes); err != nil {
		fatalf("-comparison-sizes: %v", err)
	}
	if o.twinSizes, err = parseSizes(*twinSizes); err != nil {
		fatalf("-twin-sizes: %v", err)
	}
	if err := run(o); err != nil {
		fatalf("%v", err)
	}
}

func parseSizes(list string) ([]int, error) {
	var sizes []int
	for s := range strings.SplitSeq(list, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad size %q", s)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
	os.Exit(1)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%s] "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

func (o options) repsFor(n int) int {
	switch {
	case n >= bigThreshold:
		return max(o.repsBig, 1)
	case n >= midThreshold:
		return max(o.repsMid, 1)
	}
	return max(o.reps, 1)
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
	directDir, launcherDir := filepath.Join(binDir, "direct"), filepath.Join(binDir, "launcher")
	twinDir := filepath.Join(binDir, "twin")
	workDir := filepath.Join(outDir, "work")
	for _, d := range []string{workDir, binDir} {
		if err := os.RemoveAll(d); err != nil {
			return err
		}
	}
	for _, d := range []string{directDir, launcherDir, twinDir, workDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}

	logf("building the provider and the launcher")
	providerBin := filepath.Join(directDir, "terraform-provider-honeyhive")
	twinBin := filepath.Join(twinDir, "terraform-provider-honeyhive")
	if err := goBuild(root, providerBin, "."); err != nil {
		return err
	}
	if o.twinProvider != "" {
		twin, err := filepath.Abs(o.twinProvider)
		if err != nil {
			return err
		}
		if err := os.Symlink(twin, twinBin); err != nil {
			return err
		}
		twinName = "with " + o.twinProvider
	}
	if err := goBuild(root, filepath.Join(launcherDir, "terraform-provider-honeyhive"), "./bench/launcher"); err != nil {
		return err
	}
	directRC, launcherRC := filepath.Join(binDir, "direct.tfrc"), filepath.Join(binDir, "launcher.tfrc")
	twinRC := filepath.Join(binDir, "twin.tfrc")
	for rc, dir := range map[string]string{directRC: directDir, launcherRC: launcherDir, twinRC: twinDir} {
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
	e := env{
		tf: tf,
		direct: func(twin bool) []string {
			rc := directRC
			if twin {
				rc = twinRC
			}
			return append(slices.Clone(baseEnv), "TF_CLI_CONFIG_FILE="+rc)
		},
		launcher: func(twin bool, rssFile string) []string {
			bin := providerBin
			if twin {
				bin = twinBin
			}
			return append(slices.Clone(baseEnv), "TF_CLI_CONFIG_FILE="+launcherRC,
				"BENCH_REAL_PROVIDER="+bin, "BENCH_RSS_FILE="+rssFile)
		},
		warmUpBelow: midThreshold,
		logPhases:   true,
	}
	fetch := func(path string) ([]byte, error) { return get(url+path, srv.APIKey()) }

	start := time.Now()
	var scenarios []*scenario
	keep := func(s *scenario) error {
		scenarios = append(scenarios, s)
		// Keep what is measured so far, in case a bigger size is interrupted.
		partial := render(o, scenarios, time.Since(start), "", tf)
		return os.WriteFile(filepath.Join(outDir, "partial.md"), []byte(partial), 0o644)
	}
	for _, n := range o.runSizes {
		s, err := runScenario(o, srv, fetch, n)
		if err != nil {
			return err
		}
		logf("%s: summary body %s", s.title(), mib(int64(len(s.body))))
		if err := measure(e, s, filepath.Join(workDir, "run", strconv.Itoa(n))); err != nil {
			return err
		}
		if err := keep(s); err != nil {
			return err
		}
	}
	for _, n := range o.comparisonSizes {
		s, err := comparisonScenario(o, srv, fetch, n)
		if err != nil {
			return err
		}
		logf("%s: comparison body %s, bodies read by the provider %s", s.title(), mib(int64(len(s.body))), mib(int64(s.providerBytes)))
		if err := measure(e, s, filepath.Join(workDir, "comparison", strconv.Itoa(n))); err != nil {
			return err
		}
		if err := keep(s); err != nil {
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

	report := render(o, scenarios, elapsed, goBench, tf)
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

// twins adds to the configurations of a scenario of n datapoints their
// twins (see twinName), where -twin-provider and -twin-sizes ask for them.
func (o options) twins(n int, cs []config) []config {
	if o.twinProvider == "" || !slices.Contains(o.twinSizes, n) {
		return cs
	}
	if n <= o.twinIncludeMax {
		return withTwins(cs, keyDefaults, keyInclude)
	}
	return withTwins(cs, keyDefaults)
}

// runScenario stores a run of n datapoints and fetches its summary.
func runScenario(o options, srv *localhoneyhive.Server, fetch func(string) ([]byte, error), n int) (*scenario, error) {
	runID := fmt.Sprintf("bench-run-%d", n)
	srv.PutRun(localhoneyhive.GenerateRun(runID, n, metricsPerRun, 1))
	body, err := fetch("/v1/runs/" + runID + "/summary?aggregate_function=average")
	if err != nil {
		return nil, err
	}
	return &scenario{
		kind: "run", datapoints: n, configs: o.twins(n, runConfigs(runID, n <= o.runIncludeMax)),
		bodyFile: "summary.json", body: body, providerBytes: len(body), reps: o.repsFor(n),
	}, nil
}

// comparisonScenario stores two runs of n datapoints (the same datapoints,
// other values) and fetches their comparison, and the summaries the provider
// also reads.
func comparisonScenario(o options, srv *localhoneyhive.Server, fetch func(string) ([]byte, error), n int) (*scenario, error) {
	newID, oldID := fmt.Sprintf("bench-new-%d", n), fmt.Sprintf("bench-old-%d", n)
	srv.PutRun(localhoneyhive.GenerateRun(newID, n, metricsPerRun, 2))
	srv.PutRun(localhoneyhive.GenerateRun(oldID, n, metricsPerRun, 1))
	body, err := fetch("/v1/runs/" + newID + "/compare/" + oldID + "?aggregate_function=average")
	if err != nil {
		return nil, err
	}
	total := len(body)
	for _, id := range []string{newID, oldID} {
		summary, err := fetch("/v1/runs/" + id + "/summary?aggregate_function=average")
		if err != nil {
			return nil, err
		}
		total += len(summary)
	}
	return &scenario{
		kind: "comparison", datapoints: n,
		configs:  o.twins(n, comparisonConfigs(newID, oldID, n <= o.comparisonIncludeMax, n <= o.comparisonDecodeMax)),
		bodyFile: "comparison.json", body: body, providerBytes: total, reps: o.repsFor(n),
	}, nil
}

// get fetches a body from the local server.
func get(url, key string) ([]byte, error) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
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
		return nil, fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
	return body, nil
}
