package repocheck

import (
	"bytes"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// The API key never reaches Terraform's logs (at TRACE, the most verbose),
// its output, the state, a saved plan, or an error message. The provider runs
// as a real plugin binary here, as users run it, so that its own log lines
// go through Terraform's logging like in production.
func TestSecrets_keyAppearsNowhere(t *testing.T) {
	const secret = "hh_SECRET_canary_7c1e94b0d2"
	// A data-plane key, read on the project routes, must not appear either.
	const dpSecret = "hh_fgdp_SECRETdp_canary_4b81e0a93f"
	terraform := terraformPath(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	buildProvider(t, filepath.Join(bin, "terraform-provider-honeyhive"))

	srv := localhoneyhive.New(localhoneyhive.WithAPIKey(secret), localhoneyhive.WithDataPlaneAPIKey(dpSecret))
	ts := httptest.NewServer(srv)
	defer ts.Close()
	// Two other deployments that reject this key, one as HoneyHive does today
	// (404) and one as older deployments do (401): their errors must not echo it.
	other := httptest.NewServer(localhoneyhive.New())
	defer other.Close()
	older := httptest.NewServer(localhoneyhive.New(localhoneyhive.WithRejectedKeyStatus(401)))
	defer older.Close()

	// The dev_overrides key is the provider's full address, whose host is the
	// CLI's default registry: registry.terraform.io for Terraform,
	// registry.opentofu.org for OpenTofu (which does not apply an override
	// keyed by the other host). TF_ACC_PROVIDER_HOST names it, as for
	// terraform-plugin-testing's reattached providers.
	host := providerHost()
	rc := filepath.Join(dir, "terraformrc")
	writeFile(t, rc, `provider_installation {
  dev_overrides {
    "`+host+`/honeyhiveai/honeyhive" = "`+bin+`"
  }
  direct {}
}
`)
	work := filepath.Join(dir, "work")
	writeFile(t, filepath.Join(work, "main.tf"), `
terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive" }
  }
}

data "honeyhive_experiment_run" "run" {
  run_id = "run-baseline"
}

data "honeyhive_run_comparison" "release" {
  new_run_id = "run-candidate"
  old_run_id = "run-baseline"
}

resource "terraform_data" "deploy" {
  input = data.honeyhive_run_comparison.release.metric_deltas["accuracy"].difference
}

output "accuracy" {
  value = data.honeyhive_experiment_run.run.metrics["accuracy"].aggregate
}
`)
	writeFile(t, filepath.Join(work, "rejected", "main.tf"), `
terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive" }
  }
}

provider "honeyhive" {
  server_url = "`+other.URL+`"
}

data "honeyhive_experiment_run" "run" {
  run_id = "run-baseline"
}
`)
	writeFile(t, filepath.Join(work, "rejected401", "main.tf"), `
terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive" }
  }
}

provider "honeyhive" {
  server_url = "`+older.URL+`"
}

data "honeyhive_experiment_run" "run" {
  run_id = "run-baseline"
}
`)
	// The same secret behind the prefix of a key that cannot read runs: it is
	// refused by its prefix alone, and the message must not echo the rest.
	writeFile(t, filepath.Join(work, "wrongkind", "main.tf"), `
terraform {
  required_providers {
    honeyhive = { source = "honeyhiveai/honeyhive" }
  }
}

data "honeyhive_experiment_run" "run" {
  run_id = "run-baseline"
}
`)
	// The same data sources read with the data-plane key on the project
	// routes; against the other deployment, where the key gets a project 404;
	// with the key followed by characters a key cannot have; and a classic key
	// with a project ID, which warns.
	mainTF := readFile(t, filepath.Join(work, "main.tf"))
	writeFile(t, filepath.Join(work, "dataplane", "main.tf"), mainTF)
	writeFile(t, filepath.Join(work, "dataplanerejected", "main.tf"), readFile(t, filepath.Join(work, "rejected", "main.tf")))
	writeFile(t, filepath.Join(work, "dataplanemalformed", "main.tf"), readFile(t, filepath.Join(work, "wrongkind", "main.tf")))
	writeFile(t, filepath.Join(work, "classicwithproject", "main.tf"), readFile(t, filepath.Join(work, "wrongkind", "main.tf")))
	dirEnv := map[string][]string{
		"wrongkind":          {"HH_PROJECT_API_KEY=hh_ingst_" + secret},
		"dataplane":          {"HH_DATA_PLANE_API_KEY=" + dpSecret, "HH_PROJECT_ID=" + localhoneyhive.DefaultProjectID},
		"dataplanerejected":  {"HH_DATA_PLANE_API_KEY=" + dpSecret, "HH_PROJECT_ID=" + localhoneyhive.DefaultProjectID},
		"dataplanemalformed": {"HH_DATA_PLANE_API_KEY=" + dpSecret + "...", "HH_PROJECT_ID=" + localhoneyhive.DefaultProjectID},
		"classicwithproject": {"HH_PROJECT_ID=" + localhoneyhive.DefaultProjectID},
	}
	logFile := filepath.Join(dir, "terraform.log")
	env := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"TF_LOG=TRACE", "TF_LOG_PATH="+logFile,
		"HH_API_KEY="+secret, "HH_API_URL="+ts.URL)
	var outputs bytes.Buffer
	run := func(wd string, wantSuccess bool, args ...string) {
		t.Helper()
		cmd := exec.Command(terraform, args...)
		cmd.Dir, cmd.Env = wd, env
		if extra, ok := dirEnv[filepath.Base(wd)]; ok {
			cmd.Env = append(slices.Clone(env), extra...)
		}
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		outputs.Write(stdout.Bytes())
		outputs.Write(stderr.Bytes())
		if (err == nil) != wantSuccess {
			t.Fatalf("terraform %s: err = %v (want success: %v)\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, wantSuccess, &stdout, &stderr)
		}
	}
	run(work, true, "plan", "-input=false", "-out=plan.bin")
	run(work, true, "show", "-json", "plan.bin")
	run(work, true, "apply", "-input=false", "plan.bin")
	run(work, true, "output", "-json")
	run(filepath.Join(work, "rejected"), false, "plan", "-input=false")
	run(filepath.Join(work, "rejected401"), false, "plan", "-input=false")
	run(filepath.Join(work, "wrongkind"), false, "plan", "-input=false")
	dataplane := filepath.Join(work, "dataplane")
	run(dataplane, true, "plan", "-input=false", "-out=plan.bin")
	run(dataplane, true, "show", "-json", "plan.bin")
	run(dataplane, true, "apply", "-input=false", "plan.bin")
	run(dataplane, true, "output", "-json")
	run(filepath.Join(work, "dataplanerejected"), false, "plan", "-input=false")
	run(filepath.Join(work, "dataplanemalformed"), false, "plan", "-input=false")
	run(filepath.Join(work, "classicwithproject"), true, "plan", "-input=false")

	// Terraform wraps diagnostics in a frame: read the words without it.
	words := strings.Join(strings.Fields(strings.ReplaceAll(ansiCode.ReplaceAllString(outputs.String(), ""), "│", " ")), " ")
	for _, want := range []string{"or the API key cannot see it", "HoneyHive rejected the API key", "ingestion-only key",
		"in HoneyHive project", "not a whole fine-grained data-plane key", "HoneyHive project ID ignored with a classic API key"} {
		if !strings.Contains(words, want) {
			t.Fatalf("a failing plan did not fail with the expected error (%q):\n%s", want, outputs.String())
		}
	}
	logText := readFile(t, logFile)
	if !strings.Contains(logText, "Bearer [redacted]") {
		t.Fatal("the TRACE log has no redacted request header: the provider's request logging was not captured, so this search proves nothing")
	}
	for name, content := range map[string]string{
		"TRACE log":          logText,
		"stdout and stderr":  outputs.String(),
		"state file":         readFile(t, filepath.Join(work, "terraform.tfstate")),
		"saved plan":         readFile(t, filepath.Join(work, "plan.bin")),
		"data-plane state":   readFile(t, filepath.Join(dataplane, "terraform.tfstate")),
		"data-plane plan":    readFile(t, filepath.Join(dataplane, "plan.bin")),
		"request log record": strings.Join(requestLogLines(srv), "\n"),
	} {
		for _, key := range []string{secret, dpSecret} {
			if strings.Contains(content, key) {
				t.Errorf("an API key appears in the %s", name)
			}
			// A key cut at a line break or escaped would slip past the exact search.
			if strings.Contains(content, key[8:24]) {
				t.Errorf("part of an API key appears in the %s", name)
			}
		}
	}
	// The data-plane reads went to the project routes only.
	var project int
	for _, r := range srv.RequestLog() {
		if strings.HasPrefix(r.Path, "/v1/projects/"+localhoneyhive.DefaultProjectID+"/runs/") {
			project++
			if r.Key != localhoneyhive.KeyDataPlane {
				t.Errorf("%s was sent with key %q", r.Path, r.Key)
			}
		}
	}
	if project == 0 {
		t.Error("no request reached the project routes")
	}
	if len(srv.RequestLog()) == 0 {
		t.Error("no request reached the server")
	}
}

func requestLogLines(srv *localhoneyhive.Server) []string {
	var lines []string
	for _, r := range srv.RequestLog() {
		lines = append(lines, r.Method+" "+r.Path+" "+r.UserAgent)
	}
	return lines
}
