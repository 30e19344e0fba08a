package repocheck

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// What every configuration a user copies must declare: without it Terraform
// reads `honeyhive` as hashicorp/honeyhive, which does not exist, and
// `terraform init` fails.
const (
	wantSource  = "honeyhiveai/honeyhive"
	wantVersion = "~> 0.1"
)

// Every example under examples/ (embedded in docs/ by tfplugindocs) and the
// demo configuration declare the provider's source and version in a
// terraform block, so each works when copied on its own into an empty folder.
func TestExamples_declareSource(t *testing.T) {
	files := []string{repoFile("demo", "main.tf")}
	err := filepath.WalkDir(repoFile("examples"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".tf") {
			return err
		}
		// A module of several files (examples/ci/gate) declares the provider
		// once, in its main.tf, which is checked.
		if d.Name() == "variables.tf" {
			if _, err := os.Stat(filepath.Join(filepath.Dir(path), "main.tf")); err == nil {
				return nil
			}
		}
		files = append(files, path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 10 {
		t.Fatalf("found only %d configurations: %v", len(files), files)
	}
	for _, path := range files {
		name, _ := filepath.Rel(repoFile(), path)
		t.Run(filepath.ToSlash(name), func(t *testing.T) {
			source, version := requiredHoneyHive(t, path, readFile(t, path))
			if source != wantSource || version != wantVersion {
				t.Errorf("required_providers.honeyhive is {source = %q, version = %q}, want {source = %q, version = %q}",
					source, version, wantSource, wantVersion)
			}
		})
	}
}

// requiredHoneyHive returns the source and version the configuration's
// terraform { required_providers { honeyhive = {...} } } declares, failing the
// test when it has no such entry. name is the configuration's file name, for
// messages.
func requiredHoneyHive(t *testing.T, name, src string) (source, version string) {
	t.Helper()
	file, diags := hclsyntax.ParseConfig([]byte(src), name, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	for _, tf := range file.Body.(*hclsyntax.Body).Blocks {
		if tf.Type != "terraform" {
			continue
		}
		for _, rp := range tf.Body.Blocks {
			if rp.Type != "required_providers" {
				continue
			}
			attr, ok := rp.Body.Attributes["honeyhive"]
			if !ok {
				continue
			}
			value, diags := attr.Expr.Value(nil)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if !value.Type().IsObjectType() {
				t.Fatalf("required_providers.honeyhive is a %s, not an object", value.Type().FriendlyName())
			}
			return objectString(value, "source"), objectString(value, "version")
		}
	}
	t.Fatalf("no terraform { required_providers { honeyhive = { source = %q, version = %q } } } block", wantSource, wantVersion)
	return "", ""
}

func objectString(obj cty.Value, name string) string {
	if !obj.Type().HasAttribute(name) {
		return ""
	}
	v := obj.GetAttr(name)
	if v.IsNull() || v.Type() != cty.String {
		return ""
	}
	return v.AsString()
}
