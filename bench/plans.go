package main

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Running `terraform plan` and measuring it.

// result is what was measured for one configuration of a scenario.
type result struct {
	times      []time.Duration
	peakRSSKiB int64 // provider's peak RSS; 0 when no provider ran
	stateBytes int64 // size of the state in it (the tfstate entry), which holds what the data source read
	phases     *phases
}

// env is how plans run: the environment for plans with the real provider,
// and for the first timed plan of each configuration, run through
// bench/launcher to record the provider's peak RSS.
type env struct {
	tf string
	// direct and launcher give the environment of plans with the provider
	// (this build or the twin), the latter recording its peak RSS.
	direct   func(twin bool) []string
	launcher func(twin bool, rssFile string) []string
}

// measure plans every configuration of s in its own directory under dir:
// one untimed warm-up plan each for small runs, then repsFor timed rounds
// (round-robin, so that drift hits every configuration alike; the first
// through the launcher, saved with -out), then one plan per provider
// configuration with the provider's debug log.
func measure(e env, s *scenario, dir string) error {
	s.results = map[string]*result{}
	dirs := map[string]string{}
	for _, c := range s.configs {
		d := filepath.Join(dir, strings.ReplaceAll(c.key, "/", "-"))
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(d, "main.tf"), []byte(c.hcl), 0o644); err != nil {
			return err
		}
		if c.bodyFile != "" {
			if err := os.WriteFile(filepath.Join(d, c.bodyFile), s.body, 0o644); err != nil {
				return err
			}
		}
		dirs[c.key] = d
		s.results[c.key] = &result{}
	}
	planArgs := []string{"plan", "-input=false", "-no-color", "-lock=false"}
	if s.datapoints < midThreshold {
		for _, c := range s.configs {
			if _, err := terraform(e.tf, dirs[c.key], e.direct(c.twin), planArgs...); err != nil {
				return fmt.Errorf("%s, %s: warm-up plan: %w", s.title(), c.label, err)
			}
		}
	}
	reps := repsFor(s.datapoints)
	for i := range reps {
		for _, c := range s.configs {
			r := s.results[c.key]
			environ, args := e.direct(c.twin), planArgs
			rssFile := filepath.Join(dirs[c.key], "provider-rss.txt")
			planFile := filepath.Join(dirs[c.key], "bench.tfplan")
			if i == 0 {
				args = append(slices.Clone(planArgs), "-out="+planFile)
				if c.provider {
					environ = e.launcher(c.twin, rssFile)
				}
			}
			d, err := terraform(e.tf, dirs[c.key], environ, args...)
			if err != nil {
				return fmt.Errorf("%s, %s: plan: %w", s.title(), c.label, err)
			}
			r.times = append(r.times, d)
			if i > 0 {
				continue
			}
			if r.stateBytes, err = stateSize(planFile); err != nil {
				return fmt.Errorf("%s, %s: plan file: %w", s.title(), c.label, err)
			}
			if c.provider {
				if r.peakRSSKiB, err = maxLine(rssFile); err != nil {
					return fmt.Errorf("%s, %s: provider peak memory: %w", s.title(), c.label, err)
				}
			}
			_ = os.Remove(planFile)
		}
		logf("%s: round %d/%d done", s.title(), i+1, reps)
	}
	for _, c := range s.configs {
		if !c.provider {
			continue
		}
		logPath := filepath.Join(dirs[c.key], "provider-debug.log")
		_ = os.Remove(logPath)
		environ := append(e.direct(c.twin), "TF_LOG_PROVIDER=DEBUG", "TF_LOG_PATH="+logPath)
		d, err := terraform(e.tf, dirs[c.key], environ, planArgs...)
		if err != nil {
			return fmt.Errorf("%s, %s: logged plan: %w", s.title(), c.label, err)
		}
		log, err := os.ReadFile(logPath)
		if err != nil {
			return err
		}
		if s.results[c.key].phases, err = readPhases(log, s.kind, d); err != nil {
			if c.twinOf == "" {
				return fmt.Errorf("%s, %s: %w", s.title(), c.label, err)
			}
			// Another build (-twin-provider) may not log its phases.
			logf("%s, %s: no phases: %v", s.title(), c.label, err)
		}
	}
	return nil
}

// terraform runs one command in dir and returns its wall-clock time.
func terraform(tf, dir string, environ []string, args ...string) (time.Duration, error) {
	var out bytes.Buffer
	cmd := exec.Command(tf, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, environ, &out, &out
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		tail := out.String()
		if len(tail) > 4000 {
			tail = tail[len(tail)-4000:]
		}
		return d, fmt.Errorf("%w\n%s", err, tail)
	}
	return d, nil
}

// stateSize returns the size of the state in a saved plan (the tfstate
// entry of the zip, the state the data sources were read into).
func stateSize(path string) (int64, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == "tfstate" {
			return int64(f.UncompressedSize64), nil
		}
	}
	return 0, errors.New("the plan file holds no tfstate")
}

// maxLine returns the largest of the numbers, one a line, in path: the
// launcher appends one per provider process.
func maxLine(path string) (int64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var best int64
	for _, line := range strings.Fields(string(data)) {
		if v, err := strconv.ParseInt(line, 10, 64); err == nil {
			best = max(best, v)
		}
	}
	if best == 0 {
		return 0, errors.New("the launcher recorded nothing")
	}
	return best, nil
}

func goBuild(root, out, pkg string, extra ...string) error {
	args := append([]string{"build"}, extra...)
	cmd := exec.Command("go", append(args, "-o", out, pkg)...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = root, os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s: %w", pkg, err)
	}
	return nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
