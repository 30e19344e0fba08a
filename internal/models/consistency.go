package models

import (
	"fmt"
	"hash/maphash"
	"strings"
)

// What a decoder does with lists of datapoint IDs that contradict
// themselves, so that no count moves on nothing and no gate passes on data
// that disagrees with itself:
//
//   - a null or empty ID (in passed, failed, commonDatapoints, a metric's
//     datapoints.passed/failed, improved, degraded, same; a datapoint of
//     datapoints[] with neither a datapoint_id nor a session_id) is a
//     malformed entry: skipped, never counted, and reported (AnomalyMissingIDs);
//   - an ID repeated in one list counts once (AnomalyRepeatedIDs);
//   - an ID in both passed and failed of a run, or of one metric of a run, is
//     a ConflictError: which of the two is right cannot be told;
//   - a comparison's improved_count, degraded_count, same_count or
//     found_count that disagrees with its list (found: improved + degraded +
//     same) is replaced by the list's length (AnomalyCountMismatch), so
//     ListImprovedMetrics and ListDegradedMetrics follow the lists.

// AnomalyKind says what was wrong with a list.
type AnomalyKind uint8

const (
	// AnomalyMissingIDs: Count null or empty IDs were skipped.
	AnomalyMissingIDs AnomalyKind = iota
	// AnomalyRepeatedIDs: Count entries repeated an ID already listed and
	// were counted once.
	AnomalyRepeatedIDs
	// AnomalyCountMismatch: the server's Field said Reported where its list
	// holds Listed; Listed is what counts.
	AnomalyCountMismatch
)

// Anomaly is one inconsistency found, and corrected, while decoding.
type Anomaly struct {
	Kind AnomalyKind
	// Where names the list: "passed", "datapoints", `metric "accuracy"
	// datapoints.failed`, `metric "accuracy" degraded`, ...
	Where string
	// Count is the entries skipped or counted once.
	Count int
	// Field, Reported and Listed describe a count mismatch.
	Field            string
	Reported, Listed int64
}

func (a Anomaly) String() string {
	switch a.Kind {
	case AnomalyMissingIDs:
		return fmt.Sprintf("%s: %d null or empty datapoint %s skipped", a.Where, a.Count, plural(a.Count, "ID", "IDs"))
	case AnomalyRepeatedIDs:
		return fmt.Sprintf("%s: %d repeated datapoint %s counted once", a.Where, a.Count, plural(a.Count, "ID", "IDs"))
	default:
		return fmt.Sprintf("%s: %s is %d but the list holds %d; %d is used", a.Where, a.Field, a.Reported, a.Listed, a.Listed)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ConflictError says datapoints are listed as both passed and failed.
type ConflictError struct {
	// Where names the pair of lists: "passed and failed", or `metric
	// "accuracy" datapoints.passed and datapoints.failed`.
	Where string
	// Count is how many IDs are in both; IDs holds the first few.
	Count int
	IDs   []string
}

// conflictExamples is how many conflicting IDs an error names.
const conflictExamples = 5

func (e *ConflictError) Error() string {
	quoted := make([]string, len(e.IDs))
	for i, id := range e.IDs {
		quoted[i] = fmt.Sprintf("%q", excerpt([]byte(id), 80))
	}
	more := ""
	if e.Count > len(e.IDs) {
		more = fmt.Sprintf(" and %d more", e.Count-len(e.IDs))
	}
	return fmt.Sprintf("%d datapoint %s in both %s (%s%s): the result contradicts itself",
		e.Count, plural(e.Count, "ID is", "IDs are"), e.Where, strings.Join(quoted, ", "), more)
}

// idLists cleans lists of IDs, reusing one map between them.
type idLists struct {
	flags     map[string]uint8
	anomalies []Anomaly
}

const (
	flagPassed uint8 = 1 << iota
	flagFailed
)

// clean returns ids without empty entries and repeats (the same slice when
// it has neither), recording what it dropped under where. nil stays nil.
func (c *idLists) clean(where string, ids []string) []string {
	out, _ := c.cleanFlagged(where, ids, flagPassed, 0)
	return out
}

// cleanFlagged is clean that also marks each ID with flag in c.flags and
// returns the IDs already marked with conflict. With conflict 0 it starts
// afresh (clears c.flags); otherwise it reads the marks of the list before.
func (c *idLists) cleanFlagged(where string, ids []string, flag, conflict uint8) (out []string, conflicts []string) {
	if ids == nil {
		return nil, nil
	}
	if c.flags == nil {
		c.flags = make(map[string]uint8, len(ids))
	}
	if conflict == 0 {
		clear(c.flags)
	}
	missing, repeated := 0, 0
	out = ids[:0:0]
	dirty := false
	for i, id := range ids {
		f := c.flags[id]
		switch {
		case id == "":
			missing++
		case f&flag != 0:
			repeated++
		default:
			c.flags[id] = f | flag
			if f&conflict != 0 {
				conflicts = append(conflicts, id)
			}
			if dirty {
				out = append(out, id)
			}
			continue
		}
		if !dirty {
			dirty = true
			out = append(make([]string, 0, len(ids)-1), ids[:i]...)
		}
	}
	if !dirty {
		out = ids
	}
	c.report(where, missing, repeated)
	return out, conflicts
}

func (c *idLists) report(where string, missing, repeated int) {
	if missing > 0 {
		c.anomalies = append(c.anomalies, Anomaly{Kind: AnomalyMissingIDs, Where: where, Count: missing})
	}
	if repeated > 0 {
		c.anomalies = append(c.anomalies, Anomaly{Kind: AnomalyRepeatedIDs, Where: where, Count: repeated})
	}
}

// passedFailed cleans a run's (or a metric's) passed and failed lists and
// fails when an ID is in both.
func (c *idLists) passedFailed(prefix string, passed, failed []string) ([]string, []string, error) {
	passed, _ = c.cleanFlagged(prefix+"passed", passed, flagPassed, 0)
	if passed == nil {
		return nil, c.clean(prefix+"failed", failed), nil
	}
	failed, conflicts := c.cleanFlagged(prefix+"failed", failed, flagFailed, flagPassed)
	if len(conflicts) > 0 {
		return nil, nil, &ConflictError{
			Where: prefix + "passed and " + prefix + "failed",
			Count: len(conflicts),
			IDs:   conflicts[:min(len(conflicts), conflictExamples)],
		}
	}
	return passed, failed, nil
}

// checkConsistency applies the rules above to a decoded summary; ids are
// its datapoints' IDs when only they were read (SkipDatapoints).
func (s *ExperimentResultSummary) checkConsistency(ids []datapointIDs) error {
	var c idLists
	var err error
	if s.Passed, s.Failed, err = c.passedFailed("", s.Passed, s.Failed); err != nil {
		return err
	}
	for _, entries := range [][]MetricDetail{s.Metrics.Details, s.Metrics.Legacy} {
		for i := range entries {
			d := entries[i].Datapoints
			if d == nil {
				continue
			}
			prefix := fmt.Sprintf("metric %q datapoints.", entries[i].MetricName)
			if d.Passed, d.Failed, err = c.passedFailed(prefix, d.Passed, d.Failed); err != nil {
				return err
			}
		}
	}
	if s.Datapoints != nil {
		s.Datapoints = c.cleanDatapoints(s.Datapoints)
		s.DatapointCount = new(len(s.Datapoints))
	}
	if ids != nil {
		s.DatapointCount = new(c.countDatapoints(ids))
	}
	s.Anomalies = c.anomalies
	return nil
}

// cleanDatapoints drops datapoints without an ID and later ones repeating
// an ID; pairing and per-datapoint values already read only the first.
func (c *idLists) cleanDatapoints(dps []DatapointResult) []DatapointResult {
	seen := make(map[string]struct{}, len(dps))
	missing, repeated := 0, 0
	out := dps[:0:0]
	dirty := false
	for i := range dps {
		key, ok := dps[i].ID()
		_, dup := seen[key]
		switch {
		case !ok:
			missing++
		case dup:
			repeated++
		default:
			seen[key] = struct{}{}
			if dirty {
				out = append(out, dps[i])
			}
			continue
		}
		if !dirty {
			dirty = true
			out = append(make([]DatapointResult, 0, len(dps)-1), dps[:i]...)
		}
	}
	if !dirty {
		out = dps
	}
	c.report("datapoints", missing, repeated)
	return out
}

// countDatapoints counts the datapoints as cleanDatapoints keeps them.
func (c *idLists) countDatapoints(ids []datapointIDs) int {
	missing, repeated := countHashes(len(ids), func(i int) uint64 {
		if ids[i][0] != 0 {
			return ids[i][0]
		}
		return ids[i][1]
	})
	c.report("datapoints", missing, repeated)
	return len(ids) - missing - repeated
}

// checkConsistency applies the rules above to a decoded comparison. lists
// holds, for SkipDatapointLists, what counting the lists found.
func (r *RunComparisonResult) checkConsistency(common *countedIDs, counted [][3]countedIDs) {
	var c idLists
	if common != nil {
		c.report("commonDatapoints", common.missing, common.repeated)
		r.CommonDatapoints = common.n - common.missing - common.repeated
	} else if r.CommonDatapointIDs != nil {
		r.CommonDatapointIDs = c.clean("commonDatapoints", r.CommonDatapointIDs)
		r.CommonDatapoints = len(r.CommonDatapointIDs)
	}
	for i := range r.MetricDeltas {
		d := &r.MetricDeltas[i]
		prefix := fmt.Sprintf("metric %q ", d.MetricName)
		if d.MetricName == "" {
			prefix = fmt.Sprintf("metrics[%d] ", i)
		}
		lists := [3]struct {
			field string
			ids   *[]string
			count **int64
		}{
			{"improved", &d.Improved, &d.ImprovedCount},
			{"degraded", &d.Degraded, &d.DegradedCount},
			{"same", &d.Same, &d.SameCount},
		}
		var sum int64
		allListed := true
		for k, l := range lists {
			var listed int64
			var present bool
			if counted != nil {
				ci := &counted[i][k]
				c.report(prefix+l.field, ci.missing, ci.repeated)
				listed, present = int64(ci.n-ci.missing-ci.repeated), ci.set
			} else {
				*l.ids = c.clean(prefix+l.field, *l.ids)
				listed, present = int64(len(*l.ids)), *l.ids != nil
			}
			if !present {
				allListed = false
				continue
			}
			sum += listed
			c.reconcile(prefix, l.field+"_count", l.count, listed)
		}
		if allListed {
			c.reconcile(prefix, "found_count", &d.FoundCount, sum)
		}
	}
	r.Anomalies = c.anomalies
}

// reconcile makes *count the listed number, recording a disagreement; a
// count the server left out takes the list's length silently.
func (c *idLists) reconcile(where, field string, count **int64, listed int64) {
	if *count != nil && **count != listed {
		c.anomalies = append(c.anomalies, Anomaly{Kind: AnomalyCountMismatch, Where: strings.TrimSpace(where),
			Field: field, Reported: **count, Listed: listed})
	}
	*count = &listed
}

// countedIDs counts a list of IDs without keeping them, with its null or
// empty entries and its repeats (told apart by a 64-bit hash of each ID:
// a collision, about one in 10¹⁰ for a million IDs, would count one repeat
// too many). Each element must be a string or null, as for a []string.
type countedIDs struct {
	n, missing, repeated int
	set                  bool // the list was there and not null
}

var idHashSeed = maphash.MakeSeed()

func (c *countedIDs) UnmarshalJSON(data []byte) error {
	*c = countedIDs{}
	var hashes []uint64
	dec := newTokenDecoder(data)
	err := decodeList(dec, "list of IDs", &hashes, nil, func(int) error { return nil }, func(h *uint64) error {
		if dec.PeekKind() != '"' {
			return typeError(dec, "list of IDs", "a string")
		}
		return hashID(dec, h)
	})
	if err != nil || hashes == nil {
		return err
	}
	c.n, c.set = len(hashes), true
	c.missing, c.repeated = countHashes(len(hashes), func(i int) uint64 { return hashes[i] })
	return nil
}

// countHashes counts, among n IDs told apart by their hash, those that are
// none (0) and those that repeat one before.
func countHashes(n int, hash func(i int) uint64) (missing, repeated int) {
	seen := make(map[uint64]struct{}, n)
	for i := range n {
		h := hash(i)
		if _, dup := seen[h]; h == 0 {
			missing++
		} else if dup {
			repeated++
		} else {
			seen[h] = struct{}{}
		}
	}
	return missing, repeated
}
