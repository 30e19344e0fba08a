package models

// ExperimentRunStatus is a run's lifecycle state as the API spells it (lower case).
// Strings the SDK does not know are kept as they are rather than rejected, so a
// newer server state reaches the user instead of an error.
type ExperimentRunStatus string

// The statuses listed by the SDK's ExperimentRunStatus enum.
const (
	StatusPending   ExperimentRunStatus = "pending"
	StatusRunning   ExperimentRunStatus = "running"
	StatusCompleted ExperimentRunStatus = "completed"
	StatusFailed    ExperimentRunStatus = "failed"
	StatusCancelled ExperimentRunStatus = "cancelled"
)

// IsKnown reports whether s is one of the SDK's five statuses.
func (s ExperimentRunStatus) IsKnown() bool {
	switch s {
	case StatusPending, StatusRunning, StatusCompleted, StatusFailed, StatusCancelled:
		return true
	}
	return false
}

// IsTerminal reports whether a run in status s will not change any more.
func (s ExperimentRunStatus) IsTerminal() bool {
	return s == StatusCompleted || s == StatusFailed || s == StatusCancelled
}

// String returns the status as the API spells it.
func (s ExperimentRunStatus) String() string { return string(s) }
