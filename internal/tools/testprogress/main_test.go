package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The exit code is the command's, whatever the output said.
func TestRunExitCode(t *testing.T) {
	for _, tc := range []struct {
		script string
		want   int
	}{
		{`echo '{"Action":"pass","Package":"x"}'`, 0},
		{`echo '{"Action":"pass","Package":"x"}'; exit 3`, 3},
		{`echo '{"Action":"fail","Package":"x"}'; exit 1`, 1},
		{`echo not json; echo oops >&2; exit 2`, 2},
		{`kill -TERM $$`, 128 + 15},
	} {
		var stdout, stderr bytes.Buffer
		if got := run([]string{"sh", "-c", tc.script}, &stdout, &stderr, 0); got != tc.want {
			t.Errorf("%s: exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", tc.script, got, tc.want, &stdout, &stderr)
		}
	}
	var stdout, stderr bytes.Buffer
	if got := run([]string{"no-such-command-testprogress"}, &stdout, &stderr, 0); got != 1 || stderr.Len() == 0 {
		t.Errorf("a command that does not start: exit code %d, stderr %q", got, stderr.String())
	}
}

// Against a real `go test -json`: a line per test and package as they end,
// the failure's output, the command's exit code.
func TestRunGoTest(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/progress\n\ngo 1.21\n")
	write("p_test.go", `package p

import "testing"

func TestGood(t *testing.T) {}

func TestBad(t *testing.T) {
	t.Run("case", func(t *testing.T) { t.Error("the reason it failed") })
}
`)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir) // the reporter names packages relative to ./go.mod's module
	var stdout, stderr bytes.Buffer
	code := run([]string{"go", "test", "-json", "-count=1", "./..."}, &stdout, &stderr, time.Minute)
	t.Chdir(wd)
	got := stdout.String()
	if code != 1 {
		t.Errorf("exit code %d, want go test's 1\nstdout:\n%s\nstderr:\n%s", code, got, &stderr)
	}
	for _, want := range []string{
		"    ok  TestGood  ",
		"  FAIL  TestBad  ",
		"the reason it failed",
		"FAIL    .  ",
		"0 packages ok, 1 failed; 1 test passed, 1 failed, 0 skipped",
		"failed: . TestBad, .\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}
