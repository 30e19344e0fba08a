package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRunServesAndShutsDown(t *testing.T) {
	readyFile := filepath.Join(t.TempDir(), "ready")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-ready-file", readyFile, "-routes", "current",
			"-rejected-key-status", "401"}, &stdout, &stderr)
	}()

	var url string
	deadline := time.Now().Add(10 * time.Second)
	for url == "" {
		if time.Now().After(deadline) {
			t.Fatalf("no ready file; stdout %q stderr %q", stdout.String(), stderr.String())
		}
		if data, err := os.ReadFile(readyFile); err == nil {
			url = strings.TrimSpace(string(data))
		} else {
			time.Sleep(10 * time.Millisecond)
		}
	}

	req, _ := http.NewRequest(http.MethodGet, url+"/v1/runs/"+localhoneyhive.FixtureBaseline+"/summary", nil)
	req.Header.Set("Authorization", "Bearer "+localhoneyhive.DefaultAPIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"run_id":"run-baseline"`) {
		t.Fatalf("summary: %d %.200s", resp.StatusCode, body)
	}
	req.URL.Path = "/v1/runs/run-baseline/result" // -routes current: the alias is gone
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("alias with -routes current: status %d", resp.StatusCode)
	}

	req.Header.Set("Authorization", "Bearer hh_wrong") // -rejected-key-status 401: the answer of older deployments
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong key with -rejected-key-status 401: status %d", resp.StatusCode)
	}

	out := stdout.String()
	for _, want := range []string{url, localhoneyhive.DefaultAPIKey} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout does not mention %q:\n%s", want, out)
		}
	}

	cancel() // what SIGINT/SIGTERM do through signal.NotifyContext
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancellation")
	}
	if _, err := http.Get(url + "/v1/runs"); err == nil {
		t.Error("server still answering after shutdown")
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	tests := [][]string{
		{"-routes", "newest"},
		{"-rejected-key-status", "500"},
		{"-addr", "not-an-address"},
		{"-no-such-flag"},
		{"extra"},
		{"-synthetic", "0"},
		{"-synthetic", "ten"},
		{"-synthetic", "100,"},
		{"-synthetic", "300001"}, // 1.5 million values and one metric more
		{"-synthetic", "10", "-synthetic-metrics", "0"},
		{"-data-plane-api-key", "hh_ro_classic"},
		{"-data-plane-api-key", "hh_fgdp_"},
		{"-project-id", ""},
	}
	for _, args := range tests {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("run(%v) succeeded", args)
		}
	}
}

// startRun runs the command with args (plus a free port and a ready file)
// until the test ends, and returns its URL and standard output.
func startRun(t *testing.T, args ...string) (string, *syncBuffer) {
	t.Helper()
	readyFile := filepath.Join(t.TempDir(), "ready")
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0", "-ready-file", readyFile}, args...), &stdout, &stderr)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run returned %v", err)
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		if data, err := os.ReadFile(readyFile); err == nil {
			return strings.TrimSpace(string(data)), &stdout
		}
		select {
		case err := <-done:
			t.Fatalf("run returned %v before it was ready; stderr %q", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no ready file; stdout %q stderr %q", stdout.String(), stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// get answers a GET of path with the default key: status and body.
func get(t *testing.T, url, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+localhoneyhive.DefaultAPIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// The command the startup message suggests works as printed, whatever
// routes the server serves: with -routes legacy it reads /result, since
// /summary is not served.
func TestRunSuggestsACommandThatWorks(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("curl is needed to run the suggested command as a user would: install it")
	}
	for name, args := range map[string][]string{
		"both":            {"-routes", "both"},
		"current":         {"-routes", "current"},
		"legacy":          {"-routes", "legacy"},
		"a key to quote":  {"-api-key", `hh_it's "quoted" $HOME`},
		"own project":     {"-project-id", `proj 'x'/1`, "-data-plane-api-key", "hh_fgdp_other"},
		"legacy, own key": {"-routes", "legacy", "-api-key", "hh_other"},
	} {
		t.Run(name, func(t *testing.T) {
			url, stdout := startRun(t, args...)
			var command string
			for _, line := range strings.Split(stdout.String(), "\n") {
				if c, ok := strings.CutPrefix(line, "Try: "); ok {
					command = c
				}
			}
			if !strings.HasPrefix(command, "curl ") || !strings.Contains(command, url) {
				t.Fatalf("no curl command for %s in the startup message:\n%s", url, stdout.String())
			}
			out, err := exec.Command("sh", "-c", command).CombinedOutput()
			if err != nil || !strings.Contains(string(out), `"run_id":"run-baseline"`) {
				t.Fatalf("%s: err = %v, output:\n%.300s", command, err, out)
			}
			// The settings lines, run in a shell, set what the provider reads:
			// one for each kind of key.
			lines := map[string]string{}
			for _, line := range strings.Split(stdout.String(), "\n") {
				if name, value, ok := strings.Cut(line, ": "); ok {
					lines[name] = value
				}
			}
			for _, tc := range []struct{ line, vars, want string }{
				{"Provider settings (classic key, classic routes)", `"$HH_DATA_PLANE_URL" "$HH_PROJECT_API_KEY"`,
					url + "\n" + lines["API key"]},
				{"Provider settings (data-plane key, project routes)", `"$HH_DATA_PLANE_URL" "$HH_DATA_PLANE_API_KEY" "$HH_PROJECT_ID"`,
					url + "\n" + lines["Data-plane API key"] + "\n" + lines["Project ID"]},
			} {
				settings := lines[tc.line]
				out, err := exec.Command("sh", "-c", settings+`; printf '%s\n%s\n%s' `+tc.vars).CombinedOutput()
				if err != nil || strings.TrimSuffix(string(out), "\n") != tc.want || !strings.HasPrefix(settings, "export ") {
					t.Errorf("%s: %s: err = %v, set %q; want %q", tc.line, settings, err, out, tc.want)
				}
			}
			// The project route's command reads the summary with the data-plane key.
			command = lines["Try the project route"]
			out, err = exec.Command("sh", "-c", command).CombinedOutput()
			if err != nil || !strings.Contains(string(out), `"run_id":"run-baseline"`) || !strings.Contains(command, "/v1/projects/") {
				t.Errorf("%s: err = %v, output:\n%.300s", command, err, out)
			}
		})
	}
	// Where the hint used to point with -routes legacy: not served.
	url, _ := startRun(t, "-routes", "legacy")
	if status, body := get(t, url, "/v1/runs/run-baseline/summary"); status != http.StatusNotFound {
		t.Errorf("/summary with -routes legacy: %d %.100s", status, body)
	}
}

// -synthetic serves a baseline and a candidate of the size asked, which
// compare with every datapoint paired and show in the list of runs.
func TestRunSynthetic(t *testing.T) {
	url, stdout := startRun(t, "-synthetic", "1200,30", "-synthetic-metrics", "3")
	for _, id := range []string{"run-synthetic-1200", "run-synthetic-1200-candidate", "run-synthetic-30", "run-synthetic-30-candidate", "run-baseline"} {
		if !strings.Contains(stdout.String(), id) {
			t.Errorf("the startup message does not list %s:\n%s", id, stdout.String())
		}
	}
	status, body := get(t, url, "/v1/runs/run-synthetic-1200/summary")
	var summary struct {
		Datapoints []json.RawMessage `json:"datapoints"`
		Metrics    struct {
			Details []json.RawMessage `json:"details"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal([]byte(body), &summary); status != http.StatusOK || err != nil {
		t.Fatalf("summary: %d %v %.200s", status, err, body)
	}
	if len(summary.Datapoints) != 1200 || len(summary.Metrics.Details) != 3 {
		t.Errorf("summary has %d datapoints and %d metrics, want 1200 and 3", len(summary.Datapoints), len(summary.Metrics.Details))
	}
	status, body = get(t, url, "/v1/runs/run-synthetic-1200-candidate/compare/run-synthetic-1200")
	var comparison struct {
		CommonDatapoints []string `json:"commonDatapoints"`
	}
	if err := json.Unmarshal([]byte(body), &comparison); status != http.StatusOK || err != nil || len(comparison.CommonDatapoints) != 1200 {
		t.Errorf("comparison: %d, %d datapoints in common, %v: %.200s", status, len(comparison.CommonDatapoints), err, body)
	}
	if status, body = get(t, url, "/v1/runs?dataset_id=ds-synthetic&limit=100"); status != http.StatusOK || !strings.Contains(body, `"total":4`) {
		t.Errorf("list: %d %.300s", status, body)
	}
}

// -h and the startup message say what each sample run is for.
func TestRunDescribesTheSampleRuns(t *testing.T) {
	var help bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, io.Discard, &help); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	_, stdout := startRun(t, "-finish-after", "3s")
	for name, out := range map[string]string{"-h": help.String(), "the startup message": stdout.String()} {
		for _, want := range []string{
			"run-baseline       completed; the baseline",
			"run-regressed      completed; a candidate that fails",
			"run-running        running, and stays so",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%s does not say %q:\n%s", name, want, out)
			}
		}
	}
	if want := "run-finishing      running until 5s after its first read"; !strings.Contains(help.String(), want) {
		t.Errorf("-h does not say %q:\n%s", want, help.String())
	}
	if want := "run-finishing      running until 3s after its first read"; !strings.Contains(stdout.String(), want) {
		t.Errorf("the startup message does not say %q:\n%s", want, stdout.String())
	}
}

// `make local` builds the server and runs the binary by exec, so the server
// is make's child and stopping make's PID with SIGTERM (kill's default)
// stops it, as stopping `go run` did not.
func TestMakeLocalStopsWithItsPID(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Fatal("make is needed to run `make local` as a user would: install it")
	}
	dir := t.TempDir()
	readyFile := filepath.Join(dir, "ready")
	cmd := exec.Command("make", "--no-print-directory", "local",
		"HONEYHIVE_LOCAL="+filepath.Join(dir, "honeyhive-local"),
		"LOCAL_ARGS=-addr 127.0.0.1:0 -ready-file "+readyFile)
	cmd.Dir = filepath.Join("..", "..")
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	})

	var url string
	deadline := time.Now().Add(5 * time.Minute) // a cold build on a loaded machine
	for url == "" {
		if data, err := os.ReadFile(readyFile); err == nil {
			url = strings.TrimSpace(string(data))
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("make local ended before the server was ready (%v):\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no ready file after 5 minutes:\n%s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if status, body := get(t, url, "/v1/runs/"+localhoneyhive.FixtureFinishing); status != http.StatusOK || !strings.Contains(body, `"status":"running"`) {
		t.Fatalf("run-finishing: %d %.200s", status, body)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		// make reports the server's exit on SIGTERM as an error: that is the stop itself.
		t.Logf("make local exited: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatalf("make local still running 30s after SIGTERM:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "Shutting down") {
		t.Errorf("the server did not shut down on make's SIGTERM:\n%s", out.String())
	}
	client := &http.Client{Timeout: 2 * time.Second}
	if resp, err := client.Get(url + "/v1/runs"); err == nil {
		resp.Body.Close()
		t.Errorf("the server still answers at %s after make was stopped", url)
	}
}
