package main

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"

	"gopkg.in/yaml.v3"
)

// The release files are read by machines we cannot run here (goreleaser in
// the release workflow, the Terraform and OpenTofu registries, GitHub
// Actions). These tests hold them to the names and settings those machines
// expect; `make release-snapshot` and `make install-check` then build and
// install the result.

type goreleaserExtraFile struct {
	Glob         string `yaml:"glob"`
	NameTemplate string `yaml:"name_template"`
}

type goreleaserConfig struct {
	Version     int    `yaml:"version"`
	ProjectName string `yaml:"project_name"`
	Builds      []struct {
		Env     []string `yaml:"env"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
		Ignore  []struct {
			Goos   string `yaml:"goos"`
			Goarch string `yaml:"goarch"`
		} `yaml:"ignore"`
		Binary string `yaml:"binary"`
	} `yaml:"builds"`
	Archives []struct {
		ID           string   `yaml:"id"`
		Formats      []string `yaml:"formats"`
		NameTemplate string   `yaml:"name_template"`
		Files        []string `yaml:"files"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string                `yaml:"name_template"`
		Algorithm    string                `yaml:"algorithm"`
		IDs          []string              `yaml:"ids"`
		ExtraFiles   []goreleaserExtraFile `yaml:"extra_files"`
	} `yaml:"checksum"`
	Signs []struct {
		Artifacts string   `yaml:"artifacts"`
		Args      []string `yaml:"args"`
	} `yaml:"signs"`
	Release struct {
		ExtraFiles []goreleaserExtraFile `yaml:"extra_files"`
	} `yaml:"release"`
}

func readYAML(t *testing.T, path string, into any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, into); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// render applies a goreleaser name template to one release's fields.
func render(t *testing.T, tmpl string) string {
	t.Helper()
	parsed, err := template.New("name").Option("missingkey=error").Parse(tmpl)
	if err != nil {
		t.Fatalf("template %q: %v", tmpl, err)
	}
	var b strings.Builder
	fields := map[string]string{"ProjectName": "terraform-provider-honeyhive", "Version": "1.2.3", "Os": "linux", "Arch": "arm64"}
	if err := parsed.Execute(&b, fields); err != nil {
		t.Fatalf("template %q: %v", tmpl, err)
	}
	return b.String()
}

func TestGoreleaserConfig(t *testing.T) {
	var cfg goreleaserConfig
	readYAML(t, ".goreleaser.yml", &cfg)

	if cfg.Version != 2 || cfg.ProjectName != "terraform-provider-honeyhive" {
		t.Errorf("version %d, project_name %q; want 2 and terraform-provider-honeyhive", cfg.Version, cfg.ProjectName)
	}
	if len(cfg.Builds) != 1 || len(cfg.Archives) != 1 || len(cfg.Signs) != 1 {
		t.Fatalf("want one build, one archive and one sign section, got %d, %d, %d", len(cfg.Builds), len(cfg.Archives), len(cfg.Signs))
	}

	build := cfg.Builds[0]
	if !slices.Contains(build.Env, "CGO_ENABLED=0") || !slices.Contains(build.Flags, "-trimpath") {
		t.Errorf("build env %q, flags %q: want CGO_ENABLED=0 and -trimpath", build.Env, build.Flags)
	}
	// main.version is the variable main.go passes to provider.New, which puts
	// it in the User-Agent; referencing it here fails the build if it is renamed.
	_ = version
	ldflags := render(t, strings.Join(build.Ldflags, " "))
	if !regexp.MustCompile(`(^| )-X main\.version=1\.2\.3( |$)`).MatchString(ldflags) {
		t.Errorf("ldflags render to %q: want -X main.version=<version>", ldflags)
	}
	if got := render(t, build.Binary); got != "terraform-provider-honeyhive_v1.2.3" {
		t.Errorf("binary %q, want terraform-provider-honeyhive_v1.2.3", got)
	}
	platforms := map[string]bool{}
	for _, goos := range build.Goos {
		for _, goarch := range build.Goarch {
			platforms[goos+"_"+goarch] = true
		}
	}
	for _, ig := range build.Ignore {
		delete(platforms, ig.Goos+"_"+ig.Goarch)
	}
	for _, p := range []string{"linux_amd64", "linux_arm64", "linux_386", "linux_arm", "darwin_amd64", "darwin_arm64",
		"windows_amd64", "windows_arm64", "windows_386", "freebsd_amd64", "freebsd_arm64"} {
		if !platforms[p] {
			t.Errorf("platform %s is not built", p)
		}
	}
	for _, p := range []string{"darwin_386", "windows_arm"} {
		if platforms[p] {
			t.Errorf("platform %s is built; Go no longer supports it (HashiCorp's matrix leaves it out too)", p)
		}
	}

	archive := cfg.Archives[0]
	if !slices.Equal(archive.Formats, []string{"zip"}) {
		t.Errorf("archive formats %q, want [zip]", archive.Formats)
	}
	if got := render(t, archive.NameTemplate) + ".zip"; got != "terraform-provider-honeyhive_1.2.3_linux_arm64.zip" {
		t.Errorf("archive %q, want terraform-provider-honeyhive_1.2.3_linux_arm64.zip", got)
	}
	// scripts/install-check.sh packs the same files beside the binary.
	if want := []string{"LICENSE", "README.md", "CHANGELOG.md"}; !slices.Equal(archive.Files, want) {
		t.Errorf("archive files %q, want %q", archive.Files, want)
	}
	for _, f := range archive.Files {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("archive file: %v", err)
		}
	}

	if got := render(t, cfg.Checksum.NameTemplate); got != "terraform-provider-honeyhive_1.2.3_SHA256SUMS" || cfg.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum %q (%s), want terraform-provider-honeyhive_1.2.3_SHA256SUMS (sha256)", got, cfg.Checksum.Algorithm)
	}
	// Without ids, goreleaser (since v2.15.0) lists the signature in the
	// checksums after signing them, and the signature no longer matches.
	if archive.ID == "" || !slices.Equal(cfg.Checksum.IDs, []string{archive.ID}) {
		t.Errorf("checksum.ids %q, archive id %q: the checksums must list only the archives (and the manifest)", cfg.Checksum.IDs, archive.ID)
	}
	for section, extra := range map[string][]goreleaserExtraFile{"checksum": cfg.Checksum.ExtraFiles, "release": cfg.Release.ExtraFiles} {
		if len(extra) != 1 || extra[0].Glob != "terraform-registry-manifest.json" ||
			render(t, extra[0].NameTemplate) != "terraform-provider-honeyhive_1.2.3_manifest.json" {
			t.Errorf("%s.extra_files %+v: want terraform-registry-manifest.json as terraform-provider-honeyhive_<version>_manifest.json", section, extra)
		}
	}

	sign := cfg.Signs[0]
	args := strings.Join(sign.Args, " ")
	if sign.Artifacts != "checksum" || args != "--batch --local-user {{ .Env.GPG_FINGERPRINT }} --output ${signature} --detach-sign ${artifact}" {
		t.Errorf("signs: artifacts %q, args %q; want a detached, non-interactive signature of the checksums by GPG_FINGERPRINT", sign.Artifacts, args)
	}
}

func TestRegistryManifest(t *testing.T) {
	data, err := os.ReadFile("terraform-registry-manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		t.Fatal(err)
	}
	// Without it the OpenTofu registry assumes protocol 5.0; the provider
	// serves only 6 (tf6server in main.go).
	if manifest.Version != 1 || !slices.Equal(manifest.Metadata.ProtocolVersions, []string{"6.0"}) {
		t.Errorf("manifest %+v, want version 1 with protocol_versions [6.0]", manifest)
	}
}

// workflow is the part of a GitHub Actions workflow these tests read.
type workflow struct {
	On          map[string]any    `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		Steps []struct {
			ID   string            `yaml:"id"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]any    `yaml:"with"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func TestReleaseWorkflow(t *testing.T) {
	var wf workflow
	readYAML(t, ".github/workflows/release.yml", &wf)
	push, _ := wf.On["push"].(map[string]any)
	if tags, _ := push["tags"].([]any); len(wf.On) != 1 || len(tags) != 1 || tags[0] != "v*" {
		t.Errorf("on: %v, want only push of tags v*", wf.On)
	}
	if wf.Permissions["contents"] != "write" {
		t.Errorf("permissions %v: creating a release needs contents: write", wf.Permissions)
	}

	// The goreleaser the workflow runs is the one `make release-snapshot` builds.
	script, err := os.ReadFile("scripts/ensure-goreleaser.sh")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`GORELEASER_VERSION:-(v[0-9.]+)\}`).FindSubmatch(script)
	if m == nil {
		t.Fatal("no default GORELEASER_VERSION in scripts/ensure-goreleaser.sh")
	}
	pinned := string(m[1])

	var checkout, goreleaser, gpg bool
	for _, job := range wf.Jobs {
		for _, step := range job.Steps {
			action, _, _ := strings.Cut(step.Uses, "@")
			switch action {
			case "actions/checkout":
				checkout = step.With["fetch-depth"] == 0
			case "crazy-max/ghaction-import-gpg":
				gpg = step.ID == "import_gpg" && step.With["gpg_private_key"] == "${{ secrets.GPG_PRIVATE_KEY }}" &&
					step.With["passphrase"] == "${{ secrets.PASSPHRASE }}"
			case "goreleaser/goreleaser-action":
				goreleaser = step.With["version"] == pinned && step.With["args"] == "release --clean" &&
					step.Env["GPG_FINGERPRINT"] == "${{ steps.import_gpg.outputs.fingerprint }}"
				if !goreleaser {
					t.Errorf("goreleaser step with %v env %v: want version %s, args 'release --clean' and GPG_FINGERPRINT from import_gpg",
						step.With, step.Env, pinned)
				}
			}
		}
	}
	if !checkout || !gpg || !goreleaser {
		t.Errorf("release workflow: full-history checkout %v, GPG key import from secrets %v, goreleaser %v; want all", checkout, gpg, goreleaser)
	}
}

func TestTestWorkflow(t *testing.T) {
	var wf workflow
	readYAML(t, ".github/workflows/test.yml", &wf)
	if _, ok := wf.On["push"]; !ok {
		t.Error("the test workflow does not run on push")
	}
	if _, ok := wf.On["pull_request"]; !ok {
		t.Error("the test workflow does not run on pull requests")
	}
	var runs []string
	for _, job := range wf.Jobs {
		for _, step := range job.Steps {
			runs = append(runs, strings.TrimSpace(step.Run))
		}
	}
	// `make test` is the README's test command.
	for _, want := range []string{"make test", "make lint", "make docs-check", "make install-check"} {
		if !slices.Contains(runs, want) {
			t.Errorf("no step runs %q (steps run %q)", want, runs)
		}
	}
}
