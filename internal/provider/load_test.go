package provider

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/localhoneyhive"
)

const (
	loadRuns = 50
	// loadSlots is how many requests the rate-limited server serves at once;
	// the others get 429 with Retry-After: 1.
	loadSlots = 4
	// loadServiceTime is how long an admitted request holds its slot: the
	// server's own work on a summary, so that Terraform's parallel reads
	// (-parallelism=10) really do exceed the 4 slots.
	loadServiceTime = 40 * time.Millisecond
	// loadMaxRetries is set in the provider block of the load config, above
	// the default of 4, to keep this test from flaking.
	//
	// With the defaults every read did succeed, but with little margin: on a
	// busy 2-core machine one request was rejected 2, then 3 times in a row
	// against a budget of 4 retries. Every 429 carries Retry-After: 1, and
	// reads rejected together came back together and collided again; the
	// client now adds up to one minimum wait of jitter on top of Retry-After
	// for that reason. 10 retries still leave room for a loaded CI machine,
	// and the per-run bound below (reads per step × 11 attempts) catches a
	// runaway retry loop; the longest streak of 429s is logged to watch the
	// margin.
	loadMaxRetries = 10
)

// limiter admits loadSlots requests at a time to the local server and
// answers the rest 429, counting requests per run.
type limiter struct {
	next  http.Handler
	slots chan struct{}

	mu        sync.Mutex
	limiting  bool
	served    map[string]int // requests admitted, per run
	rejected  map[string]int // 429s, per run
	streak    map[string]int // 429s since the run's last admitted request
	maxStreak int            // longest run of 429s before a request got through
	inFlight  int
	maxFlight int
}

func newLimiter(next http.Handler) *limiter {
	return &limiter{
		next:     next,
		slots:    make(chan struct{}, loadSlots),
		served:   map[string]int{},
		rejected: map[string]int{},
		streak:   map[string]int{},
	}
}

// runOf returns the run ID of /v1/runs/{id}[/...].
func runOf(path string) string {
	rest, ok := strings.CutPrefix(path, "/v1/runs/")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, "/")
	return id
}

func (l *limiter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	run := runOf(r.URL.Path)
	l.mu.Lock()
	limiting := l.limiting
	l.inFlight++
	l.maxFlight = max(l.maxFlight, l.inFlight)
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		l.inFlight--
		l.mu.Unlock()
	}()

	if limiting {
		select {
		case l.slots <- struct{}{}:
			defer func() { <-l.slots }()
		default:
			l.mu.Lock()
			l.rejected[run]++
			l.streak[run]++
			l.mu.Unlock()
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"statusCode":429,"message":"Too many requests, please try again later.","success":false,"errorCode":"RATE_LIMITED"}`)
			return
		}
	}
	l.mu.Lock()
	l.served[run]++
	// A run's reads are sequential (plan, apply, refresh, plan; summary then
	// run object), so its 429s since the last admitted request are the
	// retries of the request now admitted.
	l.maxStreak = max(l.maxStreak, l.streak[run])
	l.streak[run] = 0
	l.mu.Unlock()
	time.Sleep(loadServiceTime)
	l.next.ServeHTTP(w, r)
}

// reset starts a new phase: counters cleared, limiting on or off.
func (l *limiter) reset(limiting bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.limiting = limiting
	l.served, l.rejected, l.streak = map[string]int{}, map[string]int{}, map[string]int{}
	l.maxFlight, l.maxStreak = 0, 0
}

func (l *limiter) counts() (served, rejected map[string]int, maxFlight, maxStreak int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return copyCounts(l.served), copyCounts(l.rejected), l.maxFlight, l.maxStreak
}

func copyCounts(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func loadRunID(i int) string { return fmt.Sprintf("load-%02d", i) }

// loadConfig reads the loadRuns runs, with max_retries = loadMaxRetries.
func loadConfig() string {
	return fmt.Sprintf(`
provider "honeyhive" {
  max_retries = %d
}

data "honeyhive_experiment_run" "load" {
  count  = %d
  run_id = format("load-%%02d", count.index)
}
`, loadMaxRetries, loadRuns)
}

// TestAccLoad reads 50 runs in one plan from a server that serves 4 requests
// at a time and answers 429 beyond that: every read must succeed, within the
// retry policy's number of requests per run.
func TestAccLoad(t *testing.T) {
	t.Parallel()
	lim := (*limiter)(nil)
	srv := newWrappedTestServer(t, func(s *localhoneyhive.Server) http.Handler {
		lim = newLimiter(s)
		return lim
	}, localhoneyhive.WithoutFixtures())
	for i := range loadRuns {
		srv.PutRun(localhoneyhive.GenerateRun(loadRunID(i), 20, 3, int64(i)))
	}

	checks := []statecheck.StateCheck{}
	for _, i := range []int{0, 17, loadRuns - 1} {
		addr := fmt.Sprintf("data.honeyhive_experiment_run.load[%d]", i)
		checks = append(checks,
			expect(addr, knownvalue.StringExact(loadRunID(i)), "run_id"),
			expect(addr, knownvalue.StringExact("completed"), "status"),
			expect(addr, knownvalue.StringExact("synthetic-"+loadRunID(i)), "name"),
			expect(addr, knownvalue.Int64Exact(20), "datapoint_count"),
			expect(addr, knownvalue.MapSizeExact(3), "metrics"),
		)
	}
	step := resource.TestStep{Config: loadConfig(), ConfigStateChecks: checks}

	// Phase 1, no limit: how many requests one test step makes per run
	// (plugin-testing reads every data source in plan, apply, refresh and the
	// final plan; a read is the summary, plus the run object when the summary
	// lacks it).
	lim.reset(false)
	start := time.Now()
	srv.test(t, step)
	baseline, _, baseFlight, _ := lim.counts()
	baseTook := time.Since(start)
	if t.Failed() {
		return
	}
	perRun := baseline[loadRunID(0)]
	for i := range loadRuns {
		if n := baseline[loadRunID(i)]; n != perRun || n == 0 {
			t.Fatalf("baseline: run %s had %d requests, run %s %d: reads per data source are not uniform", loadRunID(i), n, loadRunID(0), perRun)
		}
	}
	t.Logf("baseline without limit: %d requests per run (%d in all), up to %d in flight, %v", perRun, perRun*loadRuns, baseFlight, baseTook.Round(time.Millisecond))

	// Phase 2: 4 slots, 429 beyond.
	lim.reset(true)
	start = time.Now()
	srv.test(t, step)
	took := time.Since(start)
	served, rejected, maxFlight, maxStreak := lim.counts()
	if t.Failed() {
		return
	}

	// Each read succeeds once; each request the client makes for it may be
	// rejected, up to max_retries times per request.
	bound := perRun * (loadMaxRetries + 1)
	total429, worst, worstRun := 0, 0, ""
	hist := map[int]int{} // 429s per run -> number of runs
	for i := range loadRuns {
		id := loadRunID(i)
		if served[id] != perRun {
			t.Errorf("run %s: %d requests served, want %d (one per read, as without the limit)", id, served[id], perRun)
		}
		all := served[id] + rejected[id]
		if all > bound {
			t.Errorf("run %s: %d requests, more than the retry policy allows (%d reads × %d attempts = %d)", id, all, perRun, loadMaxRetries+1, bound)
		}
		total429 += rejected[id]
		hist[rejected[id]]++
		if all > worst {
			worst, worstRun = all, id
		}
	}
	var keys []int
	for k := range hist {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var hs []string
	for _, k := range keys {
		hs = append(hs, fmt.Sprintf("%d×%d", hist[k], k))
	}
	if maxStreak > loadMaxRetries {
		t.Errorf("a request was rejected %d times in a row, more than max_retries = %d", maxStreak, loadMaxRetries)
	}
	if total429 == 0 {
		t.Errorf("no 429 at all: the limiter did not limit (max %d in flight)", maxFlight)
	}
	t.Logf("with %d slots: %d data sources read, %d requests served, %d answered 429 and absorbed by retries (runs×429s: %s); "+
		"up to %d requests in flight; longest run of 429s before a request got through: %d (max_retries %d); "+
		"busiest run %s with %d requests (bound %d = %d per step × %d attempts); took %v",
		loadSlots, loadRuns, perRun*loadRuns, total429, strings.Join(hs, ", "), maxFlight, maxStreak, loadMaxRetries,
		worstRun, worst, bound, perRun, loadMaxRetries+1, took.Round(time.Millisecond))
}
