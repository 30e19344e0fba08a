package models

import (
	"bytes"
	"encoding/json"
)

// RunIdentity is what a body says about which run it is: a run object's
// run_id (the ID the routes take) and id (its database identifier).
type RunIdentity struct {
	RunID, ID string
}

// Identity is the run object's identity.
func (r *Run) Identity() RunIdentity {
	return RunIdentity{RunID: r.RunID, ID: r.ID}
}

// Contradicts reports whether the identity names another run than
// requested: it carries a run_id, and neither that nor its id is requested
// (a route may be given either). A body without a run_id (older
// deployments) contradicts nothing.
func (i RunIdentity) Contradicts(requested string) bool {
	return i.RunID != "" && i.RunID != requested && i.ID != requested
}

// embeddedIdentity reads the run_id and id of a run object embedded in
// another body (a comparison's new_run and old_run), empty when absent, null
// or unreadable: like embeddedStatus, such a copy never fails the body, but
// the client checks an ID that is there against the run it asked for.
func embeddedIdentity(raw json.RawMessage) RunIdentity {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return RunIdentity{}
	}
	var w struct {
		RunID *string `json:"run_id"`
		ID    *string `json:"id"`
	}
	if json.Unmarshal(trimmed, &w) != nil {
		return RunIdentity{}
	}
	var id RunIdentity
	if w.RunID != nil {
		id.RunID = *w.RunID
	}
	if w.ID != nil {
		id.ID = *w.ID
	}
	return id
}
