package repocheck

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// The CI definitions the guide "Gate a pull request" embeds, under
// examples/ci/github and examples/ci/gitlab. We cannot run GitHub Actions or
// GitLab CI here, so the tests parse each file, check that its jobs are wired
// as the guide says, and run the gate's shell scripts as the runner would,
// against the local server, with the CLI under test.

type githubWorkflow struct {
	On          map[string]any    `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		Env   map[string]string `yaml:"env"`
		Steps []githubStep      `yaml:"steps"`
	} `yaml:"jobs"`
}

type githubStep struct {
	ID               string            `yaml:"id"`
	Name             string            `yaml:"name"`
	If               string            `yaml:"if"`
	ContinueOnError  bool              `yaml:"continue-on-error"`
	Uses             string            `yaml:"uses"`
	With             map[string]any    `yaml:"with"`
	Shell            string            `yaml:"shell"`
	WorkingDirectory string            `yaml:"working-directory"`
	Env              map[string]string `yaml:"env"`
	Run              string            `yaml:"run"`
}

type gitlabJob struct {
	Stage     string            `yaml:"stage"`
	Needs     []string          `yaml:"needs"`
	Variables map[string]string `yaml:"variables"`
	Script    []string          `yaml:"script"`
	Artifacts struct {
		When     string   `yaml:"when"`
		ExposeAs string   `yaml:"expose_as"`
		Paths    []string `yaml:"paths"`
		Reports  struct {
			Dotenv string `yaml:"dotenv"`
			JUnit  string `yaml:"junit"`
		} `yaml:"reports"`
	} `yaml:"artifacts"`
}

func decodeYAML(t *testing.T, path string, v any) {
	t.Helper()
	if err := yaml.Unmarshal([]byte(readFile(t, path)), v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// gitlabJobs decodes the jobs of a GitLab CI file (its keys other than the
// global ones).
func gitlabJobs(t *testing.T, path string) map[string]gitlabJob {
	t.Helper()
	var top map[string]yaml.Node
	decodeYAML(t, path, &top)
	jobs := map[string]gitlabJob{}
	for name, node := range top {
		if slices.Contains([]string{"stages", "workflow", "variables", "default", "include"}, name) {
			continue
		}
		var job gitlabJob
		if err := node.Decode(&job); err != nil {
			t.Fatalf("%s: job %s: %v", path, name, err)
		}
		jobs[name] = job
	}
	return jobs
}

// githubGate holds the gate job's steps, found by what they do.
type githubGate struct {
	workflow                                   githubWorkflow
	evaluate, setup, init, gate, post, verdict githubStep
}

func githubGateSteps(t *testing.T) githubGate {
	t.Helper()
	var g githubGate
	decodeYAML(t, ciExample("github", "evaluation-gate.yml"), &g.workflow)
	job, ok := g.workflow.Jobs["gate"]
	if !ok {
		t.Fatalf("the workflow has no job \"gate\"")
	}
	for _, s := range job.Steps {
		switch {
		case s.ID == "evaluate":
			g.evaluate = s
		case strings.HasPrefix(s.Uses, "hashicorp/setup-terraform@"):
			g.setup = s
		case strings.Contains(s.Run, "terraform init"):
			g.init = s
		case s.ID == "gate":
			g.gate = s
		case strings.Contains(s.Run, "gh pr comment"):
			g.post = s
		case strings.Contains(s.If, "steps.gate.outputs.passed") && strings.Contains(s.Run, "exit 1"):
			g.verdict = s
		}
	}
	for name, s := range map[string]githubStep{"evaluate": g.evaluate, "setup-terraform": g.setup, "init": g.init, "gate": g.gate,
		"post the report": g.post, "verdict": g.verdict} {
		if s.Name == "" && s.Uses == "" {
			t.Fatalf("the gate job has no %s step", name)
		}
	}
	return g
}

// The definitions are wired as the guide says: the run ID goes from the
// evaluation to the gate, the gate reads the read-only key from the CI's
// secrets through its environment only, and no script echoes a key or pastes
// an expression into shell code.
func TestCIWorkflows_wiring(t *testing.T) {
	t.Parallel()
	t.Run("GitHub Actions", func(t *testing.T) {
		g := githubGateSteps(t)
		wf, evaluate, setup, initStep, gate := g.workflow, g.evaluate, g.setup, g.init, g.gate
		if _, ok := wf.On["pull_request"]; !ok {
			t.Error("the workflow does not run on pull_request")
		}
		// Reading the code, and writing the report on the pull request:
		// nothing more.
		if want := map[string]string{"contents": "read", "pull-requests": "write"}; !maps.Equal(wf.Permissions, want) {
			t.Errorf("permissions %v, want %v", wf.Permissions, want)
		}
		if !strings.Contains(evaluate.Run, `echo "run_id=${run_id}" >> "$GITHUB_OUTPUT"`) {
			t.Errorf("the evaluate step does not set the run_id output:\n%s", evaluate.Run)
		}
		if setup.With["terraform_wrapper"] != false {
			t.Errorf("setup-terraform's wrapper is not turned off: %v", setup.With)
		}
		for _, s := range []githubStep{initStep, gate, g.post} {
			if s.WorkingDirectory != "release-gate" {
				t.Errorf("step %q works in %q, want release-gate (the copied examples/ci/release-gate)", s.Name, s.WorkingDirectory)
			}
		}
		// Both kinds of key under HoneyHive's current names; the data-plane
		// key wins when both are set.
		wantEnv := map[string]string{
			"CANDIDATE_RUN_ID":      "${{ steps.evaluate.outputs.run_id }}",
			"HH_DATA_PLANE_API_KEY": "${{ secrets.HH_DATA_PLANE_API_KEY }}",
			"HH_PROJECT_ID":         "${{ vars.HH_PROJECT_ID }}",
			"HH_PROJECT_API_KEY":    "${{ secrets.HH_PROJECT_API_KEY }}",
			"HH_DATA_PLANE_URL":     "${{ vars.HH_DATA_PLANE_URL }}",
		}
		if len(gate.Env) != len(wantEnv) {
			t.Errorf("gate step env %v, want exactly %v (no deprecated HH_API_KEY or HH_API_URL)", gate.Env, wantEnv)
		}
		for k, v := range wantEnv {
			if gate.Env[k] != v {
				t.Errorf("gate step env %s = %q, want %q", k, gate.Env[k], v)
			}
		}
		for _, want := range []string{
			`terraform apply -auto-approve -input=false -no-color -var "candidate_run_id=${CANDIDATE_RUN_ID}" 2> gate-errors.txt`,
			`exit "$status"`,
			`terraform output -raw report_markdown > report.md`,
			`cat report.md >> "$GITHUB_STEP_SUMMARY"`,
			`echo "passed=$(terraform output -raw passed)" >> "$GITHUB_OUTPUT"`,
		} {
			if !strings.Contains(gate.Run, want) {
				t.Errorf("the gate script lacks %q", want)
			}
		}
		// The report is posted whenever the gate wrote one, and posting it
		// cannot fail the job: the verdict step, after it, does.
		wantPostEnv := map[string]string{
			"GH_TOKEN":  "${{ github.token }}",
			"GH_REPO":   "${{ github.repository }}",
			"PR_NUMBER": "${{ github.event.pull_request.number }}",
		}
		if g.post.If != "steps.gate.outputs.passed != ''" || !g.post.ContinueOnError || !maps.Equal(g.post.Env, wantPostEnv) {
			t.Errorf("the post step runs if %q, continue-on-error %v, env %v; want if steps.gate.outputs.passed != '', "+
				"continue-on-error, env %v", g.post.If, g.post.ContinueOnError, g.post.Env, wantPostEnv)
		}
		if g.verdict.If != "steps.gate.outputs.passed != 'true'" {
			t.Errorf("the verdict step runs if %q, want steps.gate.outputs.passed != 'true'", g.verdict.If)
		}
		steps := wf.Jobs["gate"].Steps
		if slices.IndexFunc(steps, func(s githubStep) bool { return s.Name == g.post.Name }) >
			slices.IndexFunc(steps, func(s githubStep) bool { return s.Name == g.verdict.Name }) {
			t.Error("the verdict step comes before the report is posted")
		}
		for _, s := range []githubStep{evaluate, initStep, gate, g.post, g.verdict} {
			if strings.Contains(s.Run, "${{") || strings.Contains(s.Run, "HH_API_KEY") ||
				strings.Contains(s.Run, "HH_PROJECT_API_KEY") || strings.Contains(s.Run, "HH_DATA_PLANE_API_KEY") {
				t.Errorf("step %q pastes an expression or names the key in its script:\n%s", s.Name, s.Run)
			}
			if s.Shell != "bash" {
				t.Errorf("step %q runs in shell %q, want bash (bash -eo pipefail on GitHub)", s.Name, s.Shell)
			}
		}
	})
	t.Run("GitLab CI", func(t *testing.T) {
		jobs := gitlabJobs(t, ciExample("gitlab", "evaluation-gate.gitlab-ci.yml"))
		evaluate, gate := jobs["evaluate"], jobs["evaluation-gate"]
		if evaluate.Artifacts.Reports.Dotenv != "evaluation.env" ||
			!slices.Contains(evaluate.Script, `echo "CANDIDATE_RUN_ID=${run_id}" > evaluation.env`) {
			t.Errorf("the evaluate job does not hand CANDIDATE_RUN_ID on in a dotenv report: %+v", evaluate)
		}
		report := gitlabJobs(t, ciExample("gitlab", "evaluation-gate-report.gitlab-ci.yml"))["evaluation-gate"]
		for name, job := range map[string]gitlabJob{"evaluation-gate": gate, "evaluation-gate (report)": report} {
			if !slices.Equal(job.Needs, []string{"evaluate"}) || job.Stage != "gate" {
				t.Errorf("%s: stage %q, needs %v; want stage gate, needs [evaluate]", name, job.Stage, job.Needs)
			}
			if len(job.Script) < 3 || !strings.HasPrefix(job.Script[1], "terraform init -input=false") ||
				!strings.Contains(job.Script[2], `-var "candidate_run_id=${CANDIDATE_RUN_ID}"`) {
				t.Errorf("%s: script %q does not init, then plan or test with the candidate", name, job.Script)
			}
			if job.Variables["TF_IN_AUTOMATION"] != "1" {
				t.Errorf("%s: TF_IN_AUTOMATION is not set", name)
			}
		}
		if gate.Script[0] != "cd release-gate" || !strings.HasPrefix(gate.Script[2], "terraform apply -auto-approve -input=false") ||
			!slices.Contains(gate.Script, "terraform output -raw report_markdown > report.md") ||
			gate.Script[len(gate.Script)-1] != `test "$(terraform output -raw passed)" = true` {
			t.Errorf("the gate job does not apply release-gate, write the report, then fail unless it passed: %q", gate.Script)
		}
		if gate.Artifacts.When != "always" || !slices.Equal(gate.Artifacts.Paths, []string{"release-gate/report.md"}) || gate.Artifacts.ExposeAs == "" {
			t.Errorf("the gate job does not keep its report, exposed to the merge request, on failure: %+v", gate.Artifacts)
		}
		if report.Artifacts.When != "always" || report.Artifacts.Reports.JUnit != "gate-test/gate-report.xml" ||
			!strings.Contains(report.Script[2], "-junit-xml=gate-report.xml") || report.Script[0] != "cd gate-test" {
			t.Errorf("the report job does not publish its JUnit report on failure: %+v", report)
		}
		for name, job := range jobs {
			for _, line := range job.Script {
				if strings.Contains(line, "echo") && strings.Contains(line, "API_KEY") {
					t.Errorf("job %s echoes a key: %s", name, line)
				}
			}
		}
	})
}

// ciRepo lays out a repository as the CI definitions expect it: the gate
// folders at its root, and a `terraform` command on PATH that is the CLI
// under test (OpenTofu included, so the scripts run on both).
func (e *ciEnv) ciRepo(t *testing.T) (repo, path string) {
	t.Helper()
	repo = t.TempDir()
	copyExample(t, "gate", repo)
	copyExample(t, "gate-test", repo)
	copyExample(t, "release-gate", repo)
	bin := t.TempDir()
	if err := os.Symlink(e.cli.path, filepath.Join(bin, "terraform")); err != nil {
		t.Fatal(err)
	}
	return repo, "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")
}

// fakeGH is a `gh` for the post step: it records its arguments, one a line,
// in $FAKE_GH_ARGS, and the body file it was given (its last argument) in
// $FAKE_GH_ARGS.body, as the comment GitHub would show.
const fakeGH = `#!/bin/sh
printf '%s\n' "$@" > "$FAKE_GH_ARGS"
printf '%s\n' "$GH_TOKEN" "$GH_REPO" >> "$FAKE_GH_ARGS"
eval "body=\${$#}"
cp "$body" "$FAKE_GH_ARGS.body"
`

// The GitHub gate job's steps, run as GitHub runs `shell: bash` steps (bash
// --noprofile --norc -eo pipefail) and decides their `if`: the gate step
// writes the report to the job summary and sets `passed`; the post step
// hands the same report to `gh pr comment` (a stand-in that records it);
// the verdict step fails the job unless every rule passed. A gate that
// cannot judge fails its own step with Terraform's errors in the summary.
func testCIGitHubGate(t *testing.T, e *ciEnv) {
	g := githubGateSteps(t)
	var jobEnv []string
	for k, v := range g.workflow.Jobs["gate"].Env {
		jobEnv = append(jobEnv, k+"="+v)
	}
	cases := []struct {
		name, candidate string
		env             []string
		// passed is the gate step's output; "" when the step fails.
		passed      string
		wantSummary []string
		wantLog     string
		// guideQuote starts the part of the report the guide quotes.
		guideQuote string
	}{
		{
			name:        "a good candidate",
			candidate:   localhoneyhive.FixtureCandidate,
			passed:      "true",
			wantSummary: []string{"## ✅ Release gate passed: 2 of 2 rules hold", "| relevance |", "```text"},
		},
		{
			name:        "a regressed candidate",
			candidate:   localhoneyhive.FixtureRegressed,
			passed:      "false",
			wantSummary: []string{"## ❌ Release gate FAILED: 1 of 2 rules failed", "| relevance |", "❌ fail", "```text"},
			wantLog:     "relevance",
			guideQuote:  "accuracy    --[",
		},
		{
			name:        "no key",
			candidate:   localhoneyhive.FixtureCandidate,
			env:         []string{"HH_PROJECT_API_KEY="},
			wantSummary: []string{"### Evaluation gate could not judge run `run-candidate`", "Missing HoneyHive API key"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			repo, path := e.ciRepo(t)
			bin := t.TempDir()
			writeFile(t, filepath.Join(bin, "gh"), fakeGH)
			if err := os.Chmod(filepath.Join(bin, "gh"), 0o755); err != nil {
				t.Fatal(err)
			}
			tmp := t.TempDir()
			summary, output, ghArgs := filepath.Join(tmp, "step-summary.md"), filepath.Join(tmp, "output"), filepath.Join(tmp, "gh-args")
			path = strings.Replace(path, "PATH=", "PATH="+bin+string(os.PathListSeparator), 1)
			env := e.environ(append(jobEnv, append(tc.env, path, "GITHUB_STEP_SUMMARY="+summary, "GITHUB_OUTPUT="+output,
				"CANDIDATE_RUN_ID="+tc.candidate, "FAKE_GH_ARGS="+ghArgs,
				"GH_TOKEN=ghs_test", "GH_REPO=owner/repo", "PR_NUMBER=42")...)...)
			run := func(step githubStep) cliResult {
				script := filepath.Join(t.TempDir(), "step.sh")
				writeFile(t, script, step.Run)
				return runCommand(t, filepath.Join(repo, step.WorkingDirectory), env, "bash", "--noprofile", "--norc", "-eo", "pipefail", script)
			}
			if res := run(g.init); res.exitCode != 0 {
				t.Fatalf("step %q failed:\n%s", g.init.Name, res.output())
			}
			gate := run(g.gate)
			if failed := gate.exitCode != 0; failed != (tc.passed == "") {
				t.Fatalf("gate step exit code %d, want failure: %v\n%s", gate.exitCode, tc.passed == "", gate.output())
			}
			got := readFile(t, summary)
			wantText(t, got, tc.wantSummary...)
			if strings.Contains(got, ciKey) {
				t.Error("the job summary holds the API key")
			}
			if tc.wantLog != "" {
				wantText(t, gate.stdout, tc.wantLog)
			}
			passed := ""
			if b, err := os.ReadFile(output); err == nil {
				passed = strings.TrimPrefix(strings.TrimSpace(string(b)), "passed=")
			}
			if passed != tc.passed {
				t.Fatalf("the gate step's output passed = %q, want %q", passed, tc.passed)
			}
			if passed == "" {
				// Neither the post step nor the verdict step runs after a
				// failed step: the job has failed.
				return
			}

			// if: steps.gate.outputs.passed != ''
			if res := run(g.post); res.exitCode != 0 {
				t.Fatalf("the post step failed:\n%s", res.output())
			}
			wantArgs := "pr\ncomment\n42\n--edit-last\n--create-if-none\n--body-file\nreport.md\nghs_test\nowner/repo\n"
			if args := readFile(t, ghArgs); args != wantArgs {
				t.Errorf("gh was called with\n%s\nwant\n%s", args, wantArgs)
			}
			report := readFile(t, filepath.Join(repo, g.gate.WorkingDirectory, "report.md"))
			if tc.guideQuote != "" {
				e.wantGuideQuote(t, tc.guideQuote, report)
			}
			if body := readFile(t, ghArgs+".body"); body != report || !strings.Contains(got, report) {
				t.Errorf("the comment's body is not the report in the job summary:\n%s\n--- summary:\n%s", body, got)
			}

			// if: steps.gate.outputs.passed != 'true'
			if passed == "true" {
				return
			}
			if res := run(g.verdict); res.exitCode == 0 {
				t.Errorf("the verdict step passed a failed gate:\n%s", res.output())
			}
		})
	}
}

// The GitLab jobs' scripts, run line by line with `sh -e` as the runner
// does: the gate job writes its report and fails with the summary in its
// log; the report job
// writes a JUnit report in which the failed assertion carries its message.
func testCIGitLabGate(t *testing.T, e *ciEnv) {
	jobs := map[string]gitlabJob{
		"gate":   gitlabJobs(t, ciExample("gitlab", "evaluation-gate.gitlab-ci.yml"))["evaluation-gate"],
		"report": gitlabJobs(t, ciExample("gitlab", "evaluation-gate-report.gitlab-ci.yml"))["evaluation-gate"],
	}
	runJob := func(t *testing.T, job gitlabJob, candidate string) (repo string, res cliResult) {
		t.Helper()
		repo, path := e.ciRepo(t)
		var vars []string
		for k, v := range job.Variables {
			vars = append(vars, k+"="+v)
		}
		script := filepath.Join(t.TempDir(), "job.sh")
		writeFile(t, script, strings.Join(job.Script, "\n")+"\n")
		// CANDIDATE_RUN_ID comes from the evaluate job's dotenv report.
		env := e.environ(append(vars, path, "CANDIDATE_RUN_ID="+candidate)...)
		return repo, runCommand(t, repo, env, "sh", "-e", script)
	}

	// The gate job writes its report, the artifact, whether the gate passes
	// or fails, and fails on a failed rule with the summary in its log.
	t.Run("gate job", func(t *testing.T) {
		t.Parallel()
		artifact := jobs["gate"].Artifacts.Paths[0]
		repo, res := runJob(t, jobs["gate"], localhoneyhive.FixtureCandidate)
		if res.exitCode != 0 {
			t.Errorf("the job failed on a good candidate:\n%s", res.output())
		}
		wantText(t, readFile(t, filepath.Join(repo, artifact)), "## ✅ Release gate passed: 2 of 2 rules hold")
		repo, res = runJob(t, jobs["gate"], localhoneyhive.FixtureRegressed)
		if res.exitCode == 0 {
			t.Fatalf("the job passed a regressed candidate:\n%s", res.output())
		}
		wantText(t, readFile(t, filepath.Join(repo, artifact)), "## ❌ Release gate FAILED: 1 of 2 rules failed", "| relevance |")
		wantText(t, res.stdout, "relevance")
	})

	t.Run("report job", func(t *testing.T) {
		t.Parallel()
		if e.cli.tofu {
			// The guide says OpenTofu cannot write the report: hold it to that.
			_, res := runJob(t, jobs["report"], localhoneyhive.FixtureRegressed)
			if res.exitCode == 0 || !strings.Contains(res.output(), "junit-xml") {
				t.Fatalf("%s accepted -junit-xml, or failed for another reason: update the guide's note on OpenTofu\n%s", e.cli.text, res.output())
			}
			return
		}
		if !e.cli.atLeast(1, 11) {
			t.Skipf("%s has no `terraform test -junit-xml`: it came with Terraform 1.11", e.cli.text)
		}
		repo, res := runJob(t, jobs["report"], localhoneyhive.FixtureRegressed)
		if res.exitCode == 0 {
			t.Fatalf("the job passed a regressed candidate:\n%s", res.output())
		}
		failures := readJUnit(t, filepath.Join(repo, jobs["report"].Artifacts.Reports.JUnit)).failures(t)
		for _, name := range []string{"runs_completed", "latency_not_worse"} {
			if msg, ok := failures[name]; !ok || msg != "" {
				t.Errorf("test case %s: present %v, failure %q; want a passed case", name, ok, msg)
			}
		}
		wantText(t, failures["relevance_not_worse"], "relevance may be worse than the baseline by more than 0.020: "+
			"mean paired change -0.031, 95% interval [-0.040, -0.023].")
	})
}
