package honeyhive

import (
	"fmt"
	"strings"
)

// HoneyHive issues several kinds of API keys, told apart by their prefix
// (spec 1.14.0, 1.17.0 and HoneyHive's CLI). Project keys ("hh_"), and
// read-only project keys ("hh_ro_"), read experiment runs on the classic
// routes; fine-grained data-plane keys ("hh_fgdp_") read them on the project
// routes (see access.go). The kinds below cannot read runs at all: the server
// would answer every request with an error (since mid-2026 a 404 that reads
// like an unknown run), so they are refused before any request, with a
// message that says which kind to use. A key of any other shape is sent as it
// is: it may be valid.

// ReadOnlyKeyPrefix starts HoneyHive's read-only project keys, the kind a
// read-only tool such as this provider should be given.
const ReadOnlyKeyPrefix = "hh_ro_"

// keyKind is a kind of key that cannot read experiment runs.
type keyKind struct {
	prefix string
	kind   string // "an ingestion-only key"
	why    string // why it cannot read runs
}

// wrongKeyKinds lists the kinds that cannot read runs. No prefix is a prefix
// of another, so the order does not matter.
var wrongKeyKinds = []keyKind{
	{"hh_ingst_", "an ingestion-only key",
		"HoneyHive accepts it only on the routes that ingest traces and events, and refuses it on every read route"},
	{"hh_org_", "an organisation key",
		"it is for HoneyHive's control plane (managing the organisation), not for the data plane that serves " +
			"experiment runs"},
	{"hh_ws_", "a workspace key",
		"it is for HoneyHive's control plane (managing a workspace), not for the data plane that serves experiment runs"},
	{"hh_cp_", "a control-plane key",
		"it is for HoneyHive's control plane, not for the data plane that serves experiment runs"},
	{"hh_fgcp_", "a fine-grained control-plane key",
		"it is for HoneyHive's control plane, not for the data plane that serves experiment runs"},
}

// KeyKindError says that the API key is of a kind that cannot read experiment
// runs. Its text names the kind by the key's prefix and never holds the key.
type KeyKindError struct {
	// Prefix is the prefix that gave the kind away, such as "hh_ingst_".
	Prefix string
	// Kind describes the key, such as "an ingestion-only key".
	Kind string
	// Source is where the key came from (its setting or an environment
	// variable), "" when unknown.
	Source string
	why    string
	// projectSetting is the caller's name for the project ID's setting.
	projectSetting string
}

func (e *KeyKindError) Error() string {
	from := ""
	if e.Source != "" {
		from = " (from " + e.Source + ")"
	}
	return fmt.Sprintf("the HoneyHive API key%s is %s (its prefix is %s): %s, so it cannot read experiment runs. "+
		"Use a fine-grained data-plane key (its prefix is %s) with the project's ID in %s, or a classic project API key, "+
		"preferably a read-only one (its prefix is %s), both created in the project's Settings > API Keys in HoneyHive "+
		"instead", from, e.Kind, e.Prefix, e.why, DataPlaneKeyPrefix, e.projectSetting, ReadOnlyKeyPrefix)
}

// checkKeyKind returns a *KeyKindError when key is of a kind that cannot read
// runs. source is where the key came from, for the message.
func checkKeyKind(key, source string, n Names) error {
	for _, k := range wrongKeyKinds {
		if strings.HasPrefix(key, k.prefix) {
			return &KeyKindError{Prefix: k.prefix, Kind: k.kind, Source: source, why: k.why, projectSetting: n.ProjectID}
		}
	}
	return nil
}
