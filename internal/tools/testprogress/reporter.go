package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"
)

// event is one line of `go test -json` (cmd/test2json), build events included.
type event struct {
	Action      string
	Package     string
	ImportPath  string // build-output and build-fail events
	Test        string
	Elapsed     float64 // seconds
	Output      string
	FailedBuild string
}

// pkg is what the reporter knows about one package's run.
type pkg struct {
	started  time.Time
	running  map[string]time.Time // top-level tests started and not finished
	paused   map[string]bool      // parallel tests waiting for their turn
	output   map[string][]string  // each running top-level test's output, subtests included
	pkgLines []string             // output outside any test (TestMain, panics, FAIL)
	passed   int
	failed   int
	skipped  int
}

// reporter turns events into progress lines.
type reporter struct {
	out      io.Writer
	now      func() time.Time
	start    time.Time
	lastLine time.Time
	module   string // trimmed from package paths
	packages map[string]*pkg
	order    []string // packages in the order they started

	pkgsOK, pkgsFailed int
	pkgsSkipped        int // packages without test files
	passed, failed     int
	skipped            int
	failures           []string // "package TestName" of each failed top-level test, or "package" of a failed package
}

func newReporter(out io.Writer, now func() time.Time) *reporter {
	start := now()
	return &reporter{out: out, now: now, start: start, lastLine: start, module: modulePath(), packages: map[string]*pkg{}}
}

// modulePath reads the module path from ./go.mod, so lines can name packages
// by their path inside the module; empty when there is none.
func modulePath() string {
	data, err := os.ReadFile("go.mod")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

func (r *reporter) short(path string) string {
	if r.module == "" {
		return path
	}
	if path == r.module {
		return "."
	}
	if rest, ok := strings.CutPrefix(path, r.module+"/"); ok {
		return rest
	}
	return path
}

func (r *reporter) printf(format string, args ...any) {
	fmt.Fprintf(r.out, format, args...)
	r.lastLine = r.now()
}

// consume reads the command's standard output to its end, printing progress,
// and a heartbeat line after heartbeat without any other line.
func (r *reporter) consume(stdout io.Reader, heartbeat time.Duration) {
	lines := make(chan string)
	go func() {
		defer close(lines)
		scanner := bufio.NewScanner(stdout)
		scanner.Buffer(make([]byte, 64*1024), 16*1024*1024)
		for scanner.Scan() {
			lines <- scanner.Text()
		}
		if err := scanner.Err(); err != nil {
			lines <- "testprogress: reading go test's output: " + err.Error()
		}
	}()
	var tick <-chan time.Time
	if heartbeat > 0 {
		ticker := time.NewTicker(min(heartbeat, 5*time.Second))
		defer ticker.Stop()
		tick = ticker.C
	}
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				return
			}
			r.line(line)
		case <-tick:
			if r.now().Sub(r.lastLine) >= heartbeat {
				r.heartbeat()
			}
		}
	}
}

// line handles one line of output: a JSON event, or anything else as is.
func (r *reporter) line(line string) {
	var e event
	if !strings.HasPrefix(line, "{") || json.Unmarshal([]byte(line), &e) != nil || e.Action == "" {
		r.printf("%s\n", line)
		return
	}
	r.handle(e)
}

func (r *reporter) pkg(name string) *pkg {
	p, ok := r.packages[name]
	if !ok {
		p = &pkg{started: r.now(), running: map[string]time.Time{}, paused: map[string]bool{}, output: map[string][]string{}}
		r.packages[name] = p
		r.order = append(r.order, name)
	}
	return p
}

func topLevel(test string) string {
	name, _, _ := strings.Cut(test, "/")
	return name
}

func (r *reporter) handle(e event) {
	switch e.Action {
	case "build-output":
		r.printf("%s", e.Output)
		return
	case "build-fail":
		return // the package's fail event follows and says so
	}
	if e.Package == "" {
		return
	}
	p := r.pkg(e.Package)
	top := topLevel(e.Test)
	switch {
	case e.Action == "output" && e.Test == "":
		p.pkgLines = append(p.pkgLines, e.Output)
	case e.Action == "output":
		p.output[top] = append(p.output[top], e.Output)
	case e.Test == "":
		r.packageDone(e, p)
	case e.Test != top: // subtests are reported with their top-level test
	case e.Action == "run":
		p.running[top] = r.now()
	case e.Action == "pause":
		p.paused[top] = true
	case e.Action == "cont":
		delete(p.paused, top)
		p.running[top] = r.now()
	case e.Action == "pass" || e.Action == "fail" || e.Action == "skip":
		r.testDone(e, p)
	}
}

func elapsed(seconds float64) time.Duration {
	return (time.Duration(seconds * float64(time.Second))).Round(10 * time.Millisecond)
}

func (r *reporter) testDone(e event, p *pkg) {
	output := p.output[e.Test]
	delete(p.output, e.Test)
	delete(p.running, e.Test)
	delete(p.paused, e.Test)
	switch e.Action {
	case "pass":
		p.passed++
		r.passed++
		r.printf("    ok  %s  %s  %s\n", e.Test, elapsed(e.Elapsed), r.short(e.Package))
	case "skip":
		p.skipped++
		r.skipped++
		r.printf("  skip  %s  %s\n", e.Test, r.short(e.Package))
		for _, line := range output {
			// The reason: what the test logged; not the RUN/SKIP framing.
			if t := strings.TrimSpace(line); !strings.HasPrefix(t, "=== ") && !strings.HasPrefix(t, "--- ") {
				r.printf("        %s", strings.TrimLeft(line, " \t"))
			}
		}
	case "fail":
		p.failed++
		r.failed++
		r.failures = append(r.failures, r.short(e.Package)+" "+e.Test)
		r.printf("  FAIL  %s  %s  %s\n", e.Test, elapsed(e.Elapsed), r.short(e.Package))
		for _, line := range output {
			r.printf("%s", line)
		}
	}
}

func (r *reporter) packageDone(e event, p *pkg) {
	name := r.short(e.Package)
	switch e.Action {
	case "start", "run", "pause", "cont":
		return
	case "pass":
		r.pkgsOK++
		r.printf("ok      %s  %s  (%s)\n", name, elapsed(e.Elapsed), p.counts())
	case "skip":
		r.pkgsSkipped++
		r.printf("?       %s  [no test files]\n", name)
	case "fail":
		r.pkgsFailed++
		r.failures = append(r.failures, name)
		// Tests that never finished (a panic, a timeout) and the package's
		// own output say why.
		for _, test := range slices.Sorted(maps.Keys(p.output)) {
			r.printf("  FAIL  %s  (did not finish)  %s\n", test, name)
			for _, line := range p.output[test] {
				r.printf("%s", line)
			}
		}
		for _, line := range p.pkgLines {
			r.printf("%s", line)
		}
		why := ""
		if e.FailedBuild != "" {
			why = "  [build failed]"
		}
		r.printf("FAIL    %s  %s  (%s)%s\n", name, elapsed(e.Elapsed), p.counts(), why)
	}
	delete(r.packages, e.Package)
	r.order = slices.DeleteFunc(r.order, func(s string) bool { return s == e.Package })
}

func (p *pkg) counts() string {
	s := plural(p.passed+p.failed+p.skipped, "test")
	if p.failed > 0 {
		s += fmt.Sprintf(", %d failed", p.failed)
	}
	if p.skipped > 0 {
		s += fmt.Sprintf(", %d skipped", p.skipped)
	}
	return s
}

// heartbeat says what is still running.
func (r *reporter) heartbeat() {
	now := r.now()
	took := now.Sub(r.start).Round(time.Second)
	if len(r.order) == 0 {
		if r.pkgsOK+r.pkgsFailed+r.pkgsSkipped == 0 {
			r.printf("  ....  %s: compiling (no test binary has started yet)\n", took)
		} else {
			r.printf("  ....  %s: compiling the next packages\n", took)
		}
		return
	}
	var parts []string
	for _, name := range r.order {
		p := r.packages[name]
		type runningTest struct {
			name  string
			since time.Duration
		}
		var tests []runningTest
		for test, since := range p.running {
			if !p.paused[test] {
				tests = append(tests, runningTest{test, now.Sub(since).Round(time.Second)})
			}
		}
		slices.SortFunc(tests, func(a, b runningTest) int { return int(b.since - a.since) })
		part := r.short(name) + ": "
		switch {
		case len(tests) == 0 && len(p.paused) > 0:
			part += fmt.Sprintf("%d parallel tests waiting", len(p.paused))
		case len(tests) == 0:
			part += fmt.Sprintf("starting (%s)", now.Sub(p.started).Round(time.Second))
		default:
			var names []string
			for i, t := range tests {
				if i == 3 {
					names = append(names, fmt.Sprintf("%d more", len(tests)-3))
					break
				}
				names = append(names, fmt.Sprintf("%s (%s)", t.name, t.since))
			}
			part += strings.Join(names, ", ")
		}
		parts = append(parts, part)
	}
	r.printf("  ....  %s, still running: %s\n", took, strings.Join(parts, "; "))
}

// finish prints the totals and the failures once more.
func (r *reporter) finish() {
	took := r.now().Sub(r.start).Round(100 * time.Millisecond)
	r.printf("%s ok, %d failed; %s passed, %d failed, %d skipped; %s\n",
		plural(r.pkgsOK, "package"), r.pkgsFailed, plural(r.passed, "test"), r.failed, r.skipped, took)
	if len(r.failures) > 0 {
		r.printf("failed: %s\n", strings.Join(r.failures, ", "))
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
