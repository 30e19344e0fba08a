// Package stats holds the statistics behind run comparisons: a paired summary
// of per-datapoint differences between two runs (mean difference, a Student-t
// confidence interval, an exact sign test and a verdict), the Wilson score
// interval for a run's pass rate, and the corrections for judging a family of
// metrics at once (family.go: Bonferroni simultaneous intervals, Holm's
// step-down adjusted p-values), and the power of the paired t-test (power.go:
// the minimum detectable difference, the pairs needed to detect one).
//
// It is purely numeric on purpose: it knows nothing of HoneyHive's models,
// HTTP or Terraform, so every figure can be checked against published worked
// examples alone. Distribution functions (Student's t and normal quantiles, the
// binomial CDF) come from gonum.org/v1/gonum/stat/distuv rather than from
// hand-written special functions; the noncentral t's tail, whose gonum series
// loses accuracy for large noncentrality, is an integral over the chi
// distribution evaluated by Gauss–Legendre quadrature.
package stats
