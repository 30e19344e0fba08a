package repocheck

import (
	"bytes"
	"encoding/xml"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// The CI gate examples (examples/ci) run as a CI job runs them: the CLI
// installs the provider with `init` and plans, or tests, the example folder
// against a HoneyHive-compatible server, with the key in the environment.
//
// The provider is a real plugin binary, installed by `init` from a filesystem
// mirror. Neither alternative runs the examples as CI does: with a
// dev_overrides CLI config `terraform init` fails (it still asks the registry
// for the overridden provider), and a provider served in-process through
// TF_REATTACH_PROVIDERS reads the test's environment rather than the one the
// job's script gives the CLI, where the key comes from.

// pinnedBaseline is the baseline run ID the CI examples pin in variables.tf;
// the test server serves the fixture baseline under it.
const pinnedBaseline = "3c9e6f2a-8d41-4b7e-9f0c-2a5d7e1b4c60"

// ciKey is the read-only key the CI jobs read from their secrets. The runs
// below check it never reaches their output.
const ciKey = "hh_ro_CIcanary_5d0c1f7e3a92b84e"

// ciDataPlaneKey is the data-plane key of the CI cases that read the
// project routes; it must never be printed either.
const ciDataPlaneKey = "hh_fgdp_CIcanary_0b7e25d1c4a9"

// runSlow is a candidate built by the tests: relevance better than the
// baseline's on every datapoint, latency far worse.
const runSlow = "run-slow"

// ciEnv is the machinery shared by the CI gate tests: the CLI under test, a
// CLI configuration that installs the provider from a local mirror, and a
// local HoneyHive server.
type ciEnv struct {
	cli       cliVersion
	cliConfig string
	serverURL string
}

// cliVersion is what `<cli> version` reports.
type cliVersion struct {
	path         string
	tofu         bool // OpenTofu rather than Terraform
	major, minor int
	text         string // e.g. "Terraform v1.11.4"
}

func (v cliVersion) atLeast(major, minor int) bool {
	return v.major > major || v.major == major && v.minor >= minor
}

func newCIEnv(t *testing.T) *ciEnv {
	t.Helper()
	cli := readCLIVersion(t, terraformPath(t))
	mirror := t.TempDir()
	buildProviderMirror(t, mirror)
	cliConfig := filepath.Join(t.TempDir(), "cli.tfrc")
	writeFile(t, cliConfig, "provider_installation {\n  filesystem_mirror {\n    path = \""+mirror+"\"\n  }\n}\n")

	srv := localhoneyhive.New(localhoneyhive.WithAPIKey(ciKey), localhoneyhive.WithDataPlaneAPIKey(ciDataPlaneKey))
	addSlowRun(srv)
	// The examples pin a real-looking baseline ID: answer for it with the
	// fixture baseline, under the pinned ID (the provider refuses a body that
	// names another run than the one asked for).
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.URL.Path = strings.ReplaceAll(r.URL.Path, pinnedBaseline, localhoneyhive.FixtureBaseline)
		r.URL.RawPath = ""
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, r)
		body := bytes.ReplaceAll(rec.Body.Bytes(), []byte(`"run_id":"`+localhoneyhive.FixtureBaseline+`"`),
			[]byte(`"run_id":"`+pinnedBaseline+`"`))
		for key, values := range rec.Header() {
			if key != "Content-Length" {
				w.Header()[key] = values
			}
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	}))
	t.Cleanup(ts.Close)

	for _, f := range []string{"gate/variables.tf", "gate-test/variables.tf", "release-gate/variables.tf"} {
		if !strings.Contains(readFile(t, ciExample(f)), pinnedBaseline) {
			t.Fatalf("examples/ci/%s does not pin %s any more: update pinnedBaseline", f, pinnedBaseline)
		}
	}
	return &ciEnv{cli: cli, cliConfig: cliConfig, serverURL: ts.URL}
}

func readCLIVersion(t *testing.T, path string) cliVersion {
	t.Helper()
	cmd := exec.Command(path, "version")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE=/dev/null")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s version: %v", path, err)
	}
	first, _, _ := strings.Cut(string(out), "\n")
	m := regexp.MustCompile(`^(Terraform|OpenTofu) v(\d+)\.(\d+)\.`).FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("%s version: unexpected first line %q", path, first)
	}
	major, _ := strconv.Atoi(m[2])
	minor, _ := strconv.Atoi(m[3])
	return cliVersion{path: path, tofu: m[1] == "OpenTofu", major: major, minor: minor, text: strings.TrimSpace(first)}
}

// buildProviderMirror builds the provider into an unpacked filesystem mirror
// under both CLIs' default registry hosts: a configuration's
// `source = "honeyhiveai/honeyhive"` means registry.terraform.io to
// Terraform and registry.opentofu.org to OpenTofu.
func buildProviderMirror(t *testing.T, mirror string) {
	t.Helper()
	const version = "0.2.0"
	platform := runtime.GOOS + "_" + runtime.GOARCH
	binary := "terraform-provider-honeyhive_v" + version
	var first string
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		dir := filepath.Join(mirror, host, "honeyhiveai", "honeyhive", version, platform)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(dir, binary)
		if first != "" {
			if err := os.Link(first, target); err != nil {
				t.Fatal(err)
			}
			continue
		}
		build := exec.Command("go", "build", "-o", target, ".")
		build.Dir = repoFile()
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("building the provider: %v\n%s", err, out)
		}
		first = target
	}
}

// addSlowRun stores runSlow: the baseline's datapoints with relevance 1 and
// a latency of 2000 ms, 510 to 1180 ms slower than the baseline's.
func addSlowRun(srv *localhoneyhive.Server) {
	run := localhoneyhive.Run{
		ID:     runSlow,
		Status: "completed",
		Metrics: []localhoneyhive.Metric{
			{Name: "relevance", Type: "LLM", EventName: "responder", EventType: "model"},
			{Name: "latency_ms", Type: "PYTHON", EventName: "predictor", EventType: "chain"},
		},
	}
	for i := 1; i <= 8; i++ {
		run.Datapoints = append(run.Datapoints, localhoneyhive.Datapoint{
			ID:     "dp-0" + strconv.Itoa(i),
			Values: []localhoneyhive.Value{localhoneyhive.Number(1), localhoneyhive.Number(2000)},
		})
	}
	srv.PutRun(run)
}

func ciExample(parts ...string) string {
	return repoFile(append([]string{"examples", "ci"}, parts...)...)
}

// copyExample copies examples/ci/<name> into dir/<name>.
func copyExample(t *testing.T, name, dir string) string {
	t.Helper()
	src := ciExample(name)
	dst := filepath.Join(dir, name)
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			if d.Name() == ".terraform" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if strings.HasPrefix(d.Name(), ".terraform") || strings.Contains(d.Name(), ".tfstate") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// environ is the environment a CI job gives the CLI: a classic key and the
// server in HH_PROJECT_API_KEY and HH_DATA_PLANE_URL (cases add a data-plane
// key and project), and the mirror in place of the registry.
func (e *ciEnv) environ(extra ...string) []string {
	return append(os.Environ(), append([]string{
		"TF_CLI_CONFIG_FILE=" + e.cliConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"TF_REATTACH_PROVIDERS=",
		"TF_LOG=",
		"HH_PROJECT_API_KEY=" + ciKey,
		"HH_DATA_PLANE_URL=" + e.serverURL,
	}, extra...)...)
}

var ansiCode = regexp.MustCompile(`\x1b\[[0-9;]*m`)

type cliResult struct {
	stdout, stderr string
	exitCode       int
}

func (r cliResult) output() string { return r.stdout + r.stderr }

// runCommand runs name with args in dir and returns what it printed and its exit
// code; it fails the test only when the command cannot be started.
func runCommand(t *testing.T, dir string, env []string, name string, args ...string) cliResult {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	code := 0
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	res := cliResult{stdout: stdout.String(), stderr: stderr.String(), exitCode: code}
	if strings.Contains(res.output(), ciKey) || strings.Contains(res.output(), ciKey[6:20]) ||
		strings.Contains(res.output(), ciDataPlaneKey[8:]) {
		t.Errorf("%s %s printed the API key", name, strings.Join(args, " "))
	}
	return res
}

// initExample copies an example folder to a fresh directory and runs
// `init` there, as a CI job does before planning.
func (e *ciEnv) initExample(t *testing.T, name string) string {
	t.Helper()
	dir := copyExample(t, name, t.TempDir())
	res := runCommand(t, dir, e.environ(), e.cli.path, "init", "-input=false", "-no-color")
	if res.exitCode != 0 {
		t.Fatalf("%s init in %s failed:\n%s", e.cli.text, name, res.output())
	}
	return dir
}

// wantText fails unless out contains each message, with any run of spaces
// in it possibly a line break (Terraform wraps diagnostics) and, in colored
// output, a color code and the diagnostic's frame.
func wantText(t *testing.T, out string, messages ...string) {
	t.Helper()
	out = strings.ReplaceAll(ansiCode.ReplaceAllString(out, ""), "│", " ")
	for _, m := range messages {
		if !messageLike(m).MatchString(out) {
			t.Errorf("the output lacks %q:\n%s", m, out)
		}
	}
}

// wantGuideQuote checks the output the CI guide quotes (the untagged code
// block of templates/guides/gate-a-pull-request.md.tmpl that starts with
// first) against what the CLI printed: every line of the quote, line numbers
// and Terraform's line wrapping included, is a line of the output, in order.
// The guide quotes Terraform 1.11, whose layout other CLIs need not share.
func (e *ciEnv) wantGuideQuote(t *testing.T, first, output string) {
	t.Helper()
	if e.cli.tofu || !e.cli.atLeast(1, 11) {
		return
	}
	guide := readFile(t, repoFile("templates", "guides", "gate-a-pull-request.md.tmpl"))
	var quote []string
	for _, m := range regexp.MustCompile("(?ms)^```\n(.*?)^```").FindAllStringSubmatch(guide, -1) {
		if strings.HasPrefix(strings.TrimSpace(m[1]), first) {
			quote = strings.Split(strings.TrimRight(m[1], "\n"), "\n")
		}
	}
	if quote == nil {
		t.Fatalf("the CI guide quotes no output starting with %q", first)
	}
	lines := strings.Split(ansiCode.ReplaceAllString(output, ""), "\n")
	at := 0
	for _, want := range quote {
		if strings.TrimSpace(want) == "" {
			continue
		}
		for at < len(lines) && strings.TrimRight(lines[at], " ") != strings.TrimRight(want, " ") {
			at++
		}
		if at == len(lines) {
			t.Errorf("the CI guide quotes the line\n  %s\nwhich %s does not print (in that order):\n%s", want, e.cli.text, output)
			return
		}
		at++
	}
}

// The CI gate examples, run as CI runs them. One provider build serves every
// subtest.
func TestAccCIGate(t *testing.T) {
	t.Parallel()
	e := newCIEnv(t)
	for name, test := range map[string]func(*testing.T, *ciEnv){
		"plan":           testCIPlanGate,
		"terraform test": testCITestGate,
		"GitHub Actions": testCIGitHubGate,
		"GitLab CI":      testCIGitLabGate,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, e)
		})
	}
}

// The plan gate (examples/ci/gate): passes a good candidate with its numbers
// in the plan's output, and fails every broken rule with its own message.
func testCIPlanGate(t *testing.T, e *ciEnv) {
	cases := []struct {
		name      string
		args      []string
		env       []string
		wantFail  bool
		wantTexts []string
		// guideQuote starts the output the guide quotes for this case.
		guideQuote string
	}{
		{
			name:       "a good candidate passes and shows its numbers",
			args:       []string{"-var", "candidate_run_id=" + localhoneyhive.FixtureCandidate},
			guideQuote: "Changes to Outputs:",
			wantTexts: []string{
				`latency_ms = "+50.000 [19.326, 80.674] over 7 pairs, margin 100.000: regressed"`,
				`relevance  = "+0.031 [-0.003, 0.066] over 7 pairs, margin 0.020: inconclusive"`,
			},
		},
		{
			name:       "relevance worse than the margin allows",
			args:       []string{"-var", "candidate_run_id=" + localhoneyhive.FixtureRegressed},
			wantFail:   true,
			guideQuote: "Error: Module output value precondition failed",
			wantTexts: []string{"relevance may be worse than the baseline by more than 0.020: mean paired change -0.031, " +
				"95% interval [-0.040, -0.023] over 8 datapoints."},
		},
		{
			name:     "latency, where lower is better, worse than the margin allows",
			args:     []string{"-var", "candidate_run_id=" + runSlow},
			wantFail: true,
			wantTexts: []string{"latency_ms may be worse than the baseline by more than 100.000: mean paired change +890.000, " +
				"95% interval [697.585, 1082.415] over 8 datapoints."},
		},
		{
			name:     "a tighter margin set on the command line",
			args:     []string{"-var", "candidate_run_id=" + localhoneyhive.FixtureCandidate, "-var", "margins={relevance = 0.02, latency_ms = 50}"},
			wantFail: true,
			wantTexts: []string{"latency_ms may be worse than the baseline by more than 50.000: mean paired change +50.000, " +
				"95% interval [19.326, 80.674] over 7 datapoints."},
		},
		{
			name:     "a failed candidate",
			args:     []string{"-var", "candidate_run_id=" + localhoneyhive.FixtureFailed},
			wantFail: true,
			wantTexts: []string{
				"Both runs must be completed: candidate run-failed is failed, baseline " + pinnedBaseline + " is completed.",
				"Too few paired datapoints (fewer than 5) for latency_ms: 0, relevance: 0.",
			},
		},
		{
			name:      "a gated metric the runs do not have",
			args:      []string{"-var", "candidate_run_id=" + localhoneyhive.FixtureCandidate, "-var", "margins={faithfulness = 0.05}"},
			wantFail:  true,
			wantTexts: []string{"Gated metrics missing from the comparison: faithfulness. Its metrics are: accuracy, relevance, latency_ms."},
		},
		{
			name:      "a candidate that does not finish in time",
			args:      []string{"-var", "candidate_run_id=" + localhoneyhive.FixtureRunning, "-var", "wait_timeout=2s"},
			wantFail:  true,
			wantTexts: []string{`Gave up waiting for run "run-running" to finish after 2s`, `its last status was "running"`},
		},
		{
			// GitHub gives pull requests from forks an empty secret.
			name:      "no key",
			args:      []string{"-var", "candidate_run_id=" + localhoneyhive.FixtureCandidate},
			env:       []string{"HH_PROJECT_API_KEY="},
			wantFail:  true,
			wantTexts: []string{"Missing HoneyHive API key"},
		},
		{
			// The data-plane key alone (the classic one emptied) can read only
			// the project routes: the gate works on them.
			name: "a good candidate read with a data-plane key and project ID",
			args: []string{"-var", "candidate_run_id=" + localhoneyhive.FixtureCandidate},
			env: []string{"HH_PROJECT_API_KEY=", "HH_DATA_PLANE_API_KEY=" + ciDataPlaneKey,
				"HH_PROJECT_ID=" + localhoneyhive.DefaultProjectID},
			wantTexts: []string{`relevance  = "+0.031 [-0.003, 0.066] over 7 pairs, margin 0.020: inconclusive"`},
		},
		{
			// A fork's pull request with the project ID set as a variable but
			// no secrets at all.
			name:      "a project ID but no key",
			args:      []string{"-var", "candidate_run_id=" + localhoneyhive.FixtureCandidate},
			env:       []string{"HH_PROJECT_API_KEY=", "HH_PROJECT_ID=" + localhoneyhive.DefaultProjectID},
			wantFail:  true,
			wantTexts: []string{"Missing HoneyHive API key"},
		},
		{
			name:      "no run ID from the evaluation step",
			args:      []string{"-var", "candidate_run_id="},
			wantFail:  true,
			wantTexts: []string{"candidate_run_id is empty: the evaluation step did not report a run ID."},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := e.initExample(t, "gate")
			res := runCommand(t, dir, e.environ(tc.env...), e.cli.path, append([]string{"plan", "-input=false", "-no-color"}, tc.args...)...)
			if failed := res.exitCode != 0; failed != tc.wantFail {
				t.Fatalf("plan exit code %d, want failure: %v\n%s", res.exitCode, tc.wantFail, res.output())
			}
			wantText(t, res.output(), tc.wantTexts...)
			if tc.guideQuote != "" {
				e.wantGuideQuote(t, tc.guideQuote, res.output())
			}
		})
	}
}

// The gate as a test file (examples/ci/gate-test/tests/gate.tftest.hcl), run
// by `terraform test` / `tofu test` as CI runs it: it passes a good candidate
// and reports each failing assertion with its message.
func testCITestGate(t *testing.T, e *ciEnv) {
	if !e.cli.tofu && !e.cli.atLeast(1, 6) {
		t.Skipf("%s has no .tftest.hcl test files: `terraform test` takes them from Terraform 1.6 on", e.cli.text)
	}
	cases := []struct {
		name       string
		candidate  string
		wantFail   bool
		wantTexts  []string
		guideQuote string // as in testCIPlanGate
	}{
		{
			name:      "a good candidate passes every rule",
			candidate: localhoneyhive.FixtureCandidate,
			wantTexts: []string{`run "runs_completed"... pass`, `run "relevance_not_worse"... pass`, `run "latency_not_worse"... pass`, "3 passed, 0 failed"},
		},
		{
			name:       "relevance worse than the margin allows",
			candidate:  localhoneyhive.FixtureRegressed,
			wantFail:   true,
			guideQuote: `run "relevance_not_worse"... fail`,
			wantTexts: []string{
				`run "relevance_not_worse"... fail`,
				"relevance may be worse than the baseline by more than 0.020: mean paired change -0.031, 95% interval [-0.040, -0.023].",
				`run "latency_not_worse"... pass`,
				"2 passed, 1 failed",
			},
		},
		{
			name:      "latency worse than the margin allows",
			candidate: runSlow,
			wantFail:  true,
			wantTexts: []string{
				`run "relevance_not_worse"... pass`,
				`run "latency_not_worse"... fail`,
				"latency_ms may be worse than the baseline by more than 100.000: mean paired change +890.000, 95% interval [697.585, 1082.415].",
			},
		},
		{
			name:      "a failed candidate fails every rule, without errors",
			candidate: localhoneyhive.FixtureFailed,
			wantFail:  true,
			wantTexts: []string{
				"Candidate run run-failed is failed, not completed.",
				"relevance has 0 paired datapoints, fewer than 5.",
				"relevance may be worse than the baseline by more than 0.020: mean paired change n/a, 95% interval [n/a, n/a].",
				"latency_ms has 0 paired datapoints, fewer than 5.",
				"0 passed, 3 failed",
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := e.initExample(t, "gate-test")
			res := runCommand(t, dir, e.environ(), e.cli.path, "test", "-no-color", "-var", "candidate_run_id="+tc.candidate)
			if failed := res.exitCode != 0; failed != tc.wantFail {
				t.Fatalf("test exit code %d, want failure: %v\n%s", res.exitCode, tc.wantFail, res.output())
			}
			wantText(t, res.output(), tc.wantTexts...)
			if tc.guideQuote != "" {
				e.wantGuideQuote(t, tc.guideQuote, res.output())
			}
			if strings.Contains(res.output(), "Error: Operation failed") || strings.Contains(res.output(), "skip") {
				t.Errorf("an assertion errored instead of failing, or a run was skipped:\n%s", res.output())
			}
		})
	}
}

// junitReport is the part of a JUnit XML report the checks read.
type junitReport struct {
	Suites []struct {
		Name  string `xml:"name,attr"`
		Cases []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
			} `xml:"error"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func readJUnit(t *testing.T, path string) junitReport {
	t.Helper()
	var report junitReport
	if err := xml.Unmarshal([]byte(readFile(t, path)), &report); err != nil {
		t.Fatalf("%s is not JUnit XML: %v", path, err)
	}
	return report
}

// failures maps each test case of a report to its failure message ("" when
// it passed); an errored case fails the test.
func (r junitReport) failures(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, s := range r.Suites {
		for _, c := range s.Cases {
			if c.Error != nil {
				t.Errorf("test case %s/%s errored: %s", s.Name, c.Name, c.Error.Message)
			}
			out[c.Name] = ""
			if c.Failure != nil {
				out[c.Name] = c.Failure.Message + "\n" + c.Failure.Text
			}
		}
	}
	return out
}
