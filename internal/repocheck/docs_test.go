package repocheck

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// terraformBlocks returns the ```terraform code blocks of a Markdown text,
// in order.
func terraformBlocks(markdown string) []string {
	var blocks []string
	for _, m := range regexp.MustCompile("(?ms)^```terraform\n(.*?)^```").FindAllStringSubmatch(markdown, -1) {
		blocks = append(blocks, m[1])
	}
	return blocks
}

// The provider's index page opens with the block users copy first: the
// provider's source and version.
func TestDocs_indexStartsWithRequiredProviders(t *testing.T) {
	text := readFile(t, repoFile("docs", "index.md"))
	// Past the front matter and the page's title, the first thing is the block.
	_, body, ok := strings.Cut(strings.TrimPrefix(text, "---\n"), "\n---\n")
	if !ok {
		t.Fatal("docs/index.md has no front matter")
	}
	body = strings.TrimSpace(body)
	title, body, _ := strings.Cut(body, "\n")
	if !strings.HasPrefix(title, "# ") {
		t.Fatalf("docs/index.md starts with %q, not its title", title)
	}
	body = strings.TrimSpace(body)
	if !strings.HasPrefix(body, "```terraform\n") {
		t.Fatalf("docs/index.md does not start with a terraform code block after its title:\n%.200s", body)
	}
	source, version := requiredHoneyHive(t, "docs/index.md", terraformBlocks(body)[0])
	if source != wantSource || version != wantVersion {
		t.Errorf("docs/index.md's first block requires {source = %q, version = %q}, want {source = %q, version = %q}",
			source, version, wantSource, wantVersion)
	}
}

// The README says the gating guide walks through every recipe of its table:
// each example the table lists is embedded in the guide, and the guide embeds
// no recipe the table leaves out.
func TestDocs_readmeRecipesAreInTheGuide(t *testing.T) {
	readme := readFile(t, repoFile("README.md"))
	_, recipes, ok := strings.Cut(readme, "\n## Gate recipes\n")
	if !ok {
		t.Fatal(`README.md has no "## Gate recipes" section`)
	}
	recipes, _, _ = strings.Cut(recipes, "\n## ")
	var inReadme []string
	for _, m := range regexp.MustCompile(`(?m)^\|.*\]\((examples/[^)]+\.tf)\) \|$`).FindAllStringSubmatch(recipes, -1) {
		inReadme = append(inReadme, m[1])
	}
	var inGuide []string
	guide := readFile(t, repoFile("templates", "guides", "gating-deploys.md.tmpl"))
	for _, m := range regexp.MustCompile(`\{\{ tffile "(examples/[^"]+)" \}\}`).FindAllStringSubmatch(guide, -1) {
		inGuide = append(inGuide, m[1])
	}
	if len(inReadme) < 5 {
		t.Fatalf("found only %d recipes in the README's table: %v", len(inReadme), inReadme)
	}
	slices.Sort(inReadme)
	slices.Sort(inGuide)
	if !slices.Equal(inReadme, inGuide) {
		t.Errorf("the README's recipe table lists\n  %v\nthe guide embeds\n  %v", inReadme, inGuide)
	}
	// The count the README gives in words, if any, is the table's.
	words := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"}
	if m := regexp.MustCompile(`walks through all (\w+)`).FindStringSubmatch(recipes); m != nil {
		if i := slices.Index(words, m[1]); i != len(inReadme) {
			t.Errorf("the README says the guide walks through all %s recipes; its table has %d", m[1], len(inReadme))
		}
	}
}

// Every Terraform block in docs/, copied verbatim into an empty folder,
// installs the provider by its published source: `terraform init` with the
// provider in a plugin directory under <registry host>/honeyhiveai/honeyhive,
// as a registry or a mirror would serve it, then `terraform validate`. A
// block that named no source would ask for hashicorp/honeyhive and fail.
// The hard gate's block also plans against the local server, passing on a
// good run and stopped by its postcondition on a bad one.
func TestDocs_copiedExamplesInstallAndPlan(t *testing.T) {
	t.Parallel()
	terraform := terraformPath(t)
	dir := t.TempDir()
	host := providerHost()
	const version = "0.1.0" // any version the blocks' "~> 0.1" accepts
	pluginDir := filepath.Join(dir, "plugins")
	buildProvider(t, filepath.Join(pluginDir, host, providerNamespace, "honeyhive", version,
		runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-honeyhive_v"+version))

	pages, err := filepath.Glob(repoFile("docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob(repoFile("docs", "*", "*.md"))
	pages = append(pages, more...)
	var blocks []string
	for _, page := range pages {
		for _, block := range terraformBlocks(readFile(t, page)) {
			if !slices.Contains(blocks, block) {
				blocks = append(blocks, block)
			}
		}
	}
	if len(blocks) < 10 {
		t.Fatalf("found only %d distinct terraform blocks in %v", len(blocks), pages)
	}

	srv := localhoneyhive.New()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	rc := filepath.Join(dir, "terraformrc") // empty: no dev_overrides, no mirrors
	writeFile(t, rc, "")
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"HH_API_URL="+ts.URL, "HH_API_KEY="+srv.APIKey())
	run := func(wd string, args ...string) (string, error) {
		cmd := exec.Command(terraform, append(args, "-no-color")...)
		cmd.Dir, cmd.Env = wd, env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.String(), err
	}

	withFunctions := cliHasProviderFunctions(t, terraform)
	hardGates := 0
	for i, block := range blocks {
		work := filepath.Join(dir, fmt.Sprintf("block%02d", i))
		writeFile(t, filepath.Join(work, "main.tf"), block)
		if strings.Contains(block, "provider::") && !withFunctions {
			// The functions' examples declare required_version = ">= 1.8":
			// an older CLI must say so at init, not fail to parse provider::.
			out, err := run(work, "init", "-input=false", "-plugin-dir="+pluginDir)
			if err == nil || !strings.Contains(out, "Unsupported Terraform Core version") {
				t.Errorf("terraform init of a block calling provider functions: err = %v, want \"Unsupported Terraform Core "+
					"version\" (is required_version = \">= 1.8\" missing?):\n%s\n--- block:\n%s", err, out, block)
			}
			continue
		}
		if out, err := run(work, "init", "-input=false", "-plugin-dir="+pluginDir); err != nil {
			t.Fatalf("terraform init on this block failed: %v\n%s\n--- block:\n%s", err, out, block)
		}
		lock := readFile(t, filepath.Join(work, ".terraform.lock.hcl"))
		if want := `provider "` + host + `/honeyhiveai/honeyhive"`; !strings.Contains(lock, want) {
			t.Errorf("the lock file has no %s:\n%s", want, lock)
		}
		if out, err := run(work, "validate"); err != nil {
			t.Errorf("terraform validate on this block failed: %v\n%s\n--- block:\n%s", err, out, block)
		}
		if !strings.Contains(block, "# Hard gate on the run itself") {
			continue
		}
		hardGates++
		if out, err := run(work, "plan", "-input=false", "-var", "run_id="+localhoneyhive.FixtureCandidate); err != nil {
			t.Errorf("the hard gate failed on %s: %v\n%s", localhoneyhive.FixtureCandidate, err, out)
		}
		out, err := run(work, "plan", "-input=false", "-var", "run_id="+localhoneyhive.FixtureRegressed)
		if want := "Accuracy of run run-regressed is 0.375, below the required 0.8."; err == nil || !strings.Contains(out, want) {
			t.Errorf("the hard gate on %s: err = %v, want a failure with %q:\n%s", localhoneyhive.FixtureRegressed, err, want, out)
		}
	}
	if hardGates == 0 {
		t.Error(`no block in docs/ holds the hard gate ("# Hard gate on the run itself"): nothing was planned`)
	}
}

// cliHasProviderFunctions reports whether the CLI under test calls
// provider-defined functions: Terraform from 1.8, OpenTofu from 1.7. Its
// `version` prints "Terraform v1.5.7" or "OpenTofu v1.12.6" first.
func cliHasProviderFunctions(t *testing.T, cli string) bool {
	t.Helper()
	cmd := exec.Command(cli, "version")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE=/dev/null")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s version: %v", cli, err)
	}
	m := regexp.MustCompile(`^(Terraform|OpenTofu) v(\S+)`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("%s version printed %q, not \"Terraform vX\" or \"OpenTofu vX\"", cli, out)
	}
	v, err := version.NewVersion(m[2])
	if err != nil {
		t.Fatalf("%s version %q: %v", cli, m[2], err)
	}
	since := map[string]*version.Version{"Terraform": version.Must(version.NewVersion("1.8.0")),
		"OpenTofu": version.Must(version.NewVersion("1.7.0"))}[m[1]]
	return v.Core().GreaterThanOrEqual(since)
}

// providerHost is the registry host the CLI under test reads an unqualified
// source under: registry.terraform.io for Terraform, registry.opentofu.org
// for OpenTofu (scripts/testmatrix.sh sets TF_ACC_PROVIDER_HOST for it, as
// terraform-plugin-testing reads it for reattached providers).
func providerHost() string {
	if host := strings.TrimSuffix(os.Getenv("TF_ACC_PROVIDER_HOST"), "/"); host != "" {
		return host
	}
	return "registry.terraform.io"
}

// buildProvider builds the provider binary at path, as users run it.
func buildProvider(t *testing.T, path string) {
	t.Helper()
	build := exec.Command("go", "build", "-o", path, ".")
	build.Dir = repoFile()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
}

// The plan times the README's performance table quotes are the medians
// bench/RESULTS.md (written by `make bench`) recorded: (a), (a+), (b) and (c)
// for each data source and size.
func TestDocs_planTimesMatchBenchResults(t *testing.T) {
	results := readFile(t, repoFile("bench", "RESULTS.md"))
	readme := readFile(t, repoFile("README.md"))
	sources := map[string]string{"run": "`honeyhive_experiment_run`", "comparison": "`honeyhive_run_comparison`"}
	benchRow := regexp.MustCompile(`(?m)^\| (run|comparison) \| ([0-9,]+) \| ([0-9.–]+) \| ([0-9.–]+) \| ([0-9.–]+) \| ([0-9.–]+) \|`)
	readmeRow := regexp.MustCompile(`(?m)^\|([^|]*)\| ([0-9,]+) \| ([0-9.–]+) \| ([0-9.–]+) \| ([0-9.–]+) \| ([0-9.–]+) \|`)
	var want, got []string
	for _, m := range benchRow.FindAllStringSubmatch(results, -1) {
		want = append(want, strings.Join(append([]string{sources[m[1]]}, m[2:]...), " "))
	}
	source := ""
	for _, m := range readmeRow.FindAllStringSubmatch(readme, -1) {
		if name := strings.TrimSpace(m[1]); name != "" {
			source = name // a row without a name continues the data source above
		}
		got = append(got, strings.Join(append([]string{source}, m[2:]...), " "))
	}
	if len(want) == 0 {
		t.Fatal("bench/RESULTS.md has no targets table")
	}
	if !slices.Equal(got, want) {
		t.Errorf("the README's performance table says\n  %s\nbench/RESULTS.md\n  %s",
			strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
