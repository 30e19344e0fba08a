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

// PutFinishingRun stores run-finishing (FinishingRun), running until after
// has passed since its first read. Like the summarizer runs it is not among
// the built-in fixtures, so that lists of those stay as they are.
func (s *Server) PutFinishingRun(after time.Duration) {
	s.PutRunCompletingAfter(FinishingRun(), after)
}
