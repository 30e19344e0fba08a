package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// fakeClock advances only when told to.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

const mod = "example.com/m"

func ev(action, pkg, test string, more ...func(*event)) string {
	e := event{Action: action, Package: mod + "/" + pkg, Test: test}
	for _, f := range more {
		f(&e)
	}
	b, _ := json.Marshal(e)
	return string(b)
}

func out(s string) func(*event)         { return func(e *event) { e.Output = s } }
func took(s float64) func(*event)       { return func(e *event) { e.Elapsed = s } }
func failedBuild(p string) func(*event) { return func(e *event) { e.FailedBuild = p } }

func feed(t *testing.T, lines ...string) string {
	t.Helper()
	var buf bytes.Buffer
	clock := &fakeClock{t: time.Unix(0, 0)}
	r := newReporter(&buf, clock.now)
	r.module = mod
	for _, line := range lines {
		r.line(line)
	}
	clock.t = clock.t.Add(90 * time.Second)
	r.finish()
	return buf.String()
}

func TestReporter(t *testing.T) {
	tests := []struct {
		name   string
		lines  []string
		want   []string // in this order
		absent []string
	}{
		{
			name: "a line per top-level test and per package",
			lines: []string{
				ev("start", "a", ""),
				ev("run", "a", "TestOne"),
				ev("output", "a", "TestOne", out("=== RUN   TestOne\n")),
				ev("run", "a", "TestOne/sub"),
				ev("pass", "a", "TestOne/sub", took(0.2)),
				ev("pass", "a", "TestOne", took(1.5)),
				ev("run", "a", "TestTwo"),
				ev("pass", "a", "TestTwo", took(0.004)),
				ev("output", "a", "", out("PASS\n")),
				ev("pass", "a", "", took(2.25)),
			},
			want: []string{
				"    ok  TestOne  1.5s  a\n",
				"    ok  TestTwo  0s  a\n",
				"ok      a  2.25s  (2 tests)\n",
				"1 package ok, 0 failed; 2 tests passed, 0 failed, 0 skipped; 1m30s\n",
			},
			absent: []string{"TestOne/sub", "=== RUN", "PASS\n"},
		},
		{
			name: "a failed test shows all its output, subtests included",
			lines: []string{
				ev("run", "b", "TestBad"),
				ev("output", "b", "TestBad", out("=== RUN   TestBad\n")),
				ev("output", "b", "TestBad/case", out("    bad_test.go:9: got 1, want 2\n")),
				ev("fail", "b", "TestBad/case", took(0.1)),
				ev("output", "b", "TestBad", out("--- FAIL: TestBad (0.10s)\n")),
				ev("fail", "b", "TestBad", took(0.1)),
				ev("output", "b", "", out("FAIL\n")),
				ev("fail", "b", "", took(0.3)),
			},
			want: []string{
				"  FAIL  TestBad  100ms  b\n",
				"=== RUN   TestBad\n",
				"    bad_test.go:9: got 1, want 2\n",
				"--- FAIL: TestBad (0.10s)\n",
				"FAIL    b  300ms  (1 test, 1 failed)\n",
				"0 packages ok, 1 failed; 0 tests passed, 1 failed, 0 skipped",
				"failed: b TestBad, b\n",
			},
		},
		{
			name: "a test that never finishes (timeout, panic) is shown with the package's output",
			lines: []string{
				ev("run", "c", "TestSlow"),
				ev("output", "c", "TestSlow", out("=== RUN   TestSlow\n")),
				ev("output", "c", "", out("panic: test timed out after 1s\n")),
				ev("fail", "c", "", took(1)),
			},
			want: []string{
				"  FAIL  TestSlow  (did not finish)  c\n",
				"=== RUN   TestSlow\n",
				"panic: test timed out after 1s\n",
				"FAIL    c  1s  (0 tests)\n",
				"failed: c\n",
			},
		},
		{
			name: "build errors as they come",
			lines: []string{
				`{"ImportPath":"example.com/m/d [example.com/m/d.test]","Action":"build-output","Output":"# example.com/m/d\n"}`,
				`{"ImportPath":"example.com/m/d [example.com/m/d.test]","Action":"build-output","Output":"d/d.go:3:1: syntax error\n"}`,
				`{"ImportPath":"example.com/m/d [example.com/m/d.test]","Action":"build-fail"}`,
				ev("start", "d", ""),
				ev("output", "d", "", out("FAIL\texample.com/m/d [build failed]\n")),
				ev("fail", "d", "", failedBuild("example.com/m/d [example.com/m/d.test]")),
			},
			want: []string{
				"# example.com/m/d\n",
				"d/d.go:3:1: syntax error\n",
				"FAIL    d  0s  (0 tests)  [build failed]\n",
			},
		},
		{
			name: "a skipped test with its reason; a package without tests",
			lines: []string{
				ev("run", "e", "TestLater"),
				ev("output", "e", "TestLater", out("=== RUN   TestLater\n")),
				ev("output", "e", "TestLater", out("    e_test.go:5: needs a GPU\n")),
				ev("output", "e", "TestLater", out("--- SKIP: TestLater (0.00s)\n")),
				ev("skip", "e", "TestLater"),
				ev("pass", "e", "", took(0.01)),
				ev("start", "f", ""),
				ev("output", "f", "", out("?   \texample.com/m/f\t[no test files]\n")),
				ev("skip", "f", ""),
			},
			want: []string{
				"  skip  TestLater  e\n",
				"        e_test.go:5: needs a GPU\n",
				"ok      e  10ms  (1 test, 1 skipped)\n",
				"?       f  [no test files]\n",
				"1 package ok, 0 failed; 0 tests passed, 0 failed, 1 skipped",
			},
			absent: []string{"--- SKIP"},
		},
		{
			name:  "lines that are not events are printed as they are",
			lines: []string{"go: downloading example.com/x v1.0.0", "{not json"},
			want:  []string{"go: downloading example.com/x v1.0.0\n", "{not json\n"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := feed(t, tc.lines...)
			rest := got
			for _, want := range tc.want {
				i := strings.Index(rest, want)
				if i < 0 {
					t.Fatalf("missing (or out of order) %q in:\n%s", want, got)
				}
				rest = rest[i+len(want):]
			}
			for _, s := range tc.absent {
				if strings.Contains(got, s) {
					t.Errorf("%q should not be printed:\n%s", s, got)
				}
			}
		})
	}
}

func TestReporterHeartbeat(t *testing.T) {
	var buf bytes.Buffer
	clock := &fakeClock{t: time.Unix(0, 0)}
	r := newReporter(&buf, clock.now)
	r.module = mod
	clock.t = clock.t.Add(time.Minute)
	r.heartbeat()
	r.line(ev("start", "p", ""))
	for _, name := range []string{"TestA", "TestB", "TestC", "TestD", "TestE"} {
		r.line(ev("run", "p", name))
		clock.t = clock.t.Add(10 * time.Second)
	}
	r.line(ev("pause", "p", "TestE"))
	r.line(ev("start", "q", ""))
	clock.t = clock.t.Add(5 * time.Second)
	r.heartbeat()
	r.line(ev("pass", "p", "", took(60)))
	r.line(ev("pass", "q", "", took(10)))
	r.heartbeat()
	got := buf.String()
	for _, want := range []string{
		"  ....  1m0s: compiling (no test binary has started yet)\n",
		"  ....  1m55s, still running: p: TestA (55s), TestB (45s), TestC (35s), 1 more; q: starting (5s)\n",
		"  ....  1m55s: compiling the next packages\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "TestE") {
		t.Errorf("a paused test is shown as running:\n%s", got)
	}
}
