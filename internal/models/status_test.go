package models

import "testing"

func TestExperimentRunStatus(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		want     ExperimentRunStatus
		known    bool
		terminal bool
	}{
		{"pending", `{"status":"pending"}`, StatusPending, true, false},
		{"running", `{"status":"running"}`, StatusRunning, true, false},
		{"completed", `{"status":"completed"}`, StatusCompleted, true, true},
		{"failed", `{"status":"failed"}`, StatusFailed, true, true},
		{"cancelled", `{"status":"cancelled"}`, StatusCancelled, true, true},
		// Unknown strings are kept as sent, not rejected and not mapped.
		{"unknown kept as is", `{"status":"archived"}`, "archived", false, false},
		{"upper case is not a known status", `{"status":"COMPLETED"}`, "COMPLETED", false, false},
		{"american spelling is not a known status", `{"status":"canceled"}`, "canceled", false, false},
		{"null status", `{"status":null}`, "", false, false},
		{"missing status", `{}`, "", false, false},
		{"empty status", `{"status":""}`, "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := DecodeExperimentResultSummary("run-1", []byte(tt.body))
			if err != nil {
				t.Fatalf("DecodeExperimentResultSummary: %v", err)
			}
			if s.Status != tt.want {
				t.Errorf("Status = %q, want %q", s.Status, tt.want)
			}
			if got := s.Status.String(); got != string(tt.want) {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if got := s.Status.IsKnown(); got != tt.known {
				t.Errorf("IsKnown() = %v, want %v", got, tt.known)
			}
			if got := s.Status.IsTerminal(); got != tt.terminal {
				t.Errorf("IsTerminal() = %v, want %v", got, tt.terminal)
			}
			if s.Status.IsTerminal() && !s.Status.IsKnown() {
				t.Error("a terminal status must be a known one")
			}
		})
	}
}

func TestExperimentRunStatusConstants(t *testing.T) {
	// The API's spelling, which the constants must match exactly.
	want := map[ExperimentRunStatus]string{
		StatusPending:   "pending",
		StatusRunning:   "running",
		StatusCompleted: "completed",
		StatusFailed:    "failed",
		StatusCancelled: "cancelled",
	}
	if len(want) != 5 {
		t.Fatalf("the five statuses are not distinct: %v", want)
	}
	for s, text := range want {
		if string(s) != text || s.String() != text {
			t.Errorf("status %q: want %q", s, text)
		}
	}
}
