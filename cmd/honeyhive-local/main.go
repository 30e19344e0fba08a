// Command honeyhive-local serves the local HoneyHive stand-in
// (internal/localhoneyhive) with its sample runs, to try the provider without
// a HoneyHive account (`make local`, README "Try it locally"). It prints the
// URL, the keys, the sample runs, a curl command and the provider settings
// for both kinds of key, and stops cleanly on SIGINT or SIGTERM. Besides the
// built-in fixtures it serves the summarizer runs (gate_metrics), run-finishing
// (running until -finish-after has passed since its first read:
// wait_for_completion) and, with -synthetic N, two generated runs of N
// datapoints, the runs `make bench` plans. With -ready-file it writes the URL
// to a file once listening, so scripts can wait for the file.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

// shutdownTimeout bounds how long in-flight requests may take to finish
// after a signal.
const shutdownTimeout = 5 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "honeyhive-local:", err)
		os.Exit(1)
	}
}

// run parses args, serves until ctx is done, then shuts down gracefully.
// It is separate from main so tests can drive it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("honeyhive-local", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:8787", "address to listen on (port 0 picks a free port)")
	readyFile := flags.String("ready-file", "", "write the server URL to this file once listening")
	apiKey := flags.String("api-key", localhoneyhive.DefaultAPIKey, "the classic project key clients must send as a Bearer token on the classic routes (/v1/runs...)")
	dataPlaneKey := flags.String("data-plane-api-key", localhoneyhive.DefaultDataPlaneAPIKey,
		"the fine-grained data-plane key clients must send on the project routes (/v1/projects/{project_id}/runs...)")
	projectID := flags.String("project-id", localhoneyhive.DefaultProjectID, "the project whose routes are served")
	routes := flags.String("routes", "both", "route generation to serve: both, current or legacy")
	synthetic := flags.String("synthetic", "", "add generated runs run-synthetic-N and run-synthetic-N-candidate of N datapoints (comma-separated sizes, e.g. 10000 or 1000,50000)")
	syntheticMetrics := flags.Int("synthetic-metrics", 5, "metrics per datapoint of the -synthetic runs")
	finishAfter := flags.Duration("finish-after", localhoneyhive.DefaultFinishAfter,
		"how long "+localhoneyhive.FixtureFinishing+" stays running after its first read before it completes")
	rejectedKeyStatus := flags.Int("rejected-key-status", http.StatusNotFound,
		"answer to a request without the right key: 404 (as HoneyHive since 2026-09), 401 or 403 (as before)")
	flags.Usage = func() {
		fmt.Fprintf(flags.Output(), "Usage: honeyhive-local [flags]\n\n"+
			"A local HoneyHive-compatible server with sample runs, for trying the provider without an account.\n\n")
		flags.PrintDefaults()
		fmt.Fprintf(flags.Output(), "\nSample runs:\n")
		printSampleRuns(flags.Output(), localhoneyhive.DefaultFinishAfter)
	}
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", flags.Args())
	}
	generation, ok := routeGenerations[*routes]
	if !ok {
		return fmt.Errorf("-routes must be both, current or legacy, not %q", *routes)
	}
	sizes, err := parseSynthetic(*synthetic, *syntheticMetrics)
	if err != nil {
		return err
	}
	if *finishAfter < 0 {
		return fmt.Errorf("-finish-after must not be negative, not %s", *finishAfter)
	}
	if !strings.HasPrefix(*dataPlaneKey, "hh_fgdp_") || *dataPlaneKey == "hh_fgdp_" {
		return fmt.Errorf("-data-plane-api-key must be a data-plane key: hh_fgdp_ followed by the rest of the key")
	}
	if *projectID == "" {
		return errors.New("-project-id must not be empty")
	}
	switch *rejectedKeyStatus {
	case http.StatusNotFound, http.StatusUnauthorized, http.StatusForbidden:
	default:
		return fmt.Errorf("-rejected-key-status must be 404, 401 or 403, not %d", *rejectedKeyStatus)
	}

	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	serverURL := "http://" + listener.Addr().String()
	srv := localhoneyhive.New(localhoneyhive.WithAPIKey(*apiKey), localhoneyhive.WithRoutes(generation),
		localhoneyhive.WithRejectedKeyStatus(*rejectedKeyStatus),
		localhoneyhive.WithDataPlaneAPIKey(*dataPlaneKey), localhoneyhive.WithProjects(*projectID))
	srv.PutSummarizerRuns()
	srv.PutFinishingRun(*finishAfter)
	for _, n := range sizes {
		srv.PutSyntheticRuns(n, *syntheticMetrics)
	}
	httpServer := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
	}

	serveErr := make(chan error, 1)
	go func() { serveErr <- httpServer.Serve(listener) }()

	fmt.Fprintf(stdout, "HoneyHive local server listening on %s\n", serverURL)
	fmt.Fprintf(stdout, "API key: %s\n", *apiKey)
	fmt.Fprintf(stdout, "Data-plane API key: %s\n", *dataPlaneKey)
	fmt.Fprintf(stdout, "Project ID: %s\n", *projectID)
	fmt.Fprintf(stdout, "Routes: %s, and /v1/projects/%s/runs...; runs: %v\n", generation, url.PathEscape(*projectID), srv.RunIDs())
	fmt.Fprintln(stdout, "Sample runs:")
	printSampleRuns(stdout, *finishAfter)
	fmt.Fprintf(stdout, "Try: %s\n", curlCommand(serverURL, *apiKey, summaryPath(generation, localhoneyhive.FixtureBaseline)))
	fmt.Fprintf(stdout, "Try the project route: %s\n", curlCommand(serverURL, *dataPlaneKey,
		"/v1/projects/"+url.PathEscape(*projectID)+"/runs/"+url.PathEscape(localhoneyhive.FixtureBaseline)+"/summary"))
	fmt.Fprintf(stdout, "Provider settings (data-plane key, project routes): export HH_DATA_PLANE_URL=%s HH_DATA_PLANE_API_KEY=%s HH_PROJECT_ID=%s\n",
		shellQuote(serverURL), shellQuote(*dataPlaneKey), shellQuote(*projectID))
	fmt.Fprintf(stdout, "Provider settings (classic key, classic routes): export HH_DATA_PLANE_URL=%s HH_PROJECT_API_KEY=%s\n",
		shellQuote(serverURL), shellQuote(*apiKey))

	if *readyFile != "" {
		if err := writeFileAtomically(*readyFile, serverURL+"\n"); err != nil {
			_ = httpServer.Close()
			return fmt.Errorf("writing ready file: %w", err)
		}
	}

	select {
	case err := <-serveErr:
		return err // Serve failed before any shutdown was asked for
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "Shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-serveErr; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// sampleRuns says what each sample run is for, in the order printed.
var sampleRuns = []struct{ id, what string }{
	{localhoneyhive.FixtureBaseline, "completed; the baseline to compare with (accuracy 0.625, 8 datapoints)"},
	{localhoneyhive.FixtureCandidate, "completed; a candidate that passes the gates against run-baseline (accuracy 0.889)"},
	{localhoneyhive.FixtureRegressed, "completed; a candidate that fails them (accuracy 0.375, 2 datapoints fail that passed)"},
	{localhoneyhive.FixtureRunning, "running, and stays so: a gate that waits for it times out"},
	{localhoneyhive.FixtureFailed, "failed, with an error message: gates must refuse it"},
	{localhoneyhive.FixtureEmptyMetrics, "completed, but lists no metrics yet"},
	{localhoneyhive.FixtureSummarizerV1, "completed; four metrics before a prompt change (gate_metrics)"},
	{localhoneyhive.FixtureSummarizerV2, "completed; the same after it: faithfulness regressed alone, not as one of four"},
	{localhoneyhive.FixtureFinishing, "running until %s after its first read, then completed (9 of 10 pass): try wait_for_completion"},
	{localhoneyhive.FixtureLegacy, "completed; an older deployment's summary (legacy metrics format)"},
	{localhoneyhive.FixtureMixed, "completed; boolean, string and null metric values"},
	{localhoneyhive.FixtureRepeated, "completed; accuracy evaluated on two events"},
}

// printSampleRuns writes one line per sample run: its ID and what it is for.
func printSampleRuns(w io.Writer, finishAfter time.Duration) {
	for _, r := range sampleRuns {
		what := r.what
		if r.id == localhoneyhive.FixtureFinishing {
			what = fmt.Sprintf(what, finishAfter)
		}
		fmt.Fprintf(w, "  %-18s %s\n", r.id, what)
	}
}

// routeGenerations are -routes' values.
var routeGenerations = map[string]localhoneyhive.RouteGeneration{
	"both": localhoneyhive.RoutesBoth, "current": localhoneyhive.RoutesCurrentOnly, "legacy": localhoneyhive.RoutesLegacyOnly,
}

// maxSyntheticValues bounds -synthetic: 1.5 million metric values make a
// summary of about 200 MiB, under the provider's 256 MiB response limit.
const maxSyntheticValues = 1_500_000

// parseSynthetic reads -synthetic's comma-separated datapoint counts.
func parseSynthetic(list string, metrics int) ([]int, error) {
	if list == "" {
		return nil, nil
	}
	if metrics < 1 {
		return nil, fmt.Errorf("-synthetic-metrics must be at least 1, not %d", metrics)
	}
	var sizes []int
	for _, field := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-synthetic takes datapoint counts of at least 1, separated by commas (e.g. 10000 or 1000,50000), not %q", field)
		}
		if n > maxSyntheticValues/metrics {
			return nil, fmt.Errorf("-synthetic %d with %d metrics is %d values; at most %d (a summary of about 200 MiB; the provider refuses responses over 256 MiB)",
				n, metrics, n*metrics, maxSyntheticValues)
		}
		if !slices.Contains(sizes, n) {
			sizes = append(sizes, n)
		}
	}
	return sizes, nil
}

// summaryPath is the path of a run's summary on the routes the server
// serves: /result when only the legacy routes are served.
func summaryPath(generation localhoneyhive.RouteGeneration, runID string) string {
	if generation == localhoneyhive.RoutesLegacyOnly {
		return "/v1/runs/" + url.PathEscape(runID) + "/result"
	}
	return "/v1/runs/" + url.PathEscape(runID) + "/summary"
}

// curlCommand is the shell command the startup message suggests.
func curlCommand(serverURL, apiKey, path string) string {
	return "curl -H " + shellQuote("Authorization: Bearer "+apiKey) + " " + shellQuote(serverURL+path)
}

// shellQuote quotes s for a POSIX shell: in single quotes, each single quote
// written as '"'"'.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// writeFileAtomically writes through a temporary file and a rename, so a
// script watching for the file never reads it half-written.
func writeFileAtomically(path, content string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
