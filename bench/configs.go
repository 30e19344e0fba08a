package main

import (
	"fmt"
	"strconv"
)

// What is measured: for each data source and run size, Terraform
// configurations that gate on the same value.

const metricsPerRun = 5

// config is one Terraform configuration under test.
type config struct {
	key, label string
	provider   bool   // uses the honeyhive provider
	hcl        string // main.tf
	// twin runs the twin provider (-twin-provider), another build of the
	// provider, to compare two builds in the same rounds.
	twin bool
	// twinOf is the key of the configuration this one repeats with the twin.
	twinOf string
}

// twinName says what runs the twins: "with" the -twin-provider binary.
var twinName string

// withTwins returns, for each configuration of cs in keys, a twin run by the
// twin provider (see twinName), after cs.
func withTwins(cs []config, keys ...string) []config {
	out := cs
	for _, c := range cs {
		for _, k := range keys {
			if c.key == k && c.provider {
				out = append(out, config{key: c.key + "/twin", label: c.label + ", " + twinName,
					provider: true, hcl: c.hcl, twin: true, twinOf: c.key})
			}
		}
	}
	return out
}

// scenario is one data source read at one size: its configurations, the
// body (b) reads from disk, and the bytes the provider reads.
type scenario struct {
	kind       string // "run" or "comparison"
	datapoints int
	configs    []config
	// bodyFile is the file (b) reads, holding body.
	bodyFile string
	body     []byte
	// providerBytes is what the provider fetches: the summary, or the
	// comparison and both summaries.
	providerBytes int
	reps          int
	results       map[string]*result
}

func (s *scenario) title() string {
	if s.kind == "comparison" {
		return "`honeyhive_run_comparison`, two runs of " + thousands(s.datapoints) + " datapoints"
	}
	return "`honeyhive_experiment_run`, " + thousands(s.datapoints) + " datapoints"
}

// The configuration keys, the same for both data sources.
const (
	keyDefaults = "a"  // the data source with its defaults (include_datapoints = false)
	keyInclude  = "a+" // the same with include_datapoints = true
	keyDecode   = "b"  // the same gate over jsondecode(file(...)) of the body
	keyEmpty    = "c"  // an empty configuration: Terraform's floor
)

const (
	labelDefaults = "(a) data source, defaults (include_datapoints = false)"
	labelInclude  = "(a+) data source, include_datapoints = true"
)

var emptyConfig = config{key: keyEmpty, label: "(c) empty configuration", hcl: "# Empty: Terraform's floor.\n"}

const providerBlock = `terraform {
  required_providers {
    honeyhive = {
      source = "honeyhiveai/honeyhive"
    }
  }
}

provider "honeyhive" {}
`

// runConfigs gate on metrics["accuracy"].aggregate.
func runConfigs(runID string, include bool) []config {
	cs := []config{{key: keyDefaults, label: labelDefaults, provider: true, hcl: runHCL(runID, false)}}
	if include {
		cs = append(cs, config{key: keyInclude, label: labelInclude, provider: true, hcl: runHCL(runID, true)})
	}
	return append(cs,
		config{key: keyDecode, label: "(b) jsondecode(file(summary.json))", hcl: runJSONDecodeHCL},
		emptyConfig)
}

func includeLine(include bool) string {
	if !include {
		return ""
	}
	return "\n  include_datapoints = true"
}

func runHCL(runID string, include bool) string {
	return providerBlock + `
data "honeyhive_experiment_run" "run" {
  run_id = "` + runID + `"` + includeLine(include) + `

  lifecycle {
    postcondition {
      condition     = self.metrics["accuracy"].aggregate >= 0.5
      error_message = "Accuracy is below 0.5."
    }
  }
}
`
}

const runJSONDecodeHCL = `locals {
  summary = jsondecode(file("${path.module}/summary.json"))
  metrics = { for m in local.summary.metrics.details : m.metric_name => m }
}

output "accuracy" {
  value = local.metrics["accuracy"].aggregate

  precondition {
    condition     = local.metrics["accuracy"].aggregate >= 0.5
    error_message = "Accuracy is below 0.5."
  }
}
`

// comparisonConfigs gate on metric_deltas["accuracy"].difference.
func comparisonConfigs(newRunID, oldRunID string, include, decode bool) []config {
	cs := []config{{key: keyDefaults, label: labelDefaults, provider: true, hcl: comparisonHCL(newRunID, oldRunID, false)}}
	if include {
		cs = append(cs, config{key: keyInclude, label: labelInclude, provider: true, hcl: comparisonHCL(newRunID, oldRunID, true)})
	}
	if decode {
		cs = append(cs, config{key: keyDecode, label: "(b) jsondecode(file(comparison.json))", hcl: comparisonJSONDecodeHCL})
	}
	return append(cs, emptyConfig)
}

func comparisonHCL(newRunID, oldRunID string, include bool) string {
	return providerBlock + fmt.Sprintf(`
data "honeyhive_run_comparison" "release" {
  new_run_id = %q
  old_run_id = %q%s

  lifecycle {
    postcondition {
      condition     = self.metric_deltas["accuracy"].difference >= -0.5
      error_message = "Accuracy fell by more than 0.5."
    }
  }
}
`, newRunID, oldRunID, includeLine(include))
}

const comparisonJSONDecodeHCL = `locals {
  comparison = jsondecode(file("${path.module}/comparison.json"))
  deltas     = { for m in local.comparison.metrics : m.metric_name => m }
}

output "accuracy_change" {
  value = local.deltas["accuracy"].difference

  precondition {
    condition     = local.deltas["accuracy"].difference >= -0.5
    error_message = "Accuracy fell by more than 0.5."
  }
}
`

// thousands writes n with comma separators.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
