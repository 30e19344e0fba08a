package models

import "testing"

// A comparison's new_run and old_run are read leniently, each field on its
// own: a field of the wrong type is empty and hides nothing else.
func TestEmbeddedRun(t *testing.T) {
	cases := []struct {
		raw        string
		wantStatus ExperimentRunStatus
		want       RunIdentity
	}{
		{`{"status":"completed","run_id":"r1","id":"db1"}`, "completed", RunIdentity{RunID: "r1", ID: "db1"}},
		{`{"status":5,"run_id":"r1"}`, "", RunIdentity{RunID: "r1"}},
		{`{"status":"running","run_id":7,"id":"db1"}`, "running", RunIdentity{ID: "db1"}},
		{`{"status":null,"run_id":null}`, "", RunIdentity{}},
		{`null`, "", RunIdentity{}},
		{`"r1"`, "", RunIdentity{}},
		{`[{"run_id":"r1"}]`, "", RunIdentity{}},
		{``, "", RunIdentity{}},
	}
	for _, c := range cases {
		status, id := embeddedRun([]byte(c.raw))
		if status != c.wantStatus || id != c.want {
			t.Errorf("embeddedRun(%s) = %q, %+v; want %q, %+v", c.raw, status, id, c.wantStatus, c.want)
		}
	}
}
