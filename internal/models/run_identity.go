package models

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
