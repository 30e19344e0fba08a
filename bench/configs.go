package main

import (
	"fmt"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// What is measured: for each data source and run size, Terraform
// configurations that gate on the same value.

const metricsPerRun = 5

// config is one Terraform configuration under test.
type config struct {
	key, label string
	provider   bool   // uses the honeyhive provider
	hcl        string // main.tf
	// twin runs the twin provider, another build of the provider (see
	// twinName), to compare two builds in the same rounds.
	twin bool
	// twinOf is the key of the configuration this one repeats with the twin.
	twinOf string
	// bodyFile is the file next to main.tf that (b) reads the body from.
	bodyFile string
}

// twinName says what runs the twins: by default the provider built without
// stateHandoffServer (-tags nohandoff); with -twin-provider, that binary.
var twinName = "without stateHandoffServer"

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
	body       []byte // what (b) reads: the summary, or the comparison body
	// providerBytes is what the provider fetches: the summary, or the
	// comparison and both summaries.
	providerBytes int
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
	keyPolicy   = "g"  // the comparison's gate as a honeyhive_release_gate policy (comparisons only)
)

const (
	labelPolicy   = "(g) honeyhive_release_gate, the same gate as a one-rule policy"
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

// gate is how the configurations of one data source gate on the accuracy
// metric: (a) and (a+) with a postcondition on the data source, (b) with an
// output precondition over jsondecode(file(...)) of the body, the metrics
// indexed by name in a for expression (what users write without the
// provider).
type gate struct {
	data     string // the data block's opening: type, name and arguments
	self     string // the gated value in the data source, e.g. self.metrics["accuracy"].aggregate
	metrics  string // where the decoded body lists the metrics
	field    string // the gated field of the accuracy metric's entry there
	output   string
	bound    string // the condition: value >= bound
	message  string
	bodyFile string
	// policy is, for a comparison, the configuration of (g): the same gate
	// as a honeyhive_release_gate policy; "" for none.
	policy string
}

// runGate gates on metrics["accuracy"].aggregate.
func runGate(runID string) gate {
	return gate{
		data: fmt.Sprintf("data \"honeyhive_experiment_run\" \"run\" {\n  run_id = %q", runID),
		self: `self.metrics["accuracy"].aggregate`, metrics: "local.body.metrics.details", field: "aggregate",
		output: "accuracy", bound: "0.5", message: "Accuracy is below 0.5.", bodyFile: "summary.json",
	}
}

// comparisonGate gates on metric_deltas["accuracy"].difference.
func comparisonGate(newRunID, oldRunID string) gate {
	return gate{
		data: fmt.Sprintf("data \"honeyhive_run_comparison\" \"release\" {\n  new_run_id = %q\n  old_run_id = %q", newRunID, oldRunID),
		self: `self.metric_deltas["accuracy"].difference`, metrics: "local.body.metrics", field: "difference",
		output: "accuracy_change", bound: "-0.5", message: "Accuracy fell by more than 0.5.", bodyFile: "comparison.json",
		policy: policyHCL(newRunID, oldRunID),
	}
}

// policyHCL is the comparison's gate written as a release policy: accuracy
// may fall by at most 0.5 (on the paired differences, which a policy judges),
// the whole policy one postcondition.
func policyHCL(newRunID, oldRunID string) string {
	return providerBlock + fmt.Sprintf(`
data "honeyhive_release_gate" "release" {
  new_run_id = %q
  old_run_id = %q
  rules = [
    { kind = "non_inferiority", metric = "accuracy", margin = 0.5 },
  ]

  lifecycle {
    postcondition {
      condition     = self.passed
      error_message = self.summary
    }
  }
}
`, newRunID, oldRunID)
}

// configs returns (a), (a+) when include, (g) when the gate has a policy,
// (b) when decode, and (c).
func (g gate) configs(include, decode bool) []config {
	cs := []config{{key: keyDefaults, label: labelDefaults, provider: true, hcl: g.dataHCL(false)}}
	if g.policy != "" {
		cs = append(cs, config{key: keyPolicy, label: labelPolicy, provider: true, hcl: g.policy})
	}
	if include {
		cs = append(cs, config{key: keyInclude, label: labelInclude, provider: true, hcl: g.dataHCL(true)})
	}
	if decode {
		cs = append(cs, config{key: keyDecode, label: "(b) jsondecode(file(" + g.bodyFile + "))", hcl: g.decodeHCL(), bodyFile: g.bodyFile})
	}
	return append(cs, emptyConfig)
}

func (g gate) dataHCL(include bool) string {
	data := g.data
	if include {
		data += "\n  include_datapoints = true"
	}
	return providerBlock + fmt.Sprintf(`
%s

  lifecycle {
    postcondition {
      condition     = %s >= %s
      error_message = %q
    }
  }
}
`, data, g.self, g.bound, g.message)
}

func (g gate) decodeHCL() string {
	value := fmt.Sprintf(`local.metrics["accuracy"].%s`, g.field)
	return fmt.Sprintf(`locals {
  body    = jsondecode(file("${path.module}/%s"))
  metrics = { for m in %s : m.metric_name => m }
}

output %q {
  value = %s

  precondition {
    condition     = %s >= %s
    error_message = %q
  }
}
`, g.bodyFile, g.metrics, g.output, value, value, g.bound, g.message)
}

// thousands writes n with comma separators.
func thousands(n int) string { return message.NewPrinter(language.English).Sprint(n) }
