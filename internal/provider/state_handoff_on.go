//go:build !nohandoff

package provider

// stateHandoffEnabled says whether NewServer serves through
// stateHandoffServer. Building with -tags nohandoff turns it off, so that
// `make bench` can time plans with and without it in the same run: the
// handoff works around the framework and stays only while it pays for itself.
const stateHandoffEnabled = true
