package honeyhive

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/honeyhiveai/terraform-provider-honeyhive/internal/models"
)

// scriptedRun serves one run whose status, and whether its summary lists
// metrics, follow a script: one step per poll of the run object, the last step
// repeating.
type scriptedRun struct {
	mu    sync.Mutex
	steps []scriptStep
	polls int
}

type scriptStep struct {
	status      string
	withMetrics bool
}

func (s *scriptedRun) handler(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	step := s.steps[min(max(s.polls-1, 0), len(s.steps)-1)]
	switch r.URL.Path {
	case "/v1/runs/r1":
		s.polls++
		step = s.steps[min(s.polls-1, len(s.steps)-1)]
		writeJSON(w, 200, fmt.Sprintf(`{"evaluation":{"run_id":"r1","status":%q}}`, step.status))
	case "/v1/runs/r1/summary":
		details := `[]`
		if step.withMetrics {
			details = `[{"metric_name":"accuracy","aggregate":0.9}]`
		}
		writeJSON(w, 200, fmt.Sprintf(`{"status":%q,"success":true,"passed":[],"failed":[],"metrics":{"details":%s}}`, step.status, details))
	default:
		expressNotFound(w, r)
	}
}

func TestWaitForRunSummary(t *testing.T) {
	fast := WaitOptions{PollMin: 5 * time.Millisecond, PollMax: 20 * time.Millisecond}
	cases := []struct {
		name       string
		steps      []scriptStep
		timeout    time.Duration
		wantStatus string
		wantPolls  int
		wantErr    []string // parts of a *WaitTimeoutError's message
	}{
		{
			name:       "completes after a few polls",
			steps:      []scriptStep{{"pending", false}, {"running", false}, {"running", false}, {"completed", true}},
			timeout:    5 * time.Second,
			wantStatus: "completed",
			wantPolls:  4,
		},
		{
			name:       "completed run whose metrics arrive late",
			steps:      []scriptStep{{"completed", false}, {"completed", false}, {"completed", true}},
			timeout:    5 * time.Second,
			wantStatus: "completed",
			wantPolls:  3,
		},
		{
			name:       "failed run is an answer, not an error",
			steps:      []scriptStep{{"running", false}, {"failed", false}},
			timeout:    5 * time.Second,
			wantStatus: "failed",
			wantPolls:  2,
		},
		{
			name:       "cancelled run is an answer",
			steps:      []scriptStep{{"cancelled", false}},
			timeout:    5 * time.Second,
			wantStatus: "cancelled",
			wantPolls:  1,
		},
		{
			name:    "stays running past the deadline",
			steps:   []scriptStep{{"running", false}},
			timeout: 150 * time.Millisecond,
			wantErr: []string{`run "r1"`, `last status was "running"`, "timeouts.read"},
		},
		{
			name:    "metrics never arrive",
			steps:   []scriptStep{{"completed", false}},
			timeout: 150 * time.Millisecond,
			wantErr: []string{`run "r1"`, "still listed no metrics"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			script := &scriptedRun{steps: tc.steps}
			srv := newServer(t, script.handler)
			c := newTestClient(t, srv.URL)
			ctx, cancel := context.WithTimeout(context.Background(), tc.timeout)
			defer cancel()
			start := time.Now()
			summary, err := c.WaitForRunSummary(ctx, "r1", "average", fast, models.SummaryDecodeOptions{})
			if tc.wantErr != nil {
				var timeout *WaitTimeoutError
				if !errors.As(err, &timeout) {
					t.Fatalf("err = %v, want a *WaitTimeoutError", err)
				}
				for _, part := range tc.wantErr {
					if !strings.Contains(err.Error(), part) {
						t.Errorf("error %q does not say %q", err, part)
					}
				}
				if timeout.Polls < 2 || timeout.Waited < 100*time.Millisecond {
					t.Errorf("gave up after %d polls and %s; want several polls up to the deadline", timeout.Polls, timeout.Waited)
				}
				if elapsed := time.Since(start); elapsed > tc.timeout+time.Second {
					t.Errorf("returned %s after a %s deadline", elapsed, tc.timeout)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(summary.Status) != tc.wantStatus || script.polls != tc.wantPolls {
				t.Errorf("status %q after %d polls, want %q after %d", summary.Status, script.polls, tc.wantStatus, tc.wantPolls)
			}
		})
	}
}

// Cancelling (Terraform's Ctrl-C) stops a wait promptly, even mid-backoff.
func TestWaitForRunSummaryCancel(t *testing.T) {
	script := &scriptedRun{steps: []scriptStep{{"running", false}}}
	srv := newServer(t, script.handler)
	c := newTestClient(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.WaitForRunSummary(ctx, "r1", "", WaitOptions{PollMin: 10 * time.Second}, models.SummaryDecodeOptions{})
		done <- err
	}()
	time.Sleep(100 * time.Millisecond) // the first poll is answered; the wait is sleeping
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), `run "r1"`) {
			t.Errorf("err = %v, want context.Canceled naming the run", err)
		}
	case <-time.After(time.Second):
		t.Fatal("the wait did not stop within a second of the cancel")
	}
}
