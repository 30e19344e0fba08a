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
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
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
	twinSizes                 []int // sizes at which (a), and (a+) up to twinIncludeMax, also run by the twin provider
	twinIncludeMax            int
	twinProvider              string // the twin provider's binary; "" builds it without stateHandoffServer
	goBench                   bool
	results                   string
}

const (
	midThreshold                = 10_000 // runs of this size or more get repsMid timed plans
	bigThreshold                = 50_000 // ... and of this size or more repsBig
	repsSmall, repsMid, repsBig = 5, 3, 2

	runIncludeMax        = 50_000      // include_datapoints = true rows for runs up to this size
	comparisonIncludeMax = 10_000      // ... and for comparisons
	comparisonDecodeMax  = 50_000      // (b) rows for comparisons up to this size
	benchOut             = "bench/out" // ignored by git
)

func main() {
	var o options
	runSizes := flag.String("run-sizes", "1000,10000,50000", "comma-separated run sizes (datapoints) for honeyhive_experiment_run; '' for none")
	comparisonSizes := flag.String("comparison-sizes", "1000,10000,50000,100000",
		"comma-separated run sizes (datapoints, each of the two runs) for honeyhive_run_comparison; '' for none")
	twinSizes := flag.String("twin-sizes", "10000,50000",
		"sizes at which (a), and (a+) up to -twin-include-max, also run with the twin; '' for none")
	flag.IntVar(&o.twinIncludeMax, "twin-include-max", 10_000, "twin (a+) too, at -twin-sizes up to this size")
	flag.StringVar(&o.twinProvider, "twin-provider", "", "time the twins with this provider binary instead of the build "+
		"without stateHandoffServer (-tags nohandoff), to compare two builds (such as before and after a change)")
	flag.BoolVar(&o.goBench, "go-bench", true, "also run the Go benchmarks (decode and conversion)")
	flag.StringVar(&o.results, "results", "bench/RESULTS.md", "committed results file to rewrite ('' to skip)")
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

// repsFor is how many timed plans each configuration of n datapoints gets:
// fewer for the slow big runs.
func repsFor(n int) int {
	switch {
	case n >= bigThreshold:
		return repsBig
	case n >= midThreshold:
		return repsMid
	}
	return repsSmall
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
	outDir, err := filepath.Abs(benchOut)
	if err != nil {
		return err
	}
	binDir := filepath.Join(outDir, "bin")
	directDir, launcherDir := filepath.Join(binDir, "direct"), filepath.Join(binDir, "launcher")
	twinDir := filepath.Join(binDir, "twin")
	workDir := filepath.Join(outDir, "work")
	if err := errors.Join(os.RemoveAll(workDir), os.RemoveAll(binDir)); err != nil {
		return err
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
	} else if len(o.twinSizes) > 0 {
		// The twin is built only when some size asks for it (-twin-sizes '' asks none).
		if err := goBuild(root, twinBin, ".", "-tags", "nohandoff"); err != nil {
			return err
		}
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
	httpSrv := httptest.NewServer(srv)
	defer httpSrv.Close()
	url := httpSrv.URL
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
	}

	start := time.Now()
	var scenarios []*scenario
	measureAll := func(sizes []int, newScenario func(*localhoneyhive.Server, int) (*scenario, error)) error {
		for _, n := range sizes {
			s, err := newScenario(srv, n)
			if err != nil {
				return err
			}
			s.configs = o.twins(n, s.configs)
			logf("%s: body %s, bodies read by the provider %s", s.title(), mib(int64(len(s.body))), mib(int64(s.providerBytes)))
			if err := measure(e, s, filepath.Join(workDir, s.kind, strconv.Itoa(n))); err != nil {
				return err
			}
			scenarios = append(scenarios, s)
			// Keep what is measured so far, in case a bigger size is interrupted.
			partial := render(scenarios, time.Since(start), "", tf)
			if err := os.WriteFile(filepath.Join(outDir, "partial.md"), []byte(partial), 0o644); err != nil {
				return err
			}
		}
		return nil
	}
	if err := measureAll(o.runSizes, runScenario); err != nil {
		return err
	}
	if err := measureAll(o.comparisonSizes, comparisonScenario); err != nil {
		return err
	}
	elapsed := time.Since(start)

	var goBench string
	if o.goBench {
		logf("running the Go benchmarks")
		if goBench, err = runGoBench(root); err != nil {
			return err
		}
	}

	report := render(scenarios, elapsed, goBench, tf)
	fmt.Print(report)
	stamp := time.Now().UTC().Format("20060102T150405Z")
	paths := []string{filepath.Join(outDir, "results-"+stamp+".md"), filepath.Join(outDir, "latest.md")}
	if o.results != "" {
		paths = append(paths, o.results)
	}
	for _, p := range paths {
		if err := os.WriteFile(p, []byte(report), 0o644); err != nil {
			return err
		}
	}
	_ = os.RemoveAll(workDir)
	logf("wrote %s and %s", filepath.Join(outDir, "latest.md"), o.results)
	return nil
}

// twins adds to the configurations of a scenario of n datapoints their
// twins (see twinName) at the sizes of -twin-sizes.
func (o options) twins(n int, cs []config) []config {
	if !slices.Contains(o.twinSizes, n) {
		return cs
	}
	if n <= o.twinIncludeMax {
		return withTwins(cs, keyDefaults, keyInclude)
	}
	return withTwins(cs, keyDefaults)
}

// runScenario stores a run of n datapoints and fetches its summary.
func runScenario(srv *localhoneyhive.Server, n int) (*scenario, error) {
	runID := fmt.Sprintf("bench-run-%d", n)
	srv.PutRun(localhoneyhive.GenerateRun(runID, n, metricsPerRun, 1))
	body, err := get(srv, "/v1/runs/"+runID+"/summary?aggregate_function=average")
	if err != nil {
		return nil, err
	}
	return &scenario{
		kind: "run", datapoints: n, configs: runGate(runID).configs(n <= runIncludeMax, true),
		body: body, providerBytes: len(body),
	}, nil
}

// comparisonScenario stores two runs of n datapoints (the same datapoints,
// other values) and fetches their comparison, and the summaries the provider
// also reads.
func comparisonScenario(srv *localhoneyhive.Server, n int) (*scenario, error) {
	newID, oldID := fmt.Sprintf("bench-new-%d", n), fmt.Sprintf("bench-old-%d", n)
	srv.PutRun(localhoneyhive.GenerateRun(newID, n, metricsPerRun, 2))
	srv.PutRun(localhoneyhive.GenerateRun(oldID, n, metricsPerRun, 1))
	body, err := get(srv, "/v1/runs/"+newID+"/compare/"+oldID+"?aggregate_function=average")
	if err != nil {
		return nil, err
	}
	total := len(body)
	for _, id := range []string{newID, oldID} {
		summary, err := get(srv, "/v1/runs/"+id+"/summary?aggregate_function=average")
		if err != nil {
			return nil, err
		}
		total += len(summary)
	}
	return &scenario{
		kind: "comparison", datapoints: n,
		configs: comparisonGate(newID, oldID).configs(n <= comparisonIncludeMax, n <= comparisonDecodeMax),
		body:    body, providerBytes: total,
	}, nil
}

// get fetches a body from the local server, in process.
func get(srv *localhoneyhive.Server, path string) ([]byte, error) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+srv.APIKey())
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", path, rec.Code)
	}
	return rec.Body.Bytes(), nil
}
