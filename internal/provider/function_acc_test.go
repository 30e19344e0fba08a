package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// functionTest runs steps that call the provider's functions through the CLI
// under test. Provider-defined functions exist from Terraform 1.8 (OpenTofu
// 1.7): on an older CLI these tests skip through tfversion.SkipBelow, which
// is terraform-plugin-testing's documented mechanism for features of newer
// CLIs, not a hidden gap. The data sources' acceptance tests still run there
// (the test matrix's Terraform 1.5.7) and show that the provider, functions
// and all, serves them. tfversion reads the CLI's own version, so OpenTofu
// 1.12 counts as >= 1.8 and runs them.
//
// The functions read no run, but the provider gets the usual local server's
// settings, so that it configures as users' would when Terraform configures
// it beside the calls.
func functionTest(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	srv := acceptance(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: srv.factories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		Steps:                    steps,
	})
}

// near is a number within referenceTolerance of an R value (see function_test.go).
func near(want float64) knownvalue.Check { return approxWithin(want, referenceTolerance) }

// The examples under examples/functions/, run as written (plan and apply of
// their outputs), with the values R gives (function_test.go has the calls).
func TestAccFunction_examples(t *testing.T) {
	t.Run("paired_interval", func(t *testing.T) {
		functionTest(t,
			resource.TestStep{
				// Student's sleep data: R's t.test(..., paired = TRUE) and binom.test(0, 9).
				ConfigFile: example("functions", "paired_interval", "function.tf"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("score", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"n":               knownvalue.Int64Exact(10),
						"mean_difference": near(-1.58),
						"ci_lower":        near(-2.459885763276982),
						"ci_upper":        near(-0.700114236723018),
						"sd":              near(1.22999548327987),
						"p_value":         near(0.00390625),
						"verdict":         knownvalue.StringExact("regressed"),
					})),
				},
			},
			resource.TestStep{
				// The interval reaches below -2: the precondition stops the plan.
				ConfigFile:      example("functions", "paired_interval", "function.tf"),
				ConfigVariables: config.Variables{"margin": config.FloatVariable(2.0)},
				ExpectError:     messageLike("The score may have dropped by up to 2.46, more than the margin of 2."),
			},
		)
	})
	t.Run("wilson_interval", func(t *testing.T) {
		functionTest(t, resource.TestStep{
			// R: prop.test(81, 263, correct = FALSE)$conf.int.
			ConfigFile: example("functions", "wilson_interval", "function.tf"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("pass_rate", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"lower": near(0.255288519878274),
					"upper": near(0.366209576982800),
				})),
			},
		})
	})
	t.Run("sign_test", func(t *testing.T) {
		functionTest(t, resource.TestStep{
			// R: binom.test(2, 12)$p.value.
			ConfigFile: example("functions", "sign_test", "function.tf"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("p_value", near(0.03857421875)),
			},
		})
	})
	t.Run("holm_adjust", func(t *testing.T) {
		functionTest(t, resource.TestStep{
			// R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02.
			ConfigFile: example("functions", "holm_adjust", "function.tf"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("adjusted", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"relevance":    near(0.03),
					"faithfulness": near(0.06),
					"fluency":      near(0.06),
					"toxicity":     near(0.02),
				})),
				statecheck.ExpectKnownOutputValue("changed", strs("relevance", "toxicity")),
			},
		})
	})
	t.Run("minimum_detectable_difference", func(t *testing.T) {
		functionTest(t,
			resource.TestStep{
				// R: power.t.test(n = 40, sd = 0.1, sig.level = 0.05, power = 0.8,
				// type = "paired", tol = 1e-13)$delta.
				ConfigFile: example("functions", "minimum_detectable_difference", "function.tf"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("minimum_detectable_difference", near(0.0454257487254719)),
				},
			},
			resource.TestStep{
				// A margin of 0.04 is below it: the precondition stops the plan.
				ConfigFile:      example("functions", "minimum_detectable_difference", "function.tf"),
				ConfigVariables: config.Variables{"margin": config.FloatVariable(0.04)},
				ExpectError:     messageLike("A margin of 0.04 is below what 40 pairs can detect (0.0454)"),
			},
		)
	})
}

// More R values through the CLI, in one configuration.
func TestAccFunction_referenceValues(t *testing.T) {
	functionTest(t, resource.TestStep{
		Config: `
output "paired_90" {
  value = provider::honeyhive::paired_interval([-1.2, -2.4, -1.3, -1.3, 0, -1, -1.8, -0.8, -4.6, -1.4], 0.90, true)
}
output "wilson_99" {
  value = provider::honeyhive::wilson_interval(81, 263, 0.99)
}
output "wilson_none" {
  value = provider::honeyhive::wilson_interval(0, 20, 0.95)
}
output "wilson_all" {
  value = provider::honeyhive::wilson_interval(20, 20, 0.95)
}
output "sign_40_of_100" {
  value = provider::honeyhive::sign_test(40, 60)
}
output "sign_480_of_1000" {
  value = provider::honeyhive::sign_test(520, 480)
}
output "holm_ties" {
  value = provider::honeyhive::holm_adjust([0.02, 0.5, 0.001, 0.04, 0.02])
}
output "holm_empty" {
  value = provider::honeyhive::holm_adjust([])
}
output "mdd_sleep" {
  value = provider::honeyhive::minimum_detectable_difference(1.22999548327987, 10, 0.95, 0.8)
}
output "mdd_1000" {
  value = provider::honeyhive::minimum_detectable_difference(0.3, 1000, 0.9, 0.9)
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			// R: t.test(..., paired = TRUE, conf.level = 0.90) on the sleep data;
			// lower is better, so a drop is an improvement.
			statecheck.ExpectKnownOutputValue("paired_90", knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"ci_lower": near(-2.293005267029284),
				"ci_upper": near(-0.866994732970716),
				"verdict":  knownvalue.StringExact("improved"),
			})),
			// R: prop.test(..., correct = FALSE)$conf.int.
			statecheck.ExpectKnownOutputValue("wilson_99", knownvalue.ObjectExact(map[string]knownvalue.Check{
				"lower": near(0.240136902687608), "upper": near(0.385282502318230),
			})),
			statecheck.ExpectKnownOutputValue("wilson_none", knownvalue.ObjectExact(map[string]knownvalue.Check{
				"lower": knownvalue.Int64Exact(0), "upper": near(0.161125158052819),
			})),
			statecheck.ExpectKnownOutputValue("wilson_all", knownvalue.ObjectExact(map[string]knownvalue.Check{
				"lower": near(0.838874841947181), "upper": knownvalue.Int64Exact(1),
			})),
			// R: binom.test(40, 100)$p.value, binom.test(480, 1000)$p.value.
			statecheck.ExpectKnownOutputValue("sign_40_of_100", near(0.0568879336409809)),
			statecheck.ExpectKnownOutputValue("sign_480_of_1000", near(0.217448293204141)),
			// R: p.adjust(c(0.02, 0.5, 0.001, 0.04, 0.02), "holm").
			statecheck.ExpectKnownOutputValue("holm_ties", knownvalue.ListExact([]knownvalue.Check{
				near(0.08), near(0.5), near(0.005), near(0.08), near(0.08),
			})),
			statecheck.ExpectKnownOutputValue("holm_empty", knownvalue.ListExact([]knownvalue.Check{})),
			// R: power.t.test(..., type = "paired", tol = 1e-13)$delta with
			// n = 10, sd = sd(d) (the sleep data) and n = 1000, sd = 0.3,
			// sig.level = 0.1, power = 0.9.
			statecheck.ExpectKnownOutputValue("mdd_sleep", near(1.22507827413385)),
			statecheck.ExpectKnownOutputValue("mdd_1000", near(0.0277811360685457)),
		},
	})
}

// Bad arguments fail the plan with the function's message, which the CLI
// attributes to the argument by name.
func TestAccFunction_argumentErrors(t *testing.T) {
	call := func(expr string) string { return "output \"x\" {\n  value = " + expr + "\n}\n" }
	functionTest(t,
		resource.TestStep{
			Config:      call("provider::honeyhive::wilson_interval(300, 263, 0.95)"),
			ExpectError: messageLike(`"successes"`, "successes (300) is more than trials (263)"),
		},
		resource.TestStep{
			Config:      call("provider::honeyhive::wilson_interval(2.5, 10, 0.95)"),
			ExpectError: messageLike(`"successes"`, "successes must be a whole number", "got 2.5"),
		},
		resource.TestStep{
			Config:      call("provider::honeyhive::paired_interval([1, 2], 95, false)"),
			ExpectError: messageLike(`"confidence_level"`, "confidence_level must be between 0 and 1 (exclusive), such as 0.95; got 95"),
		},
		resource.TestStep{
			Config:      call("provider::honeyhive::paired_interval([1, null, 2], 0.95, false)"),
			ExpectError: messageLike(`"differences"`, "differences[1] is null"),
		},
		resource.TestStep{
			Config:      call("provider::honeyhive::paired_interval([], 0.95, false)"),
			ExpectError: messageLike(`"differences"`, "differences has 0 element(s); a confidence interval needs at least 2"),
		},
		resource.TestStep{
			Config:      call("provider::honeyhive::sign_test(-1, 3)"),
			ExpectError: messageLike(`"below"`, "below must be a whole number"),
		},
		resource.TestStep{
			Config:      call("provider::honeyhive::holm_adjust([0.01, 1.5])"),
			ExpectError: messageLike(`"p_values"`, "p-value 1 is 1.5; every p-value must be between 0 and 1"),
		},
		resource.TestStep{
			Config:      call("provider::honeyhive::minimum_detectable_difference(0.1, 1, 0.95, 0.8)"),
			ExpectError: messageLike(`"n"`, "n is 1; a paired t-test needs at least 2 pairs"),
		},
		resource.TestStep{
			Config:      call("provider::honeyhive::minimum_detectable_difference(0.1, 40, 0.95, 1)"),
			ExpectError: messageLike(`"power"`, "power must be between"),
		},
	)
}
