package repocheck

import (
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
	On   map[string]any `yaml:"on"`
	Jobs map[string]struct {
		Env   map[string]string `yaml:"env"`
		Steps []githubStep      `yaml:"steps"`
	} `yaml:"jobs"`
}

type githubStep struct {
	ID               string            `yaml:"id"`
	Name             string            `yaml:"name"`
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
		When    string `yaml:"when"`
		Reports struct {
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

func githubGateSteps(t *testing.T) (wf githubWorkflow, evaluate, setup, initStep, gate githubStep) {
	t.Helper()
	decodeYAML(t, ciExample("github", "evaluation-gate.yml"), &wf)
	job, ok := wf.Jobs["gate"]
	if !ok {
		t.Fatalf("the workflow has no job \"gate\"")
	}
	for _, s := range job.Steps {
		switch {
		case s.ID == "evaluate":
			evaluate = s
		case strings.HasPrefix(s.Uses, "hashicorp/setup-terraform@"):
			setup = s
		case strings.Contains(s.Run, "terraform init"):
			initStep = s
		case s.ID == "gate":
			gate = s
		}
	}
	for name, s := range map[string]githubStep{"evaluate": evaluate, "setup-terraform": setup, "init": initStep, "gate": gate} {
		if s.Name == "" && s.Uses == "" {
			t.Fatalf("the gate job has no %s step", name)
		}
	}
	return wf, evaluate, setup, initStep, gate
}

// The definitions are wired as the guide says: the run ID goes from the
// evaluation to the gate, the gate reads the read-only key from the CI's
// secrets through its environment only, and no script echoes a key or pastes
// an expression into shell code.
func TestCIWorkflows_wiring(t *testing.T) {
	t.Parallel()
	t.Run("GitHub Actions", func(t *testing.T) {
		wf, evaluate, setup, initStep, gate := githubGateSteps(t)
		if _, ok := wf.On["pull_request"]; !ok {
			t.Error("the workflow does not run on pull_request")
		}
		if !strings.Contains(evaluate.Run, `echo "run_id=${run_id}" >> "$GITHUB_OUTPUT"`) {
			t.Errorf("the evaluate step does not set the run_id output:\n%s", evaluate.Run)
		}
		if setup.With["terraform_wrapper"] != false {
			t.Errorf("setup-terraform's wrapper is not turned off: %v", setup.With)
		}
		if initStep.WorkingDirectory != "gate" || gate.WorkingDirectory != "gate" {
			t.Errorf("init and gate work in %q and %q, want gate (the copied examples/ci/gate)", initStep.WorkingDirectory, gate.WorkingDirectory)
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
		for _, want := range []string{`-var "candidate_run_id=${CANDIDATE_RUN_ID}"`, `2> gate-errors.txt`, `"$GITHUB_STEP_SUMMARY"`, `exit "$status"`} {
			if !strings.Contains(gate.Run, want) {
				t.Errorf("the gate script lacks %q", want)
			}
		}
		for _, s := range []githubStep{evaluate, initStep, gate} {
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
	bin := t.TempDir()
	if err := os.Symlink(e.cli.path, filepath.Join(bin, "terraform")); err != nil {
		t.Fatal(err)
	}
	return repo, "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")
}

// The GitHub gate step's script, run as GitHub runs a `shell: bash` step
// (bash --noprofile --norc -eo pipefail): a failing gate fails the step with
// the gate's messages in the log and the job summary; a passing one says so.
func testCIGitHubGate(t *testing.T, e *ciEnv) {
	wf, _, _, initStep, gate := githubGateSteps(t)
	var jobEnv []string
	for k, v := range wf.Jobs["gate"].Env {
		jobEnv = append(jobEnv, k+"="+v)
	}
	cases := []struct {
		name, candidate string
		wantFail        bool
		wantSummary     []string
	}{
		{
			name:        "a good candidate",
			candidate:   localhoneyhive.FixtureCandidate,
			wantSummary: []string{"### Evaluation gate passed for run `run-candidate`"},
		},
		{
			name:      "a regressed candidate",
			candidate: localhoneyhive.FixtureRegressed,
			wantFail:  true,
			wantSummary: []string{
				"### Evaluation gate failed for run `run-regressed`",
				"```",
				"relevance may be worse than the baseline by more than 0.020: mean paired change -0.031, 95% interval [-0.040, -0.023] over 8 datapoints.",
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			repo, path := e.ciRepo(t)
			summary := filepath.Join(t.TempDir(), "step-summary.md")
			env := e.environ(append(jobEnv, path, "GITHUB_STEP_SUMMARY="+summary, "CANDIDATE_RUN_ID="+tc.candidate)...)
			for _, step := range []githubStep{initStep, gate} {
				script := filepath.Join(t.TempDir(), "step.sh")
				writeFile(t, script, step.Run)
				res := runCommand(t, filepath.Join(repo, step.WorkingDirectory), env, "bash", "--noprofile", "--norc", "-eo", "pipefail", script)
				if step.ID != "gate" {
					if res.exitCode != 0 {
						t.Fatalf("step %q failed:\n%s", step.Name, res.output())
					}
					continue
				}
				if failed := res.exitCode != 0; failed != tc.wantFail {
					t.Fatalf("gate step exit code %d, want failure: %v\n%s", res.exitCode, tc.wantFail, res.output())
				}
				if tc.wantFail {
					// The log shows the messages too, not only the summary.
					wantText(t, res.stderr, tc.wantSummary[len(tc.wantSummary)-1])
				}
			}
			got := readFile(t, summary)
			wantText(t, got, tc.wantSummary...)
			if strings.Contains(got, ciKey) {
				t.Error("the job summary holds the API key")
			}
		})
	}
}

// The GitLab jobs' scripts, run line by line with `sh -e` as the runner
// does: the plan job fails with the messages in its log; the report job
// writes a JUnit report in which the failed assertion carries its message.
func testCIGitLabGate(t *testing.T, e *ciEnv) {
	jobs := map[string]gitlabJob{
		"plan":   gitlabJobs(t, ciExample("gitlab", "evaluation-gate.gitlab-ci.yml"))["evaluation-gate"],
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

	t.Run("plan job", func(t *testing.T) {
		t.Parallel()
		if _, res := runJob(t, jobs["plan"], localhoneyhive.FixtureCandidate); res.exitCode != 0 {
			t.Errorf("the job failed on a good candidate:\n%s", res.output())
		}
		_, res := runJob(t, jobs["plan"], localhoneyhive.FixtureRegressed)
		if res.exitCode == 0 {
			t.Fatalf("the job passed a regressed candidate:\n%s", res.output())
		}
		wantText(t, res.output(), "relevance may be worse than the baseline by more than 0.020: mean paired change -0.031, "+
			"95% interval [-0.040, -0.023] over 8 datapoints.")
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
