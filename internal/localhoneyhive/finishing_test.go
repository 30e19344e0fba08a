package localhoneyhive

import (
	"testing"
	"time"
)

// run-finishing is running until the delay has passed since its first read,
// however long it sat unread, and then completed with its metrics.
func TestFinishingRunCompletesAfterItsFirstRead(t *testing.T) {
	const after = 200 * time.Millisecond
	s := New(WithoutFixtures())
	s.PutFinishingRun(after)

	status := func(path string) (string, map[string]any) {
		t.Helper()
		rec := get(t, s, path)
		if rec.Code != 200 {
			t.Fatalf("GET %s: %d %.200s", path, rec.Code, rec.Body.String())
		}
		body := decodeObject(t, rec)
		if run, ok := body["evaluation"].(map[string]any); ok {
			return run["status"].(string), body
		}
		return body["status"].(string), body
	}

	// Unread for longer than the delay, and listed: still running.
	time.Sleep(2 * after)
	if rec := get(t, s, "/v1/runs"); rec.Code != 200 {
		t.Fatalf("list: %d", rec.Code)
	}
	first := time.Now()
	if got, body := status("/v1/runs/" + FixtureFinishing + "/summary"); got != "running" || field(t, body, "metrics", "details") != nil && len(field(t, body, "metrics", "details").([]any)) != 0 {
		t.Fatalf("first read: status %q, metrics %v; want running without metrics", got, field(t, body, "metrics"))
	}
	if got, _ := status("/v1/runs/" + FixtureFinishing); got != "running" {
		t.Fatalf("run object right after the first read: %q, want running", got)
	}

	deadline := first.Add(after + 5*time.Second)
	for {
		got, _ := status("/v1/runs/" + FixtureFinishing)
		if got == "completed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %q %s after the first read", got, time.Since(first))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if waited := time.Since(first); waited < after {
		t.Errorf("completed %s after the first read, before the %s asked for", waited, after)
	}
	_, body := status("/v1/runs/" + FixtureFinishing + "/summary")
	if passed, failed := len(field(t, body, "passed").([]any)), len(field(t, body, "failed").([]any)); passed != 9 || failed != 1 {
		t.Errorf("completed run: %d passed, %d failed; want 9 and 1", passed, failed)
	}
	if got := len(field(t, body, "metrics", "details").([]any)); got != 3 {
		t.Errorf("completed run lists %d metrics, want 3", got)
	}
}
