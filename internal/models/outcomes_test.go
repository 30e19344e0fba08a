package models

import (
	"fmt"
	"slices"
	"testing"
)

// lists builds a summary with only its top-level passed and failed lists.
func lists(passed, failed []string) *ExperimentResultSummary {
	return &ExperimentResultSummary{Passed: passed, Failed: failed}
}

func ids(s ...string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestDatapointOutcomeChanges(t *testing.T) {
	tests := []struct {
		name          string
		newRun        *ExperimentResultSummary
		oldRun        *ExperimentResultSummary
		wantRegressed []string
		wantFixed     []string
	}{
		{
			name:          "passed then failed is a regression, failed then passed a fix",
			oldRun:        lists(ids("a", "b", "c"), ids("d", "e")),
			newRun:        lists(ids("a", "d"), ids("b", "c", "e")),
			wantRegressed: ids("b", "c"),
			wantFixed:     ids("d"),
		},
		{
			name:          "in the order of the new run's lists, not the old run's",
			oldRun:        lists(ids("a", "b", "c"), ids("x", "y")),
			newRun:        lists(ids("y", "x"), ids("c", "a", "b")),
			wantRegressed: ids("c", "a", "b"),
			wantFixed:     ids("y", "x"),
		},
		{
			name:          "datapoints in only one run are neither",
			oldRun:        lists(ids("a", "old-only"), ids("gone")),
			newRun:        lists(ids("new-pass"), ids("a", "new-fail")),
			wantRegressed: ids("a"),
			wantFixed:     ids(),
		},
		{
			name:          "nothing changed",
			oldRun:        lists(ids("a"), ids("b")),
			newRun:        lists(ids("a"), ids("b")),
			wantRegressed: ids(),
			wantFixed:     ids(),
		},
		{
			name:          "empty lists are judged: no changes",
			oldRun:        lists(ids(), ids()),
			newRun:        lists(ids(), ids()),
			wantRegressed: ids(),
			wantFixed:     ids(),
		},
		{
			// In both lists of the new run: failed now, so a regression
			// of a datapoint that passed, never a fix.
			name:          "in both lists of the new run counts as failed there",
			oldRun:        lists(ids("a", "b"), ids("c")),
			newRun:        lists(ids("a", "c"), ids("a", "c")),
			wantRegressed: ids("a"),
			wantFixed:     ids(),
		},
		{
			// In both lists of the old run: it failed there, so it can be
			// fixed, and failing again is no regression.
			name:          "in both lists of the old run counts as failed there",
			oldRun:        lists(ids("a", "b"), ids("b", "a")),
			newRun:        lists(ids("a"), ids("b")),
			wantRegressed: ids(),
			wantFixed:     ids("a"),
		},
		{
			name:          "a repeated ID is listed once, at its first place",
			oldRun:        lists(ids("a", "b"), ids("c")),
			newRun:        lists(ids("c", "c"), ids("b", "a", "b")),
			wantRegressed: ids("b", "a"),
			wantFixed:     ids("c"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := DatapointOutcomeChanges(tt.newRun, tt.oldRun)
			if !ok {
				t.Fatal("ok = false on complete lists")
			}
			if !slices.Equal(got.Regressed, tt.wantRegressed) || got.Regressed == nil {
				t.Errorf("regressed = %#v, want %q", got.Regressed, tt.wantRegressed)
			}
			if !slices.Equal(got.Fixed, tt.wantFixed) || got.Fixed == nil {
				t.Errorf("fixed = %#v, want %q", got.Fixed, tt.wantFixed)
			}
		})
	}
}

// A missing list (absent or null in the body) is not an empty one: the
// changes cannot be told, whichever of the four lists is missing.
func TestDatapointOutcomeChangesMissingList(t *testing.T) {
	full := func() [4][]string { return [4][]string{ids("a"), ids("b"), ids("b"), ids("a")} }
	for missing := range 4 {
		l := full()
		l[missing] = nil
		newRun, oldRun := lists(l[0], l[1]), lists(l[2], l[3])
		if got, ok := DatapointOutcomeChanges(newRun, oldRun); ok || got.Regressed != nil || got.Fixed != nil {
			t.Errorf("list %d missing: %+v, ok %v; want nothing, not ok", missing, got, ok)
		}
	}
	if _, ok := DatapointOutcomeChanges(nil, lists(ids(), ids())); ok {
		t.Error("a nil summary gave ok")
	}
	l := full()
	if got, ok := DatapointOutcomeChanges(lists(l[0], l[1]), lists(l[2], l[3])); !ok ||
		!slices.Equal(got.Regressed, ids("b")) || !slices.Equal(got.Fixed, ids("a")) {
		t.Errorf("complete lists: %+v, %v", got, ok)
	}
}

// Against a brute-force reading of the rules on random lists: each ID judged
// by membership alone, then ordered by the new run's lists.
func TestDatapointOutcomeChangesMatchesTheRules(t *testing.T) {
	universe := []string{"a", "b", "c", "d", "e", "f"}
	pick := func(seed, salt int) []string {
		out := []string{}
		for i, id := range universe {
			switch (seed*31 + salt*17 + i*7) % 5 {
			case 0, 1:
				out = append(out, id)
			case 2:
				out = append(out, id, id) // repeated
			}
		}
		// Vary the order with the seed.
		if seed%2 == 1 {
			slices.Reverse(out)
		}
		return out
	}
	for seed := range 200 {
		newPassed, newFailed, oldPassed, oldFailed := pick(seed, 1), pick(seed, 2), pick(seed, 3), pick(seed, 4)
		got, ok := DatapointOutcomeChanges(lists(newPassed, newFailed), lists(oldPassed, oldFailed))
		if !ok {
			t.Fatal("not ok")
		}
		in := func(list []string, id string) bool { return slices.Contains(list, id) }
		var wantRegressed, wantFixed []string
		for _, id := range newFailed {
			if in(oldPassed, id) && !in(oldFailed, id) && !in(wantRegressed, id) {
				wantRegressed = append(wantRegressed, id)
			}
		}
		for _, id := range newPassed {
			if !in(newFailed, id) && in(oldFailed, id) && !in(wantFixed, id) {
				wantFixed = append(wantFixed, id)
			}
		}
		if !slices.Equal(got.Regressed, ids(wantRegressed...)) || !slices.Equal(got.Fixed, ids(wantFixed...)) {
			t.Fatalf("seed %d: new %v/%v old %v/%v: got %+v, want regressed %v fixed %v",
				seed, newPassed, newFailed, oldPassed, oldFailed, got, wantRegressed, wantFixed)
		}
		for _, id := range got.Regressed {
			if slices.Contains(got.Fixed, id) {
				t.Fatalf("seed %d: %s both regressed and fixed", seed, id)
			}
		}
	}
}

func TestMetricOutcomeChanges(t *testing.T) {
	entry := func(name string, event *string, passed, failed []string) MetricDetail {
		d := MetricDetail{MetricName: name, EventName: event}
		if passed != nil || failed != nil {
			d.Datapoints = &MetricDatapoints{Passed: passed, Failed: failed}
		}
		return d
	}
	summary := func(details ...MetricDetail) *ExperimentResultSummary {
		return &ExperimentResultSummary{Metrics: AggregatedMetrics{Details: details}}
	}
	retriever, generator := strPtr("retriever"), strPtr("generator")
	oldRun := summary(
		entry("accuracy", retriever, ids("a", "b"), ids("c")),
		entry("accuracy", generator, ids("a"), ids("b", "c")),
		entry("relevance", nil, ids("a", "b", "c"), ids()),
		entry("no_lists", nil, nil, nil),
		entry("null_failed", nil, ids("a"), nil),
	)
	newRun := summary(
		entry("accuracy", retriever, ids("c"), ids("a", "b")),
		entry("accuracy", generator, ids("a", "b", "c"), ids()),
		entry("relevance", nil, ids("b"), ids("c", "a")),
		entry("no_lists", nil, ids("a"), ids()),
		entry("null_failed", nil, ids("a"), ids()),
		entry("new_only", nil, ids("a"), ids()),
	)
	tests := []struct {
		metric        string
		event         *string
		ok            bool
		wantRegressed []string
		wantFixed     []string
	}{
		{"accuracy", retriever, true, ids("a", "b"), ids("c")},
		{"accuracy", generator, true, ids(), ids("b", "c")},
		// Without an event: the first entry of the name, as the pairing reads.
		{"accuracy", nil, true, ids("a", "b"), ids("c")},
		{"accuracy", strPtr("judge"), false, nil, nil},
		{"relevance", nil, true, ids("c", "a"), ids()},
		// An entry without an event name does not match a named event.
		{"relevance", strPtr("responder"), false, nil, nil},
		{"no_lists", nil, false, nil, nil},
		{"null_failed", nil, false, nil, nil},
		{"new_only", nil, false, nil, nil},
		{"missing", nil, false, nil, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.metric, deref(tt.event)), func(t *testing.T) {
			got, ok := MetricOutcomeChanges(newRun, oldRun, tt.metric, tt.event)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !slices.Equal(got.Regressed, tt.wantRegressed) || !slices.Equal(got.Fixed, tt.wantFixed) {
				t.Errorf("got %+v, want regressed %q fixed %q", got, tt.wantRegressed, tt.wantFixed)
			}
		})
	}
}

// Legacy-format entries are found by name, and their datapoints lists read.
func TestMetricOutcomeChangesLegacy(t *testing.T) {
	decode := func(body string) *ExperimentResultSummary {
		s, err := DecodeExperimentResultSummary("r", []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	oldRun := decode(`{"metrics":{"aggregation_function":"average",
		"accuracy":{"aggregate":0.5,"datapoints":{"passed":["a"],"failed":["b"]}}}}`)
	newRun := decode(`{"metrics":{"aggregation_function":"average",
		"accuracy":{"aggregate":0.5,"datapoints":{"passed":["b"],"failed":["a"]}}}}`)
	got, ok := MetricOutcomeChanges(newRun, oldRun, "accuracy", nil)
	if !ok || !slices.Equal(got.Regressed, ids("a")) || !slices.Equal(got.Fixed, ids("b")) {
		t.Errorf("got %+v, %v", got, ok)
	}
}

func deref(s *string) string {
	if s == nil {
		return "(none)"
	}
	return *s
}

// BenchmarkDatapointOutcomeChanges50000 times the top-level comparison of
// two 50,000-datapoint runs, a tenth of them failed in each (the provider
// does this once per comparison, and once more per metric).
func BenchmarkDatapointOutcomeChanges50000(b *testing.B) {
	const n = 50000
	split := func(offset int) *ExperimentResultSummary {
		s := &ExperimentResultSummary{Passed: []string{}, Failed: []string{}}
		for i := range n {
			id := fmt.Sprintf("dp-%06d", i)
			if (i+offset)%10 == 0 {
				s.Failed = append(s.Failed, id)
			} else {
				s.Passed = append(s.Passed, id)
			}
		}
		return s
	}
	newRun, oldRun := split(3), split(0)
	b.ReportAllocs()
	for b.Loop() {
		if c, ok := DatapointOutcomeChanges(newRun, oldRun); !ok || len(c.Regressed) != n/10 {
			b.Fatalf("%d regressed", len(c.Regressed))
		}
	}
}
