//go:build nohandoff

package provider

// stateHandoffEnabled is false in builds with -tags nohandoff, which `make
// bench` times against the default build (see state_handoff_on.go).
const stateHandoffEnabled = false
