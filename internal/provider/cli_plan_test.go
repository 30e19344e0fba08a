package provider

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// terraform-plugin-testing cannot see warnings, nor count errors (ExpectError
// is one regular expression over the output). planDiagnostics runs the CLI
// under test itself, `plan -json`, against this package's provider served in
// process, and returns every diagnostic with its severity, as Terraform
// reports them to the user.

// cliDiagnostic is one diagnostic of `terraform plan -json`.
type cliDiagnostic struct {
	Severity string `json:"severity"` // "error" or "warning"
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
}

func (d cliDiagnostic) String() string {
	return d.Severity + ": " + d.Summary + ": " + d.Detail
}

// planResult is what a `plan -json` run reported.
type planResult struct {
	Succeeded   bool
	Diagnostics []cliDiagnostic
	Output      string // the JSON lines, for failure messages
}

// withSeverity returns the diagnostics of one severity.
func (r planResult) withSeverity(severity string) []cliDiagnostic {
	var out []cliDiagnostic
	for _, d := range r.Diagnostics {
		if d.Severity == severity {
			out = append(out, d)
		}
	}
	return out
}

// withSummary returns the diagnostics whose summary contains part.
func (r planResult) withSummary(part string) []cliDiagnostic {
	var out []cliDiagnostic
	for _, d := range r.Diagnostics {
		if strings.Contains(d.Summary, part) {
			out = append(out, d)
		}
	}
	return out
}

// planDiagnostics writes config to a fresh directory and runs `init` and
// `plan -json` there with the CLI under test (TF_ACC_TERRAFORM_PATH, which
// may be OpenTofu), with the provider reading its settings from env. vars are
// passed as -var.
func planDiagnostics(t *testing.T, env map[string]string, config string, vars map[string]string) planResult {
	t.Helper()
	return planDiagnosticsLogged(t, env, config, vars, "")
}

// planDiagnosticsLogged is planDiagnostics with, when logPath is not empty,
// the CLI's own log at TRACE, its most verbose, written to logPath.
func planDiagnosticsLogged(t *testing.T, env map[string]string, config string, vars map[string]string, logPath string) planResult {
	t.Helper()
	terraform := terraformPath(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.tf"), config)
	rc := filepath.Join(dir, "terraformrc")
	writeFile(t, rc, "")

	reattach := serveForCLI(t, env)
	cmdEnv := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_REATTACH_PROVIDERS="+reattach)
	if logPath != "" {
		cmdEnv = append(cmdEnv, "TF_LOG=TRACE", "TF_LOG_PATH="+logPath)
	}
	run := func(args ...string) ([]byte, error) {
		cmd := exec.Command(terraform, args...)
		cmd.Dir, cmd.Env = dir, cmdEnv
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if stderr.Len() > 0 {
			out = append(out, stderr.Bytes()...)
		}
		return out, err
	}
	if out, err := run("init", "-input=false", "-no-color"); err != nil {
		t.Fatalf("%s init: %v\n%s", terraform, err, out)
	}
	args := []string{"plan", "-input=false", "-json", "-lock=false"}
	for name, value := range vars {
		args = append(args, "-var", name+"="+value)
	}
	out, err := run(args...)
	result := planResult{Succeeded: err == nil, Output: string(out)}
	if _, isExit := err.(*exec.ExitError); err != nil && !isExit {
		t.Fatalf("running %s plan: %v", terraform, err)
	}
	scanner := bufio.NewScanner(bytes.NewReader(out))
	scanner.Buffer(make([]byte, 1<<20), 16<<20)
	for scanner.Scan() {
		var line struct {
			Type       string         `json:"type"`
			Diagnostic *cliDiagnostic `json:"diagnostic"`
		}
		if json.Unmarshal(scanner.Bytes(), &line) == nil && line.Type == "diagnostic" && line.Diagnostic != nil {
			result.Diagnostics = append(result.Diagnostics, *line.Diagnostic)
		}
	}
	if len(result.Diagnostics) == 0 && !result.Succeeded {
		t.Fatalf("plan failed without a diagnostic in its JSON output:\n%s", out)
	}
	return result
}

// serveForCLI serves the provider in process for the rest of the test and
// returns the TF_REATTACH_PROVIDERS value that points the CLI at it, under
// every address a test configuration may give it.
func serveForCLI(t *testing.T, env map[string]string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	configCh := make(chan *plugin.ReattachConfig, 1)
	closeCh := make(chan struct{})
	go func() {
		err := tf6server.Serve(Address, func() tfprotov6.ProviderServer {
			return NewServer(&HoneyHiveProvider{version: "test", getenv: func(k string) string { return env[k] }})
		}, tf6server.WithDebug(ctx, configCh, closeCh),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(t), // the provider's logs obey TF_LOG, as under plugin-testing
			tf6server.WithoutLogStderrOverride())
		if err != nil {
			t.Errorf("serving the provider: %v", err)
		}
	}()
	var config *plugin.ReattachConfig
	select {
	case config = <-configCh:
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("the provider server did not start within 30s")
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-closeCh:
		case <-time.After(10 * time.Second):
			t.Error("the provider server did not stop within 10s")
		}
	})

	type addr struct{ Network, String string }
	type reattachConfig struct {
		Protocol        string
		ProtocolVersion int
		Pid             int
		Test            bool
		Addr            addr
	}
	rc := reattachConfig{
		Protocol: string(config.Protocol), ProtocolVersion: config.ProtocolVersion, Pid: config.Pid, Test: true,
		Addr: addr{Network: config.Addr.Network(), String: config.Addr.String()},
	}
	host := strings.TrimSuffix(os.Getenv("TF_ACC_PROVIDER_HOST"), "/")
	if host == "" {
		host = "registry.terraform.io"
	}
	providers := map[string]reattachConfig{}
	for _, namespace := range []string{"hashicorp", "honeyhiveai", os.Getenv("TF_ACC_PROVIDER_NAMESPACE")} {
		if namespace != "" {
			providers[host+"/"+namespace+"/honeyhive"] = rc
		}
	}
	encoded, err := json.Marshal(providers)
	if err != nil {
		t.Fatal(err)
	}
	return string(encoded)
}
