package honeyhive

import (
	"errors"
	"strings"
	"testing"
)

const (
	dpKey      = "hh_fgdp_SECRET_dp_key_81b2"
	classicKey = "hh_ro_SECRET_classic_key_5d0e"
)

// ResolveAccess chooses the key and routes as HoneyHive's SDK does: a
// data-plane key with a project ID reads the project routes, whatever else is
// set; a classic key alone the classic routes, ignoring a project ID.
func TestResolveAccess(t *testing.T) {
	tests := []struct {
		name     string
		settings AccessSettings
		env      map[string]string
		want     Access
	}{
		{"classic key only", AccessSettings{}, map[string]string{EnvProjectAPIKey: classicKey},
			Access{APIKey: classicKey, APIKeySource: EnvProjectAPIKey}},
		{"classic key and project ID", AccessSettings{ProjectID: "p1"}, map[string]string{EnvAPIKey: classicKey},
			Access{APIKey: classicKey, APIKeySource: EnvAPIKey, IgnoredProjectIDSource: "project_id"}},
		{"classic key and HH_PROJECT_ID", AccessSettings{APIKey: classicKey}, map[string]string{EnvProjectID: "p1"},
			Access{APIKey: classicKey, APIKeySource: "api_key", IgnoredProjectIDSource: EnvProjectID}},
		{"data-plane key and project ID", AccessSettings{DataPlaneAPIKey: dpKey, ProjectID: "p1"}, nil,
			Access{APIKey: dpKey, APIKeySource: "data_plane_api_key", ProjectID: "p1", ProjectIDSource: "project_id"}},
		{"data-plane key and project from the environment", AccessSettings{},
			map[string]string{EnvDataPlaneAPIKey: " " + dpKey + "\n", EnvProjectID: "p1"},
			Access{APIKey: dpKey, APIKeySource: EnvDataPlaneAPIKey, ProjectID: "p1", ProjectIDSource: EnvProjectID}},
		{"both keys and project ID", AccessSettings{APIKey: classicKey, ProjectID: "p1"},
			map[string]string{EnvDataPlaneAPIKey: dpKey},
			Access{APIKey: dpKey, APIKeySource: EnvDataPlaneAPIKey, ProjectID: "p1", ProjectIDSource: "project_id"}},
		{"data-plane key in api_key", AccessSettings{APIKey: dpKey, ProjectID: "p1"}, nil,
			Access{APIKey: dpKey, APIKeySource: "api_key", ProjectID: "p1", ProjectIDSource: "project_id"}},
		{"data-plane key in HH_API_KEY", AccessSettings{}, map[string]string{EnvAPIKey: dpKey, EnvProjectID: "p1"},
			Access{APIKey: dpKey, APIKeySource: EnvAPIKey, ProjectID: "p1", ProjectIDSource: EnvProjectID}},
		{"the setting wins over its variable", AccessSettings{DataPlaneAPIKey: dpKey, ProjectID: "p1"},
			map[string]string{EnvDataPlaneAPIKey: "hh_fgdp_other", EnvProjectID: "p2"},
			Access{APIKey: dpKey, APIKeySource: "data_plane_api_key", ProjectID: "p1", ProjectIDSource: "project_id"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ResolveAccess(withNames(tc.settings), func(k string) string { return tc.env[k] })
			if err != nil || got != tc.want {
				t.Errorf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

// What cannot be resolved is an *AccessError naming the setting to fix and
// never the key.
func TestResolveAccessErrors(t *testing.T) {
	tests := []struct {
		name     string
		settings AccessSettings
		env      map[string]string
		setting  string
		want     []string
	}{
		{"data-plane key without project", AccessSettings{DataPlaneAPIKey: dpKey}, nil, "project_id",
			[]string{"set in data_plane_api_key is a fine-grained data-plane key", "set project_id", "HH_PROJECT_ID",
				"Settings > Project > API Keys > Data Plane"}},
		{"data-plane key in api_key without project, classic key elsewhere", AccessSettings{APIKey: dpKey},
			map[string]string{EnvProjectAPIKey: classicKey}, "project_id", []string{"set in api_key", "HH_PROJECT_ID"}},
		{"a classic key in data_plane_api_key", AccessSettings{DataPlaneAPIKey: classicKey, ProjectID: "p"}, nil,
			"data_plane_api_key", []string{"not a whole fine-grained data-plane key", "does not start with hh_fgdp_",
				"goes in api_key"}},
		{"the prefix alone", AccessSettings{ProjectID: "p"}, map[string]string{EnvDataPlaneAPIKey: "hh_fgdp_"},
			"data_plane_api_key", []string{"set in HH_DATA_PLANE_API_KEY", "nothing follows hh_fgdp_"}},
		{"a placeholder", AccessSettings{DataPlaneAPIKey: "hh_fgdp_SECRET...", ProjectID: "p"}, nil,
			"data_plane_api_key", []string{"characters other than letters, digits"}},
		{"a key cut by a space", AccessSettings{DataPlaneAPIKey: "hh_fgdp_SECRET part", ProjectID: "p"}, nil,
			"data_plane_api_key", []string{"characters other than letters, digits"}},
		{"a malformed data-plane key in api_key", AccessSettings{APIKey: "hh_fgdp_SECRET.x", ProjectID: "p"}, nil,
			"data_plane_api_key", []string{"set in api_key is not a whole"}},
		{"no key", AccessSettings{ProjectID: "p"}, nil, "",
			[]string{"data_plane_api_key and project_id", "HH_DATA_PLANE_API_KEY", "HH_PROJECT_ID", "api_key", "HH_PROJECT_API_KEY"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ResolveAccess(withNames(tc.settings), func(k string) string { return tc.env[k] })
			var ae *AccessError
			if !errors.As(err, &ae) {
				t.Fatalf("got %v; want an *AccessError", err)
			}
			if ae.Setting != tc.setting || ae.Title == "" {
				t.Errorf("setting %q, title %q; want setting %q", ae.Setting, ae.Title, tc.setting)
			}
			assertContains(t, err.Error(), tc.want...)
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("the error holds the key: %v", err)
			}
		})
	}
}

func withNames(s AccessSettings) AccessSettings {
	s.Names = testNames
	return s
}
