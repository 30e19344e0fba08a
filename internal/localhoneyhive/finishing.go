package localhoneyhive

import "time"

// FixtureFinishing is the run PutFinishingRun stores: running when first
// read, completed a few seconds later, to try wait_for_completion on.
const FixtureFinishing = "run-finishing"

// DefaultFinishAfter is how long run-finishing stays running after its first
// read in cmd/honeyhive-local: long enough to see a plan wait, short enough
// that the provider's first polls (1 s, then 2 s, 4 s ...) find it completed.
const DefaultFinishAfter = 5 * time.Second

// pendingCompletion is a run stored as running that becomes the completed run
// after a delay counted from the first request touching it.
type pendingCompletion struct {
	completed Run
	after     time.Duration
}

// PutRunCompletingAfter stores completed as a run that is still running: the
// same run with status "running", no metrics and no datapoints (as
// HoneyHive serves a run whose evaluators have not finished). The first
// request that touches the run (its summary, its run object or a comparison
// with it; listing runs does not count) starts a timer: after, the run is
// replaced by completed. Counting from the first read rather than from the
// server's start means a user who starts the server and reads the run
// minutes later still sees it wait.
func (s *Server) PutRunCompletingAfter(completed Run, after time.Duration) {
	running := completed.clone()
	running.Status = "running"
	running.Error = ""
	running.UpdatedAt = time.Time{}
	running.Metrics, running.Datapoints = nil, nil
	s.PutRun(running)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending == nil {
		s.pending = map[string]*pendingCompletion{}
	}
	s.pending[completed.ID] = &pendingCompletion{completed: completed.clone(), after: after}
}

// startCompletionLocked starts the timer of a pending run touched by a
// request, once. s.mu must be held.
func (s *Server) startCompletionLocked(runID string) {
	p, ok := s.pending[runID]
	if !ok {
		return
	}
	delete(s.pending, runID)
	time.AfterFunc(p.after, func() { s.PutRun(p.completed) })
}

// FinishingRun is run-finishing once completed: the support-QA set's
// dp-01..dp-10 with 9 of them passing (pass rate 0.9, 95% Wilson interval
// from 0.596), so examples/gates/wait_for_run.tf passes on it with its
// defaults once the wait is over.
func FinishingRun() Run {
	run := supportQARun(FixtureFinishing, "nightly-finishing", 9, "gpt-4o",
		ciMetadata{gitSHA: "a1b2c3d", branch: "feature/gpt-4o", build: 110},
		qaRow{"dp-01", 1, 0.86, 900},
		qaRow{"dp-02", 1, 0.92, 1150},
		qaRow{"dp-03", 1, 0.74, 1480},
		qaRow{"dp-04", 1, 0.81, 990},
		qaRow{"dp-05", 1, 0.71, 1260},
		qaRow{"dp-06", 1, 0.88, 860},
		qaRow{"dp-07", 0, 0.76, 1390},
		qaRow{"dp-08", 1, 0.79, 1040},
		qaRow{"dp-09", 1, 0.83, 1210},
		qaRow{"dp-10", 1, 0.80, 1100},
	)
	run.Description = "Evaluation started by the pipeline moments ago"
	return run
}

// PutFinishingRun stores run-finishing (FinishingRun), running until after
// has passed since its first read. Like the summarizer runs it is not among
// the built-in fixtures, so that lists of those stay as they are.
func (s *Server) PutFinishingRun(after time.Duration) {
	s.PutRunCompletingAfter(FinishingRun(), after)
}
