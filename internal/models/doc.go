// Package models holds Go ports of the HoneyHive Python SDK's experiment result
// models (honeyhive.experiments: ExperimentResultSummary, AggregatedMetrics,
// RunComparisonResult, ...) and the decoding of the HTTP bodies behind them.
//
// It is plain Go on purpose: no Terraform and no HTTP imports, so it can be read
// and tested against the SDK reference alone. The provider maps these types to
// Terraform values; the API client only fetches the bytes that decode into them.
//
// Where the SDK's behaviour is deliberately extended (values of any JSON type,
// every per-metric comparison field, real new-only/old-only datapoint counts),
// the doc comment of the type or method says so.
package models
