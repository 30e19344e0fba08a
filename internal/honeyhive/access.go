package honeyhive

import (
	"fmt"
	"strings"
)

// Which key reads runs, and on which routes, as HoneyHive's own clients
// choose (Python SDK 1.8.0 to 1.10.0): a fine-grained data-plane key with a
// project ID reads the project routes (/v1/projects/{project_id}/runs...) and
// never falls back to a classic key or route; a classic project key alone
// reads the classic routes (/v1/runs...), deprecated since spec 1.17.0 but
// still served, and ignores a project ID. A key's prefix says its kind
// wherever it was set: a data-plane key given as the API key is used as one.

// DataPlaneKeyPrefix starts HoneyHive's fine-grained data-plane keys, the only
// keys the project routes accept, and accepted nowhere else.
const DataPlaneKeyPrefix = "hh_fgdp_"

// Environment variables of the data-plane key and the project.
// HH_DATA_PLANE_API_KEY is HoneyHive's own name; no HoneyHive client reads a
// project ID from the environment, so HH_PROJECT_ID is this provider's.
const (
	EnvDataPlaneAPIKey = "HH_DATA_PLANE_API_KEY"
	EnvProjectID       = "HH_PROJECT_ID"
)

// ProjectIDWhere tells where HoneyHive shows a project's ID.
const ProjectIDWhere = "HoneyHive shows it under Settings > Project > API Keys > Data Plane, beside the project's data-plane URL"

// IsDataPlaneKey reports whether key is of the data-plane kind (by its prefix).
func IsDataPlaneKey(key string) bool { return strings.HasPrefix(key, DataPlaneKeyPrefix) }

// AccessSettings are the settings that decide how runs are read, before the
// environment is consulted, and the caller's names for them.
type AccessSettings struct {
	APIKey, DataPlaneAPIKey, ProjectID string
	Names                              Names
}

// Access is how a client reads runs: the key and, for the project routes,
// the project. It goes into Config as APIKey, APIKeySource and ProjectID.
type Access struct {
	// APIKey is the key to send, and APIKeySource where it came from: a
	// setting or an environment variable.
	APIKey, APIKeySource string
	// ProjectID is the project whose routes are read with the data-plane key
	// APIKey; "" means the classic routes with a classic key.
	ProjectID, ProjectIDSource string
	// IgnoredProjectIDSource is set (to where the project ID came from) when
	// a project ID was given but only a classic key: the classic routes are
	// read and the project ID is ignored, which deserves a warning.
	IgnoredProjectIDSource string
}

// AccessError says why no key can be chosen, before any request. Its text
// never holds a key.
type AccessError struct {
	// Setting is the setting to fix, as Names names it: the data-plane key
	// or the project ID; "" when no key is set at all.
	Setting string
	// Title is a short summary of the problem.
	Title string
	msg   string
}

func (e *AccessError) Error() string { return e.msg }

// ResolveAccess chooses the key and routes from the settings and, for those
// that are empty, the environment (getenv nil: none): a setting if
// non-empty, else the first non-empty variable (APIKeyEnv for the API key).
// Surrounding spaces and line breaks are removed (a key read with file()
// often ends with one), and an empty or blank value counts as unset.
//
//   - A data-plane key (from its setting or HH_DATA_PLANE_API_KEY, else a
//     data-plane key in the API key's setting or variables) with a project ID
//     (its setting or HH_PROJECT_ID): the project routes with that key, even
//     when a classic key is set too.
//   - A data-plane key without a project ID: an *AccessError naming the
//     project ID's setting and HH_PROJECT_ID.
//   - A data-plane key setting that is set but is not a whole data-plane key:
//     an *AccessError.
//   - A classic key only: the classic routes; a project ID is ignored
//     (IgnoredProjectIDSource).
//   - No key: an *AccessError naming the settings and variables to set.
//
// A classic key's kind is checked by NewClient, when it is the one used.
func ResolveAccess(s AccessSettings, getenv func(string) string) (Access, error) {
	n := s.Names
	apiKey, apiKeySource := firstNonEmpty(s.APIKey, n.APIKey, getenv, APIKeyEnv...)
	dpKey, dpKeySource := firstNonEmpty(s.DataPlaneAPIKey, n.DataPlaneAPIKey, getenv, EnvDataPlaneAPIKey)
	project, projectSource := firstNonEmpty(s.ProjectID, n.ProjectID, getenv, EnvProjectID)

	if dpKey == "" && IsDataPlaneKey(apiKey) {
		dpKey, dpKeySource = apiKey, apiKeySource
	}
	if dpKey != "" {
		if err := checkDataPlaneKey(dpKey, dpKeySource, n); err != nil {
			return Access{}, err
		}
		if project == "" {
			return Access{}, missingProjectError(dpKeySource, n)
		}
		return Access{APIKey: dpKey, APIKeySource: dpKeySource, ProjectID: project, ProjectIDSource: projectSource}, nil
	}
	if apiKey == "" {
		return Access{}, &AccessError{Title: "Missing HoneyHive API key", msg: fmt.Sprintf(
			"Reading HoneyHive runs needs an API key. HoneyHive recommends a fine-grained data-plane key (its prefix is %s) "+
				"with the project's ID: set %s and %s in %s, or the %s and %s environment variables (%s). "+
				"A classic project key also works, on routes HoneyHive has deprecated: set %s, or the %s environment "+
				"variable (%s are also read); prefer a read-only one (its prefix is %s)",
			DataPlaneKeyPrefix, n.DataPlaneAPIKey, n.ProjectID, n.Block, EnvDataPlaneAPIKey, EnvProjectID, ProjectIDWhere,
			n.APIKey, EnvProjectAPIKey, strings.Join(APIKeyEnv[1:], " and "), ReadOnlyKeyPrefix)}
	}
	a := Access{APIKey: apiKey, APIKeySource: apiKeySource}
	if project != "" {
		a.IgnoredProjectIDSource = projectSource
	}
	return a, nil
}

// missingProjectError is the error for a data-plane key without a project.
func missingProjectError(keySource string, n Names) *AccessError {
	return &AccessError{Setting: n.ProjectID, Title: "Missing HoneyHive project ID", msg: fmt.Sprintf(
		"The HoneyHive API key set in %s is a fine-grained data-plane key (its prefix is %s), which HoneyHive accepts only "+
			"on the project routes /v1/projects/{project_id}/runs...: set %s in %s, "+
			"or the %s environment variable, to the ID of the project whose runs to read (%s)",
		n.dataPlaneKeySource(keySource), DataPlaneKeyPrefix, n.ProjectID, n.Block, EnvProjectID, ProjectIDWhere)}
}

// checkDataPlaneKey checks that key is a whole data-plane key: the prefix
// followed by letters, digits, "_" or "-". A placeholder such as "hh_fgdp_..."
// left in a configuration, a truncated paste or a key of another kind is
// refused before any request, without showing the key.
func checkDataPlaneKey(key, source string, n Names) error {
	rest, ok := strings.CutPrefix(key, DataPlaneKeyPrefix)
	why := ""
	switch {
	case !ok:
		why = "it does not start with " + DataPlaneKeyPrefix
		if strings.HasPrefix(key, "hh_") {
			why += "; a classic project key (hh_... or " + ReadOnlyKeyPrefix + "...) goes in " + n.KeySource("")
		}
	case rest == "":
		why = "nothing follows " + DataPlaneKeyPrefix
	case strings.ContainsFunc(rest, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '_' && r != '-'
	}):
		why = "after " + DataPlaneKeyPrefix + " it has characters other than letters, digits, _ and - (a placeholder, a truncated paste, or spaces?)"
	default:
		return nil
	}
	return &AccessError{Setting: n.DataPlaneAPIKey, Title: "Invalid HoneyHive data-plane key", msg: fmt.Sprintf(
		"The HoneyHive data-plane key set in %s is not a whole fine-grained data-plane key: %s. Copy the whole key from "+
			"HoneyHive (Settings > Project > API Keys > Data Plane)",
		n.dataPlaneKeySource(source), why)}
}
